"""Today after a discharge: the patient reads that their treatment ended, when, where
their discharge summary is and how to reach the clinic, not "no exercises yet"."""

import pytest
from django.urls import reverse

from clinics.dates import long_date
from prescriptions.outcomes import end_episode
from tests.factories import make_prescription

pytestmark = pytest.mark.any_hour


@pytest.fixture
def discharged(patient, prescription, therapist, clinic):
    clinic.phone = "020 7946 0000"
    clinic.save(update_fields=["phone"])
    return end_episode(patient=patient, by=therapist, summary_note="Back to gardening.")


def test_it_says_the_treatment_ended_with_the_date(patient_client, discharged):
    content = patient_client.get(reverse("portal:today")).content.decode()
    # A date inside a sentence names its month in full ("14 December 2026").
    ended = long_date(discharged.ended_at)
    assert "Your treatment has ended" in content
    assert f"Your course of treatment at Harbour Physio ended on {ended}." in content
    assert "No exercises for you yet" not in content
    assert "has not started a program" not in content


def test_it_links_the_patients_discharge_summary_and_the_clinic(patient_client, discharged):
    content = patient_client.get(reverse("portal:today")).content.decode()
    summary = reverse("handouts:discharge", args=[discharged.pk, "patient"])
    assert f'href="{summary}"' in content
    assert reverse("handouts:discharge", args=[discharged.pk, "doctor"]) not in content
    assert 'href="tel:02079460000"' in content
    download = patient_client.get(summary)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"


def test_a_new_program_after_the_discharge_shows_the_exercises_again(
    patient_client, patient, therapist, discharged
):
    make_prescription(patient, therapist)
    content = patient_client.get(reverse("portal:today")).content.decode()
    assert "Your treatment has ended" not in content
    assert "Log this session" in content


def test_a_patient_never_discharged_still_reads_no_exercises_yet(
    patient_client, other_patient, therapist
):
    make_prescription(other_patient, therapist)
    end_episode(patient=other_patient, by=therapist)
    content = patient_client.get(reverse("portal:today")).content.decode()
    assert "No exercises for you yet" in content
    assert "Your treatment has ended" not in content


@pytest.mark.parametrize(
    ("phone", "link"),
    [
        ("(020) 7946-0000", 'href="tel:02079460000"'),
        ("+44 20.7946.0000", 'href="tel:+442079460000"'),
        ("ask at reception", None),  # stored before phones were checked
    ],
)
def test_the_clinic_link_dials_only_the_numbers_digits(
    patient_client, discharged, clinic, phone, link
):
    type(clinic).objects.filter(pk=clinic.pk).update(phone=phone)
    content = patient_client.get(reverse("portal:today")).content.decode()
    if link:
        assert link in content
    else:
        assert "tel:" not in content
        assert "Contact Harbour Physio by phone or at your next visit." in content
