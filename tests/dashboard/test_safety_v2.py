"""The dashboard under the safety rules: an honest paper-log form that asks the
nerve and red-flag questions, grouped alerts on the patient page, acknowledging
them all, and the patient's starting location."""

import uuid
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from prescriptions.models import Alert, NeuroSymptom, RedFlagCheck, SymptomLog
from prescriptions.red_flags import QUESTION_CODES
from prescriptions.services import record_symptom_log


def paper_url(patient) -> str:
    return reverse("prescriptions:log_create", kwargs={"patient_pk": patient.pk})


def ack_all_url(patient) -> str:
    return reverse("prescriptions:acknowledge_all_alerts", kwargs={"patient_pk": patient.pk})


def paper(item, /, **overrides):
    data = {
        "item": item.pk,
        "logged_at": (timezone.localtime() - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "sets_done": 1,
        "repetitions_done": 10,
        "pain": 3,
        "location": "buttock",
        "during": "no_effect",
        "after": "no_effect",
        "note": "",
        "client_token": uuid.uuid4().hex,
        **{f"neuro_{code}": "no" for code in NeuroSymptom.values},
        **{f"red_flag_{code}": "no" for code in QUESTION_CODES},
    }
    data.update(overrides)
    return data


def worse_log(patient, item, **extra):
    return record_symptom_log(
        patient=patient,
        item=item,
        pain=5,
        location="buttock",
        during="no_effect",
        after="worse",
        sets_done=1,
        repetitions_done=10,
        **extra,
    )


def test_the_paper_form_has_nothing_filled_in(therapist_client, patient, item):
    form = therapist_client.get(paper_url(patient)).context["form"]
    for name, field in form.fields.items():
        if name != "client_token":
            assert form[name].value() in (None, ""), name
            assert field.required or name == "note", name


def test_an_empty_paper_form_gives_an_error_on_each_field_and_stores_nothing(
    therapist_client, patient, item
):
    token = uuid.uuid4().hex
    response = therapist_client.post(paper_url(patient), {"client_token": token})
    assert response.status_code == 400
    errors = response.context["form"].errors
    for name in ("item", "logged_at", "sets_done", "repetitions_done", "pain", "location"):
        assert name in errors
    assert {
        "during",
        "after",
        "neuro_numbness",
        "red_flag_bladder_bowel",
        "red_flag_night_pain",
    } <= set(errors)
    assert not SymptomLog.objects.exists()
    assert not RedFlagCheck.objects.exists()


@pytest.mark.hazard("H-01")
def test_paper_entry_judges_the_location_from_the_data(therapist_client, patient, item):
    worse_log(patient, item, logged_at=timezone.now() - timedelta(days=1))
    Alert.objects.all().delete()
    SymptomLog.objects.update(location="buttock")
    response = therapist_client.post(
        paper_url(patient),
        paper(item, location="below_knee", during="decrease", after="better"),
        follow=True,
    )
    assert "should stop" in response.content.decode()
    log = SymptomLog.objects.latest("id")
    assert (log.stop_exercise, log.reference_location, log.source) == (
        True,
        "buttock",
        "therapist",
    )
    assert Alert.objects.get().kind == "peripheralization"


def test_paper_entry_records_nerve_symptoms(therapist_client, patient, item):
    therapist_client.post(paper_url(patient), paper(item, neuro_weakness="yes"))
    log = SymptomLog.objects.get()
    assert log.new_symptoms == ["weakness"] and log.stop_exercise
    assert Alert.objects.get().severity == "urgent"


@pytest.mark.hazard("H-02")
def test_paper_entry_records_the_days_red_flags_and_a_yes_is_urgent(
    therapist_client, patient, item
):
    response = therapist_client.post(
        paper_url(patient), paper(item, red_flag_saddle_numbness="yes"), follow=True
    )
    assert "Red flag, seek urgent care now" in response.content.decode()
    check = RedFlagCheck.objects.get()
    assert check.answered_yes == ["saddle_numbness"]
    assert check.checked_on == SymptomLog.objects.get().logged_at.date()
    alert = Alert.objects.get(kind="red_flag")
    assert alert.severity == "urgent"


def test_paper_entry_with_all_no_stores_the_days_check_without_an_alert(
    therapist_client, patient, item
):
    therapist_client.post(paper_url(patient), paper(item))
    assert RedFlagCheck.objects.get().answered_yes == []
    assert not Alert.objects.exists()


def test_the_patient_page_shows_a_group_with_its_count_and_logs(therapist_client, patient, item):
    with time_machine.travel("2026-03-03 09:00Z"):  # a Tuesday
        worse_log(patient, item)
    with time_machine.travel("2026-03-05 09:00Z"):
        worse_log(patient, item)
        worse_log(patient, item)
        content = therapist_client.get(
            reverse("patients:detail", kwargs={"pk": patient.pk})
        ).content.decode()
    assert "3 times since Tuesday" in content
    assert content.count("pain 5/10") >= 3
    assert Alert.objects.get().count == 3


def test_acknowledge_all_closes_every_open_alert(therapist_client, therapist, patient, item):
    worse_log(patient, item)
    worse_log(patient, item, new_symptoms=["both_legs"])
    page = therapist_client.get(reverse("patients:detail", kwargs={"pk": patient.pk}))
    assert "Acknowledge all" in page.content.decode()
    response = therapist_client.post(ack_all_url(patient), follow=True)
    assert "2 alerts acknowledged." in response.content.decode()
    assert not Alert.objects.open().exists()
    assert set(Alert.objects.values_list("acknowledged_by", flat=True)) == {therapist.pk}


def test_acknowledge_all_needs_a_post(therapist_client, patient):
    assert therapist_client.get(ack_all_url(patient)).status_code == 405


def test_acknowledge_all_sends_anonymous_visitors_to_the_login(client, patient, item):
    worse_log(patient, item)
    assert client.post(ack_all_url(patient))["Location"].startswith("/accounts/login/")
    assert Alert.objects.open().exists()


def test_acknowledge_all_for_another_clinics_patient_is_a_404(stranger_client, patient, item):
    worse_log(patient, item)
    assert stranger_client.post(ack_all_url(patient)).status_code == 404
    assert Alert.objects.open().exists()


def test_the_therapist_records_the_starting_location(therapist_client, patient):
    url = reverse("patients:edit", kwargs={"pk": patient.pk})
    form = therapist_client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields if name != "risk_factors"}
    data["starting_location"] = "thigh"
    therapist_client.post(url, data)
    patient.refresh_from_db()
    assert patient.starting_location == "thigh"
    page = therapist_client.get(reverse("patients:detail", kwargs={"pk": patient.pk}))
    assert "Pain reached at the start" in page.content.decode()
