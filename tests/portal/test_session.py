"""Logging a whole session on one page: one log per exercise done, every safety
rule applied to each, nothing guessed, nothing stored twice."""

import re
import uuid

import pytest
from django.urls import reverse

from prescriptions.models import ExerciseSession, SymptomLog

URL = "/portal/session/"


def item_answers(item, **overrides):
    prefix = f"item-{item.pk}-"
    data = {
        "status": "done",
        "sets_done": "2",
        "repetitions_done": "10",
        "during": "decrease",
        "after": "better",
        "note": "",
    }
    data.update(overrides)
    return {prefix + name: value for name, value in data.items()}


def symptoms(moment, back_pain="3", leg_pain="0", location="central"):
    """The answers of the "before" or "after" block of the session form."""
    return {
        f"{moment}-back_pain": back_pain,
        f"{moment}-leg_pain": leg_pain,
        f"{moment}-location": location,
    }


def session(items, token=None, nerves=(), before=None, after=None, **per_item):
    """The form data of a session; `nerves`: the NeuroSymptom codes ticked after a yes to
    the session's nerve question (none: "none of these"); `before` and `after`: the
    symptoms blocks (3/10 in the middle of the low back unless given)."""
    data = {
        "session_token": token or uuid.uuid4().hex,
        "session-nerves": "yes" if nerves else "none",
        "session-symptoms": list(nerves),
        **(before or symptoms("before")),
        **(after or symptoms("after")),
    }
    for item in items:
        data.update(per_item.get(str(item.position), item_answers(item, status="skipped")))
    return data


def test_the_url_is_named():
    assert reverse("portal:session") == URL


def test_it_shows_every_exercise_with_the_dosage_and_no_answer_chosen(
    patient_client, prescription, checked_today
):
    response = patient_client.get(URL)
    assert response.status_code == 200
    content = response.content.decode()
    items = list(prescription.items.select_related("exercise"))
    for item in items:
        assert item.exercise.name in content
        assert f'name="item-{item.pk}-sets_done" id="id_item-{item.pk}-sets_done"' in content
        assert re.search(
            rf'name="item-{item.pk}-repetitions_done"[^>]*value="{item.repetitions}"', content
        )
    assert " checked" not in content


def test_it_asks_the_safety_questions_first(patient_client, prescription):
    response = patient_client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("portal:red_flags"))


def test_it_stores_one_log_per_exercise_done(patient_client, patient, prescription):
    first, second, *rest = prescription.items.order_by("position")
    data = session(
        [first, second, *rest],
        before=symptoms("before", back_pain="2", leg_pain="6", location="thigh"),
        after=symptoms("after", back_pain="5", leg_pain="0", location="central"),
        **{"1": item_answers(first), "2": item_answers(second, status="", sets_done="3")},
    )
    response = patient_client.post(URL, data)
    assert response.status_code == 302
    logs = SymptomLog.objects.filter(patient=patient).order_by("item__position")
    # The session's "after" is each log's pain: back and leg apart, the higher as `pain`.
    assert [
        (log.item_id, log.pain, log.back_pain, log.leg_pain, log.location, log.sets_done)
        for log in logs
    ] == [(first.pk, 5, 5, 0, "central", 2), (second.pk, 5, 5, 0, "central", 3)]
    session_row = ExerciseSession.objects.get(patient=patient)
    assert (
        session_row.before_back_pain,
        session_row.before_leg_pain,
        session_row.before_location,
        session_row.response,
    ) == (2, 6, "thigh", "centralizing")
    assert list(session_row.skipped.all()) == rest
    assert {log.session_id for log in logs} == {session_row.pk}
    page = patient_client.get(response.url).content.decode()
    assert "2 exercises saved." in page


def test_a_double_submit_stores_nothing_twice(patient_client, patient, prescription):
    items = list(prescription.items.order_by("position"))
    data = session(items, **{"1": item_answers(items[0])})
    patient_client.post(URL, data)
    patient_client.post(URL, data)
    assert SymptomLog.objects.filter(patient=patient).count() == 1


@pytest.mark.hazard("H-01")
def test_a_stop_names_the_exercise_and_the_rest_is_saved(patient_client, patient, prescription):
    first, second, *rest = prescription.items.select_related("exercise").order_by("position")
    data = session(
        [first, second, *rest],
        **{"1": item_answers(first, during="peripheralize"), "2": item_answers(second)},
    )
    response = patient_client.post(URL, data)
    assert SymptomLog.objects.filter(patient=patient).count() == 2
    page = patient_client.get(response.url).content.decode()
    assert f"Stop doing {first.exercise.name}" in page
    assert f"Stop doing {second.exercise.name}" not in page


def test_a_done_exercise_without_answers_saves_nothing_and_says_why(
    patient_client, patient, prescription
):
    items = list(prescription.items.select_related("exercise").order_by("position"))
    data = session(items, **{"1": item_answers(items[0], during="", after="", status="done")})
    response = patient_client.post(URL, data)
    assert response.status_code == 400
    assert "Nothing was saved yet" in response.content.decode()
    assert not SymptomLog.objects.exists()


def test_an_exercise_neither_done_nor_skipped_is_asked_about(patient_client, prescription):
    items = list(prescription.items.order_by("position"))
    data = session(items, **{"1": item_answers(items[0]), "2": {}})
    response = patient_client.post(URL, data)
    assert response.status_code == 400
    assert "Please say whether you did it or skipped it." in response.content.decode()
    assert not SymptomLog.objects.exists()


def test_all_skipped_saves_nothing(patient_client, prescription):
    items = list(prescription.items.order_by("position"))
    response = patient_client.post(URL, session(items))
    assert response.status_code == 400
    assert not SymptomLog.objects.exists()


def test_it_sends_anonymous_visitors_to_the_login(client, db):
    assert client.get(URL).status_code == 302
    assert "/accounts/login/" in client.get(URL)["Location"]


@pytest.mark.parametrize("method", ["put", "delete"])
def test_it_refuses_other_methods(patient_client, prescription, method):
    assert getattr(patient_client, method)(URL).status_code == 405


def test_a_therapist_is_sent_to_the_dashboard(therapist_client):
    assert therapist_client.get(URL).status_code == 302


def test_another_patients_logs_are_not_shown_on_the_result(
    patient_client, other_patient, therapist
):
    from tests.factories import make_prescription

    other_item = make_prescription(other_patient, therapist, first=1).items.get()
    from prescriptions.services import record_symptom_log

    log = record_symptom_log(
        patient=other_patient,
        item=other_item,
        pain=2,
        location="central",
        during="decrease",
        after="better",
        sets_done=1,
        repetitions_done=10,
    ).log
    response = patient_client.get(f"/portal/session/saved/?session={log.session_id}")
    assert response.status_code == 302
    assert other_item.exercise.name not in patient_client.get(response.url).content.decode()
