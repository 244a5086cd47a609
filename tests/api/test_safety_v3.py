"""Safety v3 for clinic systems: contradictory answers answer 400 and store nothing,
a spread that persists keeps `stop_exercise`, and alerts list every finding."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from prescriptions.models import Alert, SymptomLog
from tests.api.logs import answers

LOGS = "/api/v1/symptom-logs/"
ALERTS = "/api/v1/alerts/"


@pytest.mark.parametrize(
    ("pain", "location", "field"),
    [(7, "none", "location"), (0, "foot", "pain"), (0, "central", "pain")],
)
@pytest.mark.hazard("H-05")
def test_contradictory_answers_answer_400_with_the_field_and_store_nothing(
    api, item, pain, location, field
):
    response = api.post(LOGS, answers(item, pain=pain, location=location), format="json")
    assert response.status_code == 400
    body = response.json()
    assert field in body["errors"]
    assert not SymptomLog.objects.exists()
    assert not Alert.objects.exists()


def test_a_therapists_session_gets_the_same_400_with_csrf_enforced(therapist, item):
    client = Client(enforce_csrf_checks=True)
    client.force_login(therapist)
    client.get("/api-keys/")  # a dashboard page sets the token cookie
    token = client.cookies["csrftoken"].value
    response = client.post(
        LOGS,
        answers(item, pain=5, location="none"),
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 400
    assert "location" in response.json()["errors"]
    assert not SymptomLog.objects.exists()


@pytest.mark.hazard("H-01")
def test_a_spread_that_persists_keeps_stop_exercise_on_every_log(api, patient, item):
    patient.starting_location = "thigh"
    patient.save()
    bodies = []
    for hours_ago in (9, 6, 3, 0):
        logged_at = (timezone.now() - timedelta(hours=hours_ago)).isoformat()
        response = api.post(
            LOGS,
            answers(item, location="below_knee", during="decrease", logged_at=logged_at),
            format="json",
        )
        assert response.status_code == 201
        bodies.append(response.json())
    assert [body["stop_exercise"] for body in bodies] == [True] * 4
    assert [body["reference_source"] for body in bodies] == ["starting_location"] + [
        "persisting"
    ] * 3
    alert = api.get(ALERTS).json()["results"][0]
    assert (alert["kind"], alert["count"]) == ("peripheralization", 4)
    # Two distinct findings (against the starting location, then the persisting reference).
    assert [finding["days"] for finding in alert["findings"]] == [
        [timezone.localdate().isoformat()]
    ] * 2
    assert "starting location" in alert["findings"][0]["message"]
    assert "since the pain spread" in alert["findings"][1]["message"]


def test_pain_back_after_none_is_a_note_not_a_stop(api, item):
    api.post(LOGS, answers(item, pain=0, location="none"), format="json")
    response = api.post(
        LOGS, answers(item, pain=3, location="one_side", after="better"), format="json"
    )
    body = response.json()
    assert body["stop_exercise"] is False
    assert [(a["kind"], a["severity"]) for a in body["alerts"]] == [("recurrence", "note")]
