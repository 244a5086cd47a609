"""The dashboard under safety v3: the patient page shows every finding of a grouped
alert with its days, a recurrence as a quiet note, and the paper-log form refuses
contradictory answers."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from prescriptions.models import SymptomLog
from prescriptions.services import record_symptom_log
from tests.dashboard.test_paper_log import answers, url


def _log(patient, item, *, days_ago, **answers_):
    values = {
        "pain": 4,
        "location": "thigh",
        "during": "no_effect",
        "after": "no_worse",
        **answers_,
    }
    return record_symptom_log(
        patient=patient,
        item=item,
        sets_done=1,
        repetitions_done=10,
        logged_at=timezone.now() - timedelta(days=days_ago),
        **values,
    )


def test_the_patient_page_shows_every_finding_of_a_grouped_alert_with_its_days(
    therapist_client, patient, item
):
    _log(patient, item, days_ago=0.9, after="worse", pain=5)
    _log(patient, item, days_ago=0.1, after="worse", pain=7)
    content = therapist_client.get(reverse("patients:detail", args=[patient.pk])).content.decode()
    assert "Worse after the exercise and staying worse (pain 5/10)." in content
    assert "Worse after the exercise and staying worse (pain 7/10)." in content
    assert "data-alert-findings" in content


def test_the_patient_page_counts_the_days_a_spread_persists(therapist_client, patient, item):
    patient.starting_location = "thigh"
    patient.save()
    for days_ago in (0.8, 0.5, 0.2):
        _log(patient, item, days_ago=days_ago, location="foot")
    content = therapist_client.get(reverse("patients:detail", args=[patient.pk])).content.decode()
    assert content.count("further out than thigh") == 2  # two distinct findings, both shown
    assert "3 times since" in content


def test_a_recurrence_shows_as_a_note_for_information(therapist_client, patient, item):
    _log(patient, item, days_ago=1, pain=0, location="none")
    _log(patient, item, days_ago=0, pain=2, location="central")
    content = therapist_client.get(reverse("patients:detail", args=[patient.pk])).content.decode()
    assert "Pain back after no pain (recurrence)" in content
    assert "For information" in content


def test_the_paper_log_form_refuses_pain_with_no_pain_and_stores_nothing(
    therapist_client, patient, item
):
    response = therapist_client.post(url(patient), answers(item, pain=6, location="none"))
    assert response.status_code == 400
    assert "but chose" in response.content.decode()
    assert not SymptomLog.objects.exists()


def test_the_paper_log_form_refuses_pain_0_with_a_location(therapist_client, patient, item):
    response = therapist_client.post(url(patient), answers(item, pain=0, location="foot"))
    assert response.status_code == 400
    assert response.context["form"].errors["pain"]
    assert not SymptomLog.objects.exists()
