"""`/api/v1/sessions/`: a whole session with the symptoms before and after, judged like
with like; contradictions answer 400, retries store nothing twice, another clinic's
sessions answer 404, and a therapist's browser session needs its CSRF token."""

import json
import urllib.error
import urllib.request
import uuid

import pytest
from django.test import Client

from prescriptions.models import Alert, ExerciseSession, SymptomLog

SESSIONS = "/api/v1/sessions/"


def body(prescription, *, before=(2, 6, "thigh"), after=(7, 0, "central"), done=2, **extra):
    items = list(prescription.items.order_by("position"))
    exercises = [
        {
            "item": item.pk,
            "done": True,
            "during": "centralize",
            "after": "better",
            "sets_done": 1,
            "repetitions_done": 10,
        }
        if index < done
        else {"item": item.pk, "done": False}
        for index, item in enumerate(items[:3])
    ]
    data = {
        "patient": prescription.patient_id,
        "after": dict(zip(("back_pain", "leg_pain", "location"), after, strict=True)),
        "exercises": exercises,
        **extra,
    }
    if before is not None:
        data["before"] = dict(zip(("back_pain", "leg_pain", "location"), before, strict=True))
    return data


@pytest.mark.hazard("H-03")
def test_leg_pain_giving_way_to_back_pain_is_centralizing_and_raises_no_alert(api, prescription):
    response = api.post(SESSIONS, body(prescription), format="json")
    assert response.status_code == 201, response.json()
    answer = response.json()
    assert answer["response"] == "centralizing"
    assert answer["before"] == {"back_pain": 2, "leg_pain": 6, "location": "thigh"}
    assert answer["after"] == {"back_pain": 7, "leg_pain": 0, "location": "central", "pain": 7}
    assert (answer["stop_exercise"], answer["urgent"], answer["alerts"]) == (False, False, [])
    assert len(answer["logs"]) == 2 and len(answer["skipped"]) == 1
    assert {finding["kind"] for log in answer["logs"] for finding in log["findings"]} == {
        "centralization"
    }
    logs = SymptomLog.objects.order_by("id")
    assert [(log.back_pain, log.leg_pain, log.pain) for log in logs] == [(7, 0, 7)] * 2
    assert not Alert.objects.exists()


@pytest.mark.hazard("H-01")
def test_pain_further_out_after_the_session_stops_every_exercise_done(api, prescription):
    response = api.post(
        SESSIONS, body(prescription, before=(3, 2, "buttock"), after=(3, 5, "thigh")), format="json"
    )
    assert response.status_code == 201
    answer = response.json()
    assert answer["response"] == "peripheralizing"
    assert answer["stop_exercise"] is True
    assert [log["stop_exercise"] for log in answer["logs"]] == [True, True]
    # One peripheralization alert per exercise; the leg pain rise (2 to 5) once.
    kinds = sorted(alert["kind"] for alert in answer["alerts"])
    assert kinds == ["pain_rise", "peripheralization", "peripheralization"]


def test_a_leg_pain_rise_raises_one_alert_for_the_session_not_one_per_exercise(api, prescription):
    response = api.post(
        SESSIONS, body(prescription, before=(2, 2, "thigh"), after=(2, 6, "thigh")), format="json"
    )
    assert response.status_code == 201
    alerts = Alert.objects.filter(kind="pain_rise")
    assert alerts.count() == 1
    assert alerts.get().count == 1
    assert "Leg pain 6/10 after the session, up from 2/10 before it." in alerts.get().message


@pytest.mark.hazard("H-05")
@pytest.mark.parametrize(
    ("before", "after", "where", "field"),
    [
        ((2, 0, "central"), (4, 0, "none"), "after", "location"),
        ((0, 0, "thigh"), (2, 0, "central"), "before", "back_pain"),
        ((2, 3, "central"), (2, 0, "central"), "before", "location"),
        ((2, 3, "thigh"), (2, 0, "foot"), "after", "leg_pain"),
    ],
)
def test_contradicting_answers_answer_400_with_the_field_and_store_nothing(
    api, prescription, before, after, where, field
):
    response = api.post(SESSIONS, body(prescription, before=before, after=after), format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"][where]
    assert not ExerciseSession.objects.exists()
    assert not SymptomLog.objects.exists()


def test_an_exercise_done_needs_its_answers_and_one_must_be_done(api, prescription):
    data = body(prescription)
    del data["exercises"][0]["during"]
    response = api.post(SESSIONS, data, format="json")
    assert response.status_code == 400
    assert "during" in response.json()["errors"]["exercises"]["0"]
    response = api.post(SESSIONS, body(prescription, done=0), format="json")
    assert response.status_code == 400
    assert "exercises" in response.json()["errors"]
    assert not SymptomLog.objects.exists()


def test_a_session_without_before_is_compared_with_the_reference_only(api, prescription):
    response = api.post(SESSIONS, body(prescription, before=None), format="json")
    assert response.status_code == 201
    assert (response.json()["before"], response.json()["response"]) == (None, "not_compared")


def test_a_retry_stores_nothing_twice_and_another_body_under_the_id_is_409(api, prescription):
    client_id = str(uuid.uuid4())
    first = api.post(SESSIONS, body(prescription, client_id=client_id), format="json")
    again = api.post(SESSIONS, body(prescription, client_id=client_id), format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    changed = api.post(
        SESSIONS, body(prescription, client_id=client_id, after=(3, 0, "central")), format="json"
    )
    assert changed.status_code == 409
    assert ExerciseSession.objects.count() == 1
    assert SymptomLog.objects.count() == 2


def test_a_log_sent_alone_is_a_session_of_one(api, item):
    response = api.post(
        "/api/v1/symptom-logs/",
        {
            "item": item.pk,
            "sets_done": 1,
            "repetitions_done": 10,
            "pain": 4,
            "location": "thigh",
            "during": "no_effect",
            "after": "no_effect",
        },
        format="json",
    )
    assert response.status_code == 201
    session = api.get(f"{SESSIONS}?patient={item.prescription.patient_id}").json()["results"][0]
    assert session["before"] is None
    assert session["after"] == {"back_pain": None, "leg_pain": None, "location": "thigh", "pain": 4}
    assert [log["id"] for log in session["logs"]] == [response.json()["id"]]


def test_another_clinics_sessions_answer_404_and_its_patients_400(api, other_api, prescription):
    created = api.post(SESSIONS, body(prescription), format="json").json()
    assert other_api.get(f"{SESSIONS}{created['id']}/").status_code == 404
    assert other_api.get(SESSIONS).json()["results"] == []
    refused = other_api.post(SESSIONS, body(prescription), format="json")
    assert refused.status_code == 400
    assert "patient" in refused.json()["errors"]
    assert ExerciseSession.objects.count() == 1


def test_an_exercise_of_another_patient_is_named_by_its_position(
    api, prescription, other_patient, therapist
):
    from tests.factories import make_prescription

    others = make_prescription(other_patient, therapist, first=1).items.get()
    data = body(prescription)
    data["exercises"][1]["item"] = others.pk
    response = api.post(SESSIONS, data, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]["exercises"]) == ["1"]
    assert not SymptomLog.objects.exists()


def test_a_read_only_key_cannot_record_a_session(read_only_api, prescription):
    assert read_only_api.post(SESSIONS, body(prescription), format="json").status_code == 403
    assert not ExerciseSession.objects.exists()


def test_a_therapists_browser_needs_the_csrf_token(therapist, prescription):
    client = Client(enforce_csrf_checks=True)
    client.force_login(therapist)
    data = json.dumps(body(prescription))
    assert client.post(SESSIONS, data, content_type="application/json").status_code == 403
    client.get("/api-keys/")
    token = client.cookies["csrftoken"].value
    response = client.post(
        SESSIONS, data, content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert response.status_code == 201
    assert ExerciseSession.objects.get().source == "therapist"


def test_a_clinic_system_records_a_session_over_http(live_server, api_key, prescription):
    request = urllib.request.Request(
        f"{live_server.url}{SESSIONS}",
        data=json.dumps(body(prescription)).encode(),
        headers={"Authorization": f"Api-Key {api_key[1]}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request) as answer:
        assert answer.status == 201
        assert json.load(answer)["response"] == "centralizing"
    bad = body(prescription, after=(3, 0, "none"))
    request.data = json.dumps(bad).encode()
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request)
    assert refused.value.code == 400
    assert ExerciseSession.objects.count() == 1
