"""The portal under safety v3: a stop that lasts while the pain stays out, the mark
that ends with the therapist's acknowledgement unless the spread still holds, the
recurrence advice, contradictory answers refused, and whole sentences for the patient."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from prescriptions.models import Alert, NeuroSymptom, SymptomLog
from prescriptions.services import record_symptom_log
from tests.portal.test_session import symptoms
from tests.shown import shown

STOPPED = "Do not do this exercise for now."


def _log(patient, item, *, location, pain=4, days_ago=0.0, **answers):
    values = {"during": "no_effect", "after": "no_worse", **answers}
    return record_symptom_log(
        patient=patient,
        item=item,
        pain=pain,
        location=location,
        sets_done=1,
        repetitions_done=10,
        logged_at=timezone.now() - timedelta(days=days_ago),
        **values,
    )


@pytest.fixture
def started_at_thigh(patient):
    patient.starting_location = "thigh"
    patient.save()
    return patient


def _today(client) -> str:
    return shown(client.get(reverse("portal:today")).content.decode())


@pytest.mark.hazard("H-01")
def test_today_keeps_the_exercise_stopped_while_the_pain_stays_further_out(
    patient_client, started_at_thigh, item, checked_today
):
    _log(started_at_thigh, item, location="below_knee", days_ago=2)
    assert STOPPED in _today(patient_client)
    # The next log of the same exercise, still below the knee: still stopped.
    _log(started_at_thigh, item, location="below_knee", days_ago=1, during="decrease")
    assert STOPPED in _today(patient_client)
    session = shown(patient_client.get(reverse("portal:session")).content.decode())
    assert STOPPED in session or "stopped" in session.lower()


@pytest.mark.hazard("H-01")
def test_a_log_back_at_the_reference_ends_the_mark(
    patient_client, started_at_thigh, item, checked_today
):
    _log(started_at_thigh, item, location="below_knee", days_ago=1)
    _log(started_at_thigh, item, location="thigh")
    assert STOPPED not in _today(patient_client)


def test_acknowledging_a_worse_alert_ends_the_mark(
    patient_client, patient, item, therapist, checked_today
):
    _log(patient, item, location="buttock", after="worse")
    assert STOPPED in _today(patient_client)
    Alert.objects.get().acknowledge(by=therapist)
    assert STOPPED not in _today(patient_client)


@pytest.mark.hazard("H-01")
def test_acknowledging_a_spread_that_still_holds_keeps_the_mark(
    patient_client, started_at_thigh, item, therapist, checked_today
):
    _log(started_at_thigh, item, location="foot")
    Alert.objects.get().acknowledge(by=therapist)
    assert STOPPED in _today(patient_client)


def test_acknowledging_a_spread_that_has_ended_elsewhere_ends_the_mark(
    patient_client, started_at_thigh, prescription, therapist, checked_today
):
    first, second = prescription.items.order_by("position")[:2]
    _log(started_at_thigh, first, location="foot", days_ago=0.2)
    _log(started_at_thigh, second, location="thigh")  # back at the reference
    assert STOPPED in _today(patient_client)  # the alert is still open
    Alert.objects.get().acknowledge(by=therapist)
    assert STOPPED not in _today(patient_client)


@pytest.mark.hazard("H-03")
def test_pain_back_after_none_tells_the_patient_to_restart_not_to_stop(
    patient_client, patient, item, answers, checked_today
):
    _log(patient, item, location="none", pain=0, days_ago=1)
    response = patient_client.post(
        reverse("portal:log", args=[item.pk]),
        answers(pain="3", location="central", during="decrease", after="better"),
        follow=True,
    )
    content = shown(response.content.decode())
    assert "Your pain has come back." in content
    assert "Restart your exercises as your therapist prescribed them." in content
    assert "Stop doing" not in content
    assert Alert.objects.get().severity == "note"


@pytest.mark.parametrize(
    ("pain", "location", "message"),
    [
        ("7", "none", 'You gave a pain score above 0 but chose "no pain".'),
        ("0", "foot", "You gave a pain score of 0 but chose where the pain reaches."),
    ],
)
def test_contradictory_answers_are_a_form_error_and_store_nothing(
    patient_client, item, answers, checked_today, pain, location, message
):
    response = patient_client.post(
        reverse("portal:log", args=[item.pk]), answers(pain=pain, location=location)
    )
    assert response.status_code == 400
    assert message in shown(response.content.decode()).replace("&quot;", '"')
    assert not SymptomLog.objects.exists()


@pytest.mark.hazard("H-05")
def test_the_session_page_refuses_a_contradiction_and_stores_nothing(
    patient_client, prescription, checked_today
):
    item = prescription.items.order_by("position").first()
    data = {
        f"item-{item.pk}-status": "done",
        f"item-{item.pk}-sets_done": "1",
        f"item-{item.pk}-repetitions_done": "10",
        f"item-{item.pk}-during": "no_effect",
        f"item-{item.pk}-after": "no_effect",
        "session-nerves": "none",
        **symptoms("before"),
        **symptoms("after", back_pain="6", leg_pain="0", location="none"),
    }
    for other in prescription.items.exclude(pk=item.pk):
        data[f"item-{other.pk}-status"] = "skipped"
    for code in NeuroSymptom.values:
        data[f"item-{item.pk}-neuro_{code}"] = "no"
    response = patient_client.post(reverse("portal:session"), data)
    assert response.status_code == 400
    assert "but chose" in shown(response.content.decode())
    assert not SymptomLog.objects.exists()


def test_the_stop_reason_is_whole_sentences_in_the_patients_voice(
    patient_client, started_at_thigh, item, answers, checked_today
):
    response = patient_client.post(
        reverse("portal:log", args=[item.pk]),
        answers(location="below_knee", during="decrease", after="better"),
        follow=True,
    )
    content = shown(response.content.decode())
    assert "Your pain now reaches below your knee." in content
    assert "In recent days, it reached no further than your thigh." in content
    assert "Your pain now reaches:" not in content


def test_the_stop_reason_is_spanish_for_a_spanish_patient(
    patient_client, started_at_thigh, item, answers, checked_today
):
    started_at_thigh.preferred_language = "es"
    started_at_thigh.save()
    patient_client.cookies["django_language"] = "es"
    response = patient_client.post(
        reverse("portal:log", args=[item.pk]),
        answers(location="below_knee", during="decrease", after="better"),
        follow=True,
        headers={"Accept-Language": "es"},
    )
    content = shown(response.content.decode())
    assert "Ahora el dolor llega por debajo de la rodilla." in content


def _session_data(prescription, **session_answers):
    first, *rest = prescription.items.order_by("position")
    data = {
        f"item-{first.pk}-status": "done",
        f"item-{first.pk}-sets_done": "1",
        f"item-{first.pk}-repetitions_done": "10",
        f"item-{first.pk}-during": "decrease",
        f"item-{first.pk}-after": "better",
        **{f"item-{other.pk}-status": "skipped" for other in rest},
        **symptoms("before"),
        **symptoms("after"),
    }
    data.update(session_answers)
    return data


@pytest.mark.hazard("H-01")
def test_the_session_asks_the_nerve_question_once_with_nothing_chosen(
    patient_client, prescription, checked_today
):
    content = shown(patient_client.get(reverse("portal:session")).content.decode())
    question = "Since you started, any new or spreading numbness, tingling or weakness?"
    assert content.count(question) == 1
    assert content.count('name="session-nerves"') == 2  # yes, none of these
    assert "None of these" in content
    assert "neuro_" not in content  # no nerve questions per exercise any more
    assert " checked" not in content


def test_a_session_without_the_nerve_answer_is_refused_and_stores_nothing(
    patient_client, prescription, checked_today
):
    response = patient_client.post(reverse("portal:session"), _session_data(prescription))
    assert response.status_code == 400
    assert "Please answer &quot;yes&quot; or &quot;none of these&quot;." in shown(
        response.content.decode()
    )
    assert not SymptomLog.objects.exists()


def test_a_yes_without_which_symptoms_is_refused(patient_client, prescription, checked_today):
    response = patient_client.post(
        reverse("portal:session"), _session_data(prescription, **{"session-nerves": "yes"})
    )
    assert response.status_code == 400
    assert "Please tick which ones are new or spreading." in shown(response.content.decode())
    assert not SymptomLog.objects.exists()


def test_none_of_these_with_a_symptom_ticked_is_refused(
    patient_client, prescription, checked_today
):
    response = patient_client.post(
        reverse("portal:session"),
        _session_data(prescription, **{"session-nerves": "none", "session-symptoms": ["numbness"]}),
    )
    assert response.status_code == 400
    assert not SymptomLog.objects.exists()


def test_a_yes_stops_each_exercise_done_in_the_session(patient_client, prescription, checked_today):
    second = prescription.items.order_by("position")[1]
    data = _session_data(
        prescription, **{"session-nerves": "yes", "session-symptoms": ["pins_needles"]}
    )
    data.update(
        {
            f"item-{second.pk}-status": "done",
            f"item-{second.pk}-sets_done": "1",
            f"item-{second.pk}-repetitions_done": "10",
            f"item-{second.pk}-during": "no_effect",
            f"item-{second.pk}-after": "no_worse",
        }
    )
    response = patient_client.post(reverse("portal:session"), data)
    assert response.status_code == 302
    logs = SymptomLog.objects.order_by("item__position")
    assert [(log.new_symptoms, log.stop_exercise) for log in logs] == [
        (["pins_needles"], True),
        (["pins_needles"], True),
    ]


@pytest.mark.hazard("H-01")
def test_a_therapist_can_let_the_patient_resume_while_the_spread_holds(
    patient_client, started_at_thigh, item, therapist, other_clinic_therapist, checked_today
):
    from django.test import Client

    from clinics.models import AuditEvent

    client = Client()
    _log(started_at_thigh, item, location="foot")
    resume = reverse("prescriptions:item_resume", args=[item.pk])
    # Another clinic's therapist and the patient cannot lift it.
    client.force_login(other_clinic_therapist)
    assert client.post(resume).status_code == 404
    assert patient_client.post(resume).status_code == 403
    assert STOPPED in _today(patient_client)

    client.force_login(therapist)
    page = shown(
        client.get(reverse("patients:detail", args=[started_at_thigh.pk])).content.decode()
    )
    assert f"Let the patient resume {item.exercise.name}" in page
    response = client.post(resume)
    assert response.status_code == 302
    assert STOPPED not in _today(patient_client)
    log = SymptomLog.objects.get()
    assert (log.stop_cleared_by, log.stop_exercise) == (therapist, True)
    assert AuditEvent.objects.filter(detail__action="resume").count() == 1
    page = shown(
        client.get(reverse("patients:detail", args=[started_at_thigh.pk])).content.decode()
    )
    assert f"Let the patient resume {item.exercise.name}" not in page

    # Still out at the next log: stopped again, and the therapist may lift it again.
    _log(started_at_thigh, item, location="foot", days_ago=-0.001)
    assert STOPPED in _today(patient_client)
