"""Each outcome measure is judged against the threshold it really has, named as such:
pain against a minimal clinically important difference, the PSFS against its minimal
detectable change (not an MCID), the rating of change against a responder threshold."""

from datetime import timedelta

import pytest
from django.urls import reverse

from prescriptions.outcomes import end_episode, record_outcome_measure
from tests.handouts.pdfs import pdf_text

pytestmark = pytest.mark.django_db

ACTIVITIES = ["Sitting through a film", "Putting on socks", "Lifting my grandson"]


def measure(patient, instrument, **answers):
    return record_outcome_measure(
        patient=patient, instrument=instrument, answers=answers, source="portal"
    )[0]


def psfs(patient, score):
    measure(patient, "psfs", activities=[{"activity": a, "score": score} for a in ACTIVITIES])


@pytest.fixture
def small_gains(prescription, frozen_clock):
    """Function up 1 point (inside the PSFS's measurement error), pain down 3, and a
    rating of change of +3 (below the responder threshold)."""
    patient = prescription.patient
    measure(patient, "nprs", pain_now=6, pain_best=5, pain_worst=7)
    psfs(patient, 4)
    frozen_clock.shift(timedelta(days=14))
    measure(patient, "nprs", pain_now=3, pain_best=2, pain_worst=4)
    psfs(patient, 5)
    measure(patient, "groc", change=3)
    return patient


def test_the_patient_page_calls_the_psfs_threshold_a_minimal_detectable_change(
    small_gains, therapist_client
):
    text = therapist_client.get(reverse("patients:detail", args=[small_gains.pk])).text

    assert "MDC PSFS" in text and "MCID PSFS" not in text
    assert (
        "Changed less than the minimal detectable change of the mean score (2 points): "
        "within measurement error." in text
    )
    assert "Improved by at least the minimal clinically important difference (2 points)." in text
    assert "3 for a single activity" in text
    assert "smallest important change" not in text


def test_a_rating_of_change_below_plus_four_is_not_a_responder(small_gains, therapist_client):
    text = therapist_client.get(reverse("patients:detail", args=[small_gains.pk])).text

    assert "Below the responder threshold (+4)." in text
    assert "A responder" not in text


def test_a_rating_of_plus_four_makes_a_responder(small_gains, therapist_client):
    measure(small_gains, "groc", change=4)

    text = therapist_client.get(reverse("patients:detail", args=[small_gains.pk])).text

    assert "A responder: +4 or more (a moderate change or more)." in text


def test_the_doctors_summary_names_each_threshold(small_gains, therapist, therapist_client):
    episode = end_episode(patient=small_gains, by=therapist, summary_note="", referring_doctor="")

    pdf = therapist_client.get(reverse("handouts:discharge", args=[episode.pk, "doctor"]))
    text = " ".join(pdf_text(pdf.content).split())

    assert "detectable change of the mean score (2 points): within measurement error" in text
    assert "Below the responder threshold (+4)." in text
    assert "not a minimal clinically important difference" in text
