"""symptom-logs/: what patients reported, pulled and pushed by clinic systems."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from clinics.models import AuditEvent
from prescriptions.models import Alert, NeuroSymptom, SymptomLog
from prescriptions.services import record_red_flag_check, record_symptom_log
from tests.api.logs import answers
from tests.factories import make_patient, make_prescription

pytestmark = pytest.mark.any_hour

URL = "/api/v1/symptom-logs/"


def log(item, **overrides):
    values = {
        "pain": 3,
        "location": "central",
        "during": "decrease",
        "after": "better",
        "sets_done": 1,
        "repetitions_done": 10,
    }
    values.update(overrides)
    return record_symptom_log(patient=item.prescription.patient, item=item, **values).log


def test_it_records_a_log_through_the_safety_rules(api, item, patient):
    response = api.post(URL, answers(item, pain=2, note="Easier."), format="json")

    assert response.status_code == 201
    body = response.json()
    stored = SymptomLog.objects.get(pk=body["id"])
    assert stored.patient == patient and stored.item == item
    assert (stored.pain, stored.note, stored.source) == (2, "Easier.", "api")
    assert stored.entered_by is None
    assert body["alerts"] == [] and body["stop_exercise"] is False
    assert body["prescription"] == item.prescription_id
    assert body["exercise"] == item.exercise.slug
    event = AuditEvent.objects.get(action="create", object_type="symptomlog")
    assert event.patient_id == patient.pk and event.actor_label == "api-key:EHR sync"


def test_a_peripheralizing_log_raises_the_same_alert_as_the_portal(
    api, client, clinic, therapist, item
):
    # The same exercise, answered the same way, by a patient in the portal...
    portal_patient = make_patient(clinic, login="polly")
    portal_item = make_prescription(portal_patient, therapist).items.get(position=1)
    record_red_flag_check(patient=portal_patient, answered_yes=[])
    client.force_login(portal_patient.user)
    client.post(
        reverse("portal:log", args=[portal_item.pk]),
        {
            "sets_done": "1",
            "repetitions_done": "10",
            "pain": "6",
            "location": "thigh",
            "during": "peripheralize",
            "after": "worse",
            "note": "",
            "client_token": "portal-1",
            **{f"neuro_{code}": "no" for code in NeuroSymptom.values},
        },
    )
    portal_alert = Alert.objects.get(patient=portal_patient)

    # ...and by a clinic system through the API.
    response = api.post(
        URL,
        answers(item, pain=6, location="thigh", during="peripheralize", after="worse"),
        format="json",
    )

    assert response.status_code == 201
    body = response.json()
    assert body["stop_exercise"] is True
    api_alert = Alert.objects.get(patient=item.prescription.patient)
    assert (api_alert.kind, api_alert.severity, api_alert.message) == (
        portal_alert.kind,
        portal_alert.severity,
        portal_alert.message,
    )
    assert api_alert.kind == "peripheralization"
    assert [alert["id"] for alert in body["alerts"]] == [api_alert.pk]
    assert body["alerts"][0]["kind"] == "peripheralization"
    assert api_alert.symptom_log_id == body["id"]


def test_a_log_may_be_entered_later_with_the_time_it_was_done(api, item):
    done = timezone.now() - timedelta(hours=5)

    response = api.post(URL, answers(item, logged_at=done.isoformat()), format="json")

    assert response.status_code == 201
    assert SymptomLog.objects.get().logged_at == done


def test_worse_afterwards_tells_to_stop_and_alerts(api, item):
    response = api.post(URL, answers(item, after="worse"), format="json")

    assert response.json()["stop_exercise"] is True
    assert [alert["kind"] for alert in response.json()["alerts"]] == ["worse"]


def test_a_therapist_session_records_as_the_therapist(therapist_client, therapist, item):
    response = therapist_client.post(URL, answers(item), content_type="application/json")

    assert response.status_code == 201
    stored = SymptomLog.objects.get(pk=response.json()["id"])
    assert stored.source == "therapist" and stored.entered_by == therapist


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"pain": 11}, "pain"),
        ({"pain": -1}, "pain"),
        ({"pain": "a lot"}, "pain"),
        ({"location": "elbow"}, "location"),
        ({"during": "sideways"}, "during"),
        ({"after": None}, "after"),
        ({"sets_done": 51}, "sets_done"),
        ({"repetitions_done": 10**30}, "repetitions_done"),
        ({"item": 10**30}, "item"),
        ({"item": "first"}, "item"),
        ({"logged_at": "tomorrow"}, "logged_at"),
        ({"logged_at": "2999-01-01T00:00:00Z"}, "logged_at"),
        ({"logged_at": "2001-01-01T00:00:00Z"}, "logged_at"),
        ({"logged_at": "0001-01-01T00:00:00+14:00"}, "logged_at"),
        ({"note": "x" * 2001}, "note"),
    ],
)
def test_invalid_logs_are_a_400_naming_the_field(api, item, overrides, field):
    response = api.post(URL, answers(item, **overrides), format="json")

    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not SymptomLog.objects.exists()


def test_an_exercise_of_another_clinic_is_refused(
    api, other_clinic_patient, other_clinic_therapist
):
    foreign = make_prescription(other_clinic_patient, other_clinic_therapist).items.first()

    response = api.post(URL, answers(foreign), format="json")

    assert response.status_code == 400
    assert response.json()["errors"]["item"] == [
        "No exercise of a program of your clinic has this id."
    ]
    assert not SymptomLog.objects.exists()


def test_an_exercise_of_a_draft_is_refused(api, patient, therapist):
    draft_item = make_prescription(patient, therapist, activate=False).items.first()

    response = api.post(URL, answers(draft_item), format="json")

    assert response.status_code == 400
    assert "item" in response.json()["errors"]


def test_a_read_only_key_cannot_record(read_only_api, item):
    assert read_only_api.post(URL, answers(item), format="json").status_code == 403
    assert not SymptomLog.objects.exists()


def test_a_revoked_key_gets_401(client_with_revoked_key, item):
    assert client_with_revoked_key.post(URL, answers(item), format="json").status_code == 401
    assert client_with_revoked_key.get(URL).status_code == 401


def test_it_lists_the_clinics_logs(api, item, other_clinic_patient, other_clinic_therapist):
    mine = log(item)
    log(make_prescription(other_clinic_patient, other_clinic_therapist).items.first())

    response = api.get(URL)

    assert [row["id"] for row in response.json()["results"]] == [mine.pk]
    assert AuditEvent.objects.get(action="view", object_type="symptomlog").detail["ids"] == [
        mine.pk
    ]


def test_it_filters_by_patient_prescription_and_since(api, clinic, therapist, item, prescription):
    other_item = make_prescription(make_patient(clinic), therapist).items.first()
    old = log(item)
    SymptomLog.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=2))
    recent = log(item)
    theirs = log(other_item)

    def ids(**query):
        return [row["id"] for row in api.get(URL, query).json()["results"]]

    assert ids(patient=prescription.patient_id) == [old.pk, recent.pk]
    assert ids(prescription=other_item.prescription_id) == [theirs.pk]
    since = (timezone.now() - timedelta(days=1)).isoformat()
    assert ids(since=since) == [recent.pk, theirs.pk]
    assert ids(patient=prescription.patient_id, since=since) == [recent.pk]


@pytest.mark.parametrize(
    "query", [{"since": "last week"}, {"patient": "-3"}, {"prescription": "x"}]
)
def test_a_bad_filter_is_a_400(api, query):
    response = api.get(URL, query)

    assert response.status_code == 400
    assert set(response.json()["errors"]) == set(query)


def test_it_reads_one_log_and_another_clinics_is_404(api, other_api, item):
    mine = log(item)

    assert api.get(f"{URL}{mine.pk}/").json()["pain"] == 3
    assert other_api.get(f"{URL}{mine.pk}/").status_code == 404


@pytest.mark.parametrize("page_size", [5, 50])
def test_listing_costs_the_same_queries_whatever_the_page_size(
    api, item, page_size, django_assert_num_queries
):
    patient = item.prescription.patient
    SymptomLog.objects.bulk_create(
        SymptomLog(
            patient=patient,
            item=item,
            pain=2,
            location="central",
            during="decrease",
            after="better",
            sets_done=1,
            repetitions_done=10,
        )
        for _ in range(55)
    )
    api.get("/api/v1/exercises/")

    # key, page (no count: pages by cursor) (with items and exercises), audit
    with django_assert_num_queries(3):  # + the audit event
        response = api.get(URL, {"page_size": page_size, "patient": patient.pk})
    assert len(response.json()["results"]) == page_size
