"""suggestions/: progression suggestions for clinic systems, to list, accept and dismiss."""

import pytest

from clinics.models import AuditEvent
from prescriptions.models import Prescription, ProgressionSuggestion
from tests.factories import make_patient
from tests.suggestion_factory import make_ready_to_progress

URL = "/api/v1/suggestions/"


@pytest.fixture
def suggestion(patient, therapist):
    return make_ready_to_progress(patient, therapist)


@pytest.fixture
def theirs(other_clinic_patient, other_clinic_therapist):
    return make_ready_to_progress(other_clinic_patient, other_clinic_therapist)


def test_it_lists_the_clinics_suggestions_with_their_logs(api, suggestion, theirs):
    response = api.get(URL)
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [suggestion.pk]
    row = rows[0]
    assert (row["direction"], row["status"], row["to_exercise"]) == (
        "forward",
        "open",
        "prone-press-up",
    )
    assert row["headline"] == "Ready to progress: consider Prone press-up"
    assert sorted(row["logs"]) == sorted(suggestion.logs.values_list("pk", flat=True))
    audited = AuditEvent.objects.get(action="view", object_type="progressionsuggestion")
    assert audited.detail["ids"] == [suggestion.pk]


def test_it_filters_by_patient_and_status(api, suggestion, clinic, therapist):
    other = make_ready_to_progress(make_patient(clinic), therapist)

    def ids(**query):
        return [row["id"] for row in api.get(URL, query).json()["results"]]

    assert ids(patient=suggestion.patient_id) == [suggestion.pk]
    assert ids(status="open") == [suggestion.pk, other.pk]
    assert ids(status="dismissed") == []
    assert api.get(URL, {"status": "maybe"}).status_code == 400


def test_another_clinics_suggestion_is_a_404(api, theirs, therapist):
    assert api.get(f"{URL}{theirs.pk}/").status_code == 404
    response = api.post(f"{URL}{theirs.pk}/accept/", {"prescribed_by": therapist.username})
    assert response.status_code == 404
    assert api.post(f"{URL}{theirs.pk}/dismiss/", {"reason": "no"}).status_code == 404
    assert ProgressionSuggestion.objects.get(pk=theirs.pk).status == "open"


def test_accepting_makes_the_next_version(api, suggestion, therapist):
    response = api.post(
        f"{URL}{suggestion.pk}/accept/",
        {"prescribed_by": therapist.username},
        format="json",
        HTTP_IDEMPOTENCY_KEY="accept-1",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    active = Prescription.objects.active().get(patient=suggestion.patient)
    assert (body["status"], body["result"]) == ("accepted", active.pk)
    assert active.prescribed_by == therapist
    assert [i.exercise.slug for i in active.items.order_by("position")] == [
        "prone-lying",
        "prone-press-up",
    ]
    # A retry with the same key replays the answer; without it, the suggestion is closed.
    replay = api.post(
        f"{URL}{suggestion.pk}/accept/",
        {"prescribed_by": therapist.username},
        format="json",
        HTTP_IDEMPOTENCY_KEY="accept-1",
    )
    assert replay.json() == body
    again = api.post(
        f"{URL}{suggestion.pk}/accept/", {"prescribed_by": therapist.username}, format="json"
    )
    assert again.status_code == 409
    assert Prescription.objects.filter(patient=suggestion.patient).count() == 2
    assert AuditEvent.objects.filter(
        action="update", object_type="progressionsuggestion", detail__decision="accept"
    ).exists()


def test_accepting_waits_while_an_urgent_alert_is_open(api, suggestion, therapist):
    from prescriptions.services import record_red_flag_check

    record_red_flag_check(patient=suggestion.patient, answered_yes=["bladder_bowel"])
    response = api.post(
        f"{URL}{suggestion.pk}/accept/", {"prescribed_by": therapist.username}, format="json"
    )
    assert response.status_code == 409
    assert "urgent alert is open" in response.json()["detail"]
    assert Prescription.objects.active().get(patient=suggestion.patient).version == 1


def test_accepting_needs_a_therapist_of_the_clinic(api, suggestion, other_clinic_therapist):
    missing = api.post(f"{URL}{suggestion.pk}/accept/", {}, format="json")
    assert missing.status_code == 400
    stranger = api.post(
        f"{URL}{suggestion.pk}/accept/",
        {"prescribed_by": other_clinic_therapist.username},
        format="json",
    )
    assert stranger.status_code == 400
    assert "prescribed_by" in str(stranger.content)
    assert ProgressionSuggestion.objects.get(pk=suggestion.pk).status == "open"


def test_dismissing_keeps_the_reason(api, suggestion):
    response = api.post(
        f"{URL}{suggestion.pk}/dismiss/", {"reason": "Flare-up last week"}, format="json"
    )
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["dismiss_reason"]) == (
        "dismissed",
        "Flare-up last week",
    )
    assert Prescription.objects.filter(patient=suggestion.patient).count() == 1


def test_dismissing_without_a_reason_is_a_400(api, suggestion):
    response = api.post(f"{URL}{suggestion.pk}/dismiss/", {"reason": ""}, format="json")
    assert response.status_code == 400
    assert "reason" in str(response.content)
    assert ProgressionSuggestion.objects.get(pk=suggestion.pk).status == "open"


def test_a_read_only_key_cannot_decide(read_only_api, suggestion):
    response = read_only_api.post(f"{URL}{suggestion.pk}/dismiss/", {"reason": "x"})
    assert response.status_code == 403
    assert read_only_api.get(URL).status_code == 200


def test_the_list_costs_the_same_for_many_suggestions(
    api, clinic, therapist, django_assert_max_num_queries
):
    for n in range(6):
        make_ready_to_progress(make_patient(clinic, last_name=f"Ready{n}"), therapist)
    with django_assert_max_num_queries(9):
        response = api.get(URL)
    assert len(response.json()["results"]) == 6


def test_a_patients_login_cannot_reach_suggestions(patient_client, suggestion):
    assert patient_client.get(URL).status_code == 403
    assert patient_client.get(f"{URL}{suggestion.pk}/").status_code == 403
    response = patient_client.post(f"{URL}{suggestion.pk}/dismiss/", {"reason": "no"})
    assert response.status_code == 403
    assert ProgressionSuggestion.objects.get(pk=suggestion.pk).status == "open"
