"""The portal under the safety rules: stops judged from the data, nerve questions,
the urgent state that hides the program until a therapist acknowledges, and the
way to report a warning sign at any time."""

import pytest
from django.urls import reverse

from prescriptions.models import Alert, NeuroSymptom, SymptomLog
from prescriptions.red_flags import QUESTION_CODES
from prescriptions.services import record_symptom_log
from tests.portal.html import checked
from tests.shown import shown


@pytest.fixture
def clinic_with_phone(clinic):
    clinic.phone = "020 7946 0000"
    clinic.emergency_number = "999"
    clinic.save()
    return clinic


def _earlier_log(patient, item, location):
    return record_symptom_log(
        patient=patient,
        item=item,
        pain=4,
        location=location,
        during="no_effect",
        after="no_effect",
        sets_done=1,
        repetitions_done=10,
    )


def test_the_log_form_asks_each_nerve_question_with_nothing_chosen(
    patient_client, item, checked_today
):
    content = shown(patient_client.get(reverse("portal:log", args=[item.pk])).content.decode())
    for code, label in NeuroSymptom.choices:
        assert str(label) in content
        assert checked(content, f"neuro_{code}") == []


def test_a_log_without_the_nerve_answers_is_refused_and_stores_nothing(
    patient_client, item, answers, checked_today
):
    data = answers()
    del data["neuro_both_legs"]
    response = patient_client.post(reverse("portal:log", args=[item.pk]), data)
    assert response.status_code == 400
    assert "Please answer yes or no." in shown(response.content.decode())
    assert not SymptomLog.objects.exists()


def test_pain_further_out_than_last_time_stops_although_the_patient_said_better(
    patient_client, patient, item, answers, checked_today, clinic_with_phone
):
    _earlier_log(patient, item, "thigh")
    response = patient_client.post(
        reverse("portal:log", args=[item.pk]),
        answers(location="below_knee", during="decrease", after="better"),
        follow=True,
    )
    content = shown(response.content.decode())
    assert f"Stop doing {item.exercise.name}" in content
    assert "In recent days, it reached no further than your thigh." in content
    assert "That is a good sign" not in content
    log = SymptomLog.objects.latest("id")
    assert (log.stop_exercise, log.reference_location) == (True, "thigh")
    assert Alert.objects.get().kind == "peripheralization"
    # The main action is to contact the clinic, then back to today; no "next exercise".
    contact = content.index("Contact the clinic")
    assert 'href="tel:02079460000"' in content
    assert contact < content.index("Back to today", contact)
    assert "Next exercise" not in content


def test_pain_closer_to_the_spine_is_shown_as_centralization(
    patient_client, patient, item, answers, checked_today
):
    _earlier_log(patient, item, "thigh")
    response = patient_client.post(
        reverse("portal:log", args=[item.pk]), answers(location="central"), follow=True
    )
    content = shown(response.content.decode())
    assert "centralization" in content and "good sign" in content
    assert not Alert.objects.exists()


def test_a_nerve_yes_stops_the_exercise_and_alerts(
    patient_client, patient, item, answers, checked_today
):
    response = patient_client.post(
        reverse("portal:log", args=[item.pk]),
        answers(neuro_pins_needles="yes", during="decrease", after="better"),
        follow=True,
    )
    content = shown(response.content.decode())
    assert f"Stop doing {item.exercise.name}" in content
    assert "new pins and needles in a leg or foot" in content
    assert SymptomLog.objects.get().new_symptoms == ["pins_needles"]
    assert Alert.objects.get().kind == "neurological"
    # Today marks the exercise stopped until the next log.
    today = shown(patient_client.get(reverse("portal:today")).content.decode())
    assert "Do not do this exercise for now." in today


def test_both_legs_on_a_log_pauses_the_program_until_a_therapist_acknowledges(
    patient_client, patient, item, answers, checked_today, therapist, clinic_with_phone
):
    response = patient_client.post(
        reverse("portal:log", args=[item.pk]), answers(neuro_both_legs="yes"), follow=True
    )
    assert "Seek urgent medical care now" in shown(response.content.decode())
    today = shown(patient_client.get(reverse("portal:today")).content.decode())
    assert "Seek urgent medical care now" in today
    assert 'href="tel:999"' in today and 'href="tel:02079460000"' in today
    assert "Log how it went" not in today and item.exercise.name not in today
    assert patient_client.get(reverse("portal:log", args=[item.pk])).url == reverse("portal:today")
    Alert.objects.get(severity="urgent").acknowledge(by=therapist)
    today = shown(patient_client.get(reverse("portal:today")).content.decode())
    assert "Log how it went" in today and "Seek urgent medical care now" not in today


@pytest.mark.hazard("H-02")
def test_an_emergency_red_flag_yes_hides_the_exercises_and_shows_both_numbers(
    patient_client, patient, prescription, clinic_with_phone
):
    data = dict.fromkeys(QUESTION_CODES, "no") | {"saddle_numbness": "yes"}
    patient_client.post(reverse("portal:red_flags"), data)
    urgent = shown(patient_client.get(reverse("portal:urgent")).content.decode())
    assert 'href="tel:999"' in urgent
    today = shown(patient_client.get(reverse("portal:today")).content.decode())
    assert "Seek urgent medical care now" in today
    assert "New numbness around your back passage" in today
    assert "Log how it went" not in today
    assert 'href="tel:999"' in today and 'href="tel:02079460000"' in today


def test_today_always_offers_to_report_a_warning_sign(patient_client, prescription, checked_today):
    content = shown(patient_client.get(reverse("portal:today")).content.decode())
    assert "Report a warning sign" in content
    assert reverse("portal:red_flags") in content
    # Already answered no today, the questions can still be answered again.
    page = shown(patient_client.get(reverse("portal:red_flags")).content.decode())
    assert "Answer again if something has changed" in page


def test_a_resent_log_form_stores_one_log(patient_client, item, answers, checked_today):
    data = answers(after="worse")
    first = patient_client.post(reverse("portal:log", args=[item.pk]), data)
    again = patient_client.post(reverse("portal:log", args=[item.pk]), data)
    assert first.url == again.url
    assert SymptomLog.objects.count() == 1
    assert Alert.objects.get().count == 1
