"""The safety rules for clinic systems: the same stops and alerts as the portal,
nerve symptoms, client_id retries and red-flag checks."""

import uuid
from datetime import date, timedelta

import pytest
from django.utils import timezone

from clinics.models import AuditEvent
from prescriptions.models import Alert, RedFlagCheck, SymptomLog
from prescriptions.services import record_red_flag_check, record_symptom_log
from tests.api.logs import answers

LOGS = "/api/v1/symptom-logs/"
CHECKS = "/api/v1/red-flag-checks/"


@pytest.mark.hazard("H-01")
def test_pain_further_out_stops_whatever_the_labels(api, patient, item):
    record_symptom_log(
        patient=patient,
        item=item,
        pain=4,
        location="thigh",
        during="no_effect",
        after="no_effect",
        sets_done=1,
        repetitions_done=10,
    )
    response = api.post(
        LOGS, answers(item, location="foot", during="decrease", after="better"), format="json"
    )
    assert response.status_code == 201
    body = response.json()
    assert body["stop_exercise"] is True and body["urgent"] is False
    assert body["reference_location"] == "thigh"
    assert body["reference_source"] == "previous_log"
    assert [finding["kind"] for finding in body["findings"]] == ["peripheralization"]
    assert [alert["kind"] for alert in body["alerts"]] == ["peripheralization"]
    assert body["alerts"][0]["exercise"] == item.exercise.slug
    log = SymptomLog.objects.get(pk=body["id"])
    assert log.stop_exercise and log.source == "api"


def test_new_nerve_symptoms_stop_and_both_legs_is_urgent(api, patient, item):
    body = api.post(
        LOGS, answers(item, new_symptoms=["both_legs", "numbness"]), format="json"
    ).json()
    assert body["stop_exercise"] is True and body["urgent"] is True
    assert body["new_symptoms"] == ["both_legs", "numbness"]
    alert = Alert.objects.get(patient=patient)
    assert (alert.kind, alert.severity) == ("neurological", "urgent")


def test_an_unknown_nerve_symptom_is_a_400_with_the_field(api, item):
    response = api.post(LOGS, answers(item, new_symptoms=["elbow"]), format="json")
    assert response.status_code == 400
    assert "new_symptoms" in str(response.json())
    assert not SymptomLog.objects.exists()


def test_a_log_without_the_new_fields_still_works(api, item):
    response = api.post(LOGS, answers(item), format="json")
    assert response.status_code == 201
    assert response.json()["new_symptoms"] == []


def test_a_retry_with_the_same_client_id_returns_the_first_log_with_200(api, patient, item):
    client_id = str(uuid.uuid4())
    first = api.post(LOGS, answers(item, client_id=client_id, after="worse"), format="json")
    again = api.post(LOGS, answers(item, client_id=client_id, after="worse"), format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["client_id"] == client_id
    assert [a["id"] for a in again.json()["alerts"]] == [a["id"] for a in first.json()["alerts"]]
    assert SymptomLog.objects.count() == 1
    assert Alert.objects.get().count == 1
    assert AuditEvent.objects.filter(action="create", object_type="symptomlog").count() == 1


def test_a_bad_client_id_is_a_400(api, item):
    response = api.post(LOGS, answers(item, client_id="not-a-uuid"), format="json")
    assert response.status_code == 400
    assert "client_id" in str(response.json())


def test_repeated_warnings_group_into_one_alert_in_the_answer_and_the_list(api, item):
    for _ in range(3):
        api.post(LOGS, answers(item, after="worse"), format="json")
    alerts = api.get("/api/v1/alerts/", {"acknowledged": "false"}).json()["results"]
    assert len(alerts) == 1
    assert alerts[0]["count"] == 3 and len(alerts[0]["logs"]) == 3


def test_each_log_answer_says_whether_todays_red_flags_are_due(api, patient, item):
    assert api.post(LOGS, answers(item), format="json").json()["red_flags_due"] is True
    record_red_flag_check(patient=patient, answered_yes=[])
    assert api.post(LOGS, answers(item), format="json").json()["red_flags_due"] is False


@pytest.mark.hazard("H-02")
def test_a_red_flag_yes_through_the_api_raises_an_urgent_alert(api, patient):
    response = api.post(
        CHECKS, {"patient": patient.pk, "answered_yes": ["urination", "both_legs"]}, format="json"
    )
    assert response.status_code == 201
    body = response.json()
    assert body["answered_yes"] == ["both_legs", "urination"]
    assert body["tiers_answered_yes"] == ["emergency"]
    alert = Alert.objects.get(patient=patient)
    assert (alert.kind, alert.severity) == ("red_flag", "urgent")
    assert body["alerts"] == [alert.pk]
    assert RedFlagCheck.objects.get().patient == patient


def test_all_no_through_the_api_raises_nothing_and_answers_the_day(api, patient, item):
    response = api.post(CHECKS, {"patient": patient.pk, "answered_yes": []}, format="json")
    assert response.status_code == 201 and response.json()["alerts"] == []
    assert not Alert.objects.exists()
    assert api.post(LOGS, answers(item), format="json").json()["red_flags_due"] is False


def test_red_flag_checks_can_be_listed_and_read(api, patient, other_patient):
    record_red_flag_check(patient=patient, answered_yes=["night_pain"])
    record_red_flag_check(patient=other_patient, answered_yes=[])
    listed = api.get(CHECKS, {"patient": patient.pk}).json()["results"]
    assert [check["answered_yes"] for check in listed] == [["night_pain"]]
    check = RedFlagCheck.objects.get(patient=patient)
    assert api.get(f"{CHECKS}{check.pk}/").json()["patient"] == patient.pk


def test_an_unknown_red_flag_code_is_a_400_and_stores_nothing(api, patient):
    response = api.post(
        CHECKS, {"patient": patient.pk, "answered_yes": ["headache"]}, format="json"
    )
    assert response.status_code == 400
    assert "answered_yes" in str(response.json())
    assert not RedFlagCheck.objects.exists()


def test_another_clinics_patient_and_checks_are_out_of_reach(other_api, patient):
    response = other_api.post(CHECKS, {"patient": patient.pk, "answered_yes": []}, format="json")
    assert response.status_code == 400
    check, _alerts = record_red_flag_check(patient=patient, answered_yes=[])
    assert other_api.get(f"{CHECKS}{check.pk}/").status_code == 404
    assert other_api.get(CHECKS).json()["results"] == []


def test_a_read_only_key_cannot_record_red_flags(read_only_api, patient):
    response = read_only_api.post(
        CHECKS, {"patient": patient.pk, "answered_yes": []}, format="json"
    )
    assert response.status_code == 403
    assert not RedFlagCheck.objects.exists()


def test_listing_red_flag_checks_costs_the_same_queries_whatever_the_count(
    api, patient, django_assert_max_num_queries
):
    for day in range(30):
        record_red_flag_check(
            patient=patient, answered_yes=[], on=date(2026, 1, 1) + timedelta(days=day)
        )
    with django_assert_max_num_queries(8):
        assert len(api.get(CHECKS, {"page_size": 30}).json()["results"]) == 30


def test_a_relapse_after_pain_fell_raises_a_pain_rise_alert(api, patient, item):
    start = timezone.now() - timedelta(hours=20)
    for step, pain in enumerate([8, 5, 2]):
        logged_at = (start + timedelta(hours=5 * step)).isoformat()
        response = api.post(LOGS, answers(item, pain=pain, logged_at=logged_at), format="json")
        assert response.status_code == 201
    assert not Alert.objects.exists()
    body = api.post(LOGS, answers(item, pain=7), format="json").json()
    assert [alert["kind"] for alert in body["alerts"]] == ["pain_rise"]
    assert "2/10" in body["alerts"][0]["message"]
    assert body["stop_exercise"] is False


def test_the_same_client_id_with_other_answers_is_a_409_and_keeps_the_first(api, patient, item):
    client_id = str(uuid.uuid4())
    first = api.post(LOGS, answers(item, client_id=client_id, pain=3), format="json")

    other = api.post(LOGS, answers(item, client_id=client_id, pain=7), format="json")

    assert (first.status_code, other.status_code) == (201, 409)
    assert other["Content-Type"] == "application/problem+json"
    assert other.json()["code"] == "client_id_reused"
    assert list(SymptomLog.objects.values_list("pain", flat=True)) == [3]


def test_a_retry_naming_the_same_time_and_symptoms_is_still_a_retry(api, patient, item):
    body = answers(
        item,
        client_id=str(uuid.uuid4()),
        logged_at="2026-03-11T13:00:00+01:00",
        new_symptoms=["numbness", "numbness"],
    )
    first = api.post(LOGS, body, format="json")

    again = api.post(LOGS, {**body, "logged_at": "2026-03-11T12:00:00Z"}, format="json")
    later = api.post(LOGS, {**body, "logged_at": "2026-03-11T12:30:00Z"}, format="json")

    assert (first.status_code, again.status_code, later.status_code) == (201, 200, 409)
    assert SymptomLog.objects.count() == 1
