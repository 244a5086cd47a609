"""The portal's red-flag questions by tier: who is asked what and when, and what a
yes of each tier tells the patient and the clinic."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from prescriptions.models import Alert, RedFlagCheck
from prescriptions.red_flags import QUESTIONS, Tier, questions
from prescriptions.services import record_red_flag_check, record_symptom_log
from tests.shown import shown


@pytest.fixture
def clinic_with_phone(clinic):
    clinic.phone = "020 7946 0000"
    clinic.save()
    return clinic


def answers_for(tiers, **yes):
    data = {q.code: ("yes" if q.code in yes else "no") for q in questions(tiers)}
    data["tiers"] = list(tiers)
    return data


def shown_codes(content):
    return [q.code for q in QUESTIONS if f'name="{q.code}"' in content]


def emergency_codes():
    return [q.code for q in questions([Tier.EMERGENCY])]


def test_a_new_patient_is_asked_both_tiers_before_the_first_session(patient_client, item):
    response = patient_client.get(reverse("portal:session"))
    assert response.url.startswith(reverse("portal:red_flags"))
    content = shown(patient_client.get(response.url).content.decode())
    assert shown_codes(content) == [q.code for q in QUESTIONS]


@pytest.mark.hazard("H-02")
def test_with_leg_symptoms_the_emergency_questions_come_back_each_day_and_the_rest_weekly(
    patient_client, patient, item
):
    patient.starting_location = "thigh"
    patient.save()
    yesterday = timezone.localdate() - timedelta(days=1)
    record_red_flag_check(patient=patient, answered_yes=[], on=yesterday)
    response = patient_client.get(reverse("portal:session"))
    assert response.url.startswith(reverse("portal:red_flags"))
    content = shown(patient_client.get(response.url).content.decode())
    assert shown_codes(content) == emergency_codes()
    data = answers_for([Tier.EMERGENCY]) | {"next": reverse("portal:session")}
    assert patient_client.post(reverse("portal:red_flags"), data).url == reverse("portal:session")
    check = RedFlagCheck.objects.get(patient=patient, checked_on=timezone.localdate())
    assert check.asked == sorted(emergency_codes())
    assert patient_client.get(reverse("portal:session")).status_code == 200


def test_the_latest_log_decides_whether_the_patient_has_leg_symptoms(patient_client, patient, item):
    # Started in the thigh, now centralized to the back: weekly, not daily.
    patient.starting_location = "thigh"
    patient.save()
    record_symptom_log(
        patient=patient,
        item=item,
        pain=2,
        location="central",
        during="centralize",
        after="better",
        sets_done=1,
        repetitions_done=10,
        logged_at=timezone.now() - timedelta(days=1),
    )
    record_red_flag_check(
        patient=patient, answered_yes=[], on=timezone.localdate() - timedelta(days=1)
    )
    assert patient_client.get(reverse("portal:session")).status_code == 200


@pytest.mark.parametrize(("days_ago", "due"), [(6, False), (7, True)])
def test_without_leg_symptoms_both_tiers_are_asked_weekly(
    patient_client, patient, item, days_ago, due
):
    patient.starting_location = "one_side"
    patient.save()
    record_red_flag_check(
        patient=patient, answered_yes=[], on=timezone.localdate() - timedelta(days=days_ago)
    )
    response = patient_client.get(reverse("portal:session"))
    if not due:
        assert response.status_code == 200
        return
    assert response.url.startswith(reverse("portal:red_flags"))
    content = shown(patient_client.get(response.url).content.decode())
    assert shown_codes(content) == [q.code for q in QUESTIONS]


@pytest.mark.hazard("H-02")
def test_report_a_warning_sign_asks_every_question_even_when_none_is_due(
    patient_client, patient, item, checked_today
):
    content = shown(patient_client.get(reverse("portal:red_flags")).content.decode())
    assert shown_codes(content) == [q.code for q in QUESTIONS]
    assert "Answer again if something has changed" in content


@pytest.mark.hazard("H-03")
def test_a_see_a_doctor_today_yes_says_so_without_an_emergency_and_keeps_the_program(
    patient_client, patient, item, clinic_with_phone
):
    response = patient_client.post(
        reverse("portal:red_flags"), answers_for(Tier.values, fever="yes"), follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("portal:see_doctor")
    content = shown(response.content.decode())
    assert "Contact your doctor or your clinic today" in content
    assert "A fever, or feeling hot and shivery" in content
    assert "emergency department now" not in content
    assert 'href="tel:02079460000"' in content
    alert = Alert.objects.get(patient=patient)
    assert (alert.kind, alert.severity) == ("red_flag_today", "warning")
    today = shown(patient_client.get(reverse("portal:today")).content.decode())
    assert "Log how it went" in today and "Seek urgent medical care now" not in today


def test_with_a_risk_history_a_see_a_doctor_today_yes_is_urgent_for_the_clinic_only(
    patient_client, patient, item
):
    patient.risk_factors = ["cancer"]
    patient.save()
    patient_client.post(reverse("portal:red_flags"), answers_for(Tier.values, night_pain="yes"))
    alert = Alert.objects.get(patient=patient)
    assert (alert.kind, alert.severity) == ("red_flag_today", "urgent")
    assert "risk history" in alert.message
    # The patient's advice does not change with it, and the program goes on.
    page = shown(patient_client.get(reverse("portal:see_doctor")).content.decode())
    assert "Contact your doctor or your clinic today" in page
    today = shown(patient_client.get(reverse("portal:today")).content.decode())
    assert "Log how it went" in today


@pytest.mark.hazard("H-02")
def test_an_emergency_yes_pauses_the_program_and_does_not_promise_a_call(
    patient_client, patient, item
):
    response = patient_client.post(
        reverse("portal:red_flags"), answers_for(Tier.values, both_legs="yes"), follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("portal:urgent")
    content = shown(response.content.decode())
    assert "emergency department" in content
    for promise in ("will call", "call you", "24 hours", "around the clock"):
        assert promise not in content
    alert = Alert.objects.get(patient=patient)
    assert (alert.kind, alert.severity) == ("red_flag", "urgent")
    today = shown(patient_client.get(reverse("portal:today")).content.decode())
    assert "Log how it went" not in today and "Seek urgent medical care now" in today


def test_both_tiers_at_once_send_the_patient_to_urgent_care_with_two_alerts(
    patient_client, patient, item
):
    response = patient_client.post(
        reverse("portal:red_flags"),
        answers_for(Tier.values, weight_loss="yes", leg_weakness="yes"),
    )
    assert response.url == reverse("portal:urgent")
    assert sorted(Alert.objects.values_list("kind", "severity")) == [
        ("red_flag", "urgent"),
        ("red_flag_today", "warning"),
    ]


def test_the_doctor_today_page_is_only_for_a_yes_of_that_tier_given_today(patient_client, patient):
    assert patient_client.get(reverse("portal:see_doctor")).url == reverse("portal:today")
    record_red_flag_check(patient=patient, answered_yes=["bladder_bowel"])
    assert patient_client.get(reverse("portal:see_doctor")).url == reverse("portal:today")


@pytest.mark.parametrize("method", ["post", "put"])
def test_the_doctor_today_page_only_reads(patient_client, method):
    response = getattr(patient_client, method)(reverse("portal:see_doctor"))
    assert response.status_code == 405


def test_the_doctor_today_page_is_for_signed_in_patients_only(client, therapist_client):
    assert client.get(reverse("portal:see_doctor")).status_code == 302
    assert therapist_client.get(reverse("portal:see_doctor")).status_code == 302
