"""Reading one assessment, with its proposal."""

from __future__ import annotations

from django.urls import reverse

from exercises.models import Exercise
from tests.assessment_factory import make_assessment


def detail_url(assessment) -> str:
    return reverse("assessments:detail", kwargs={"pk": assessment.pk})


def test_it_shows_the_findings_and_the_proposal(therapist_client, therapist, patient):
    assessment = make_assessment(patient, therapist)

    text = therapist_client.get(detail_url(assessment)).content.decode()

    assert "Derangement, extension" in text
    assert "Extension in lying" in text and "Centralize" in text
    assert "Sitting, Bending, Mornings" in text
    assert "Proposed:" in text and "Extension progression, the first 3 steps" in text
    assert "repeated extension in lying reduced or centralized the symptoms" in text
    assert f"?assessment={assessment.pk}" in text


def test_a_proposal_the_catalog_cannot_fill_says_what_to_pick_by_hand(
    therapist_client, therapist, patient
):
    assessment = make_assessment(
        patient, therapist, classification="postural", directional_preference=""
    )
    # A catalog without the posture corrections (an installation that predates them).
    Exercise.objects.filter(slug__in=["sitting-lumbar-roll", "slouch-overcorrect"]).delete()

    text = therapist_client.get(detail_url(assessment)).content.decode()

    assert "Not in your catalog: sitting with a lumbar roll, slouch-overcorrect" in text


def test_it_refuses_the_wrong_method(therapist_client, therapist, patient):
    assessment = make_assessment(patient, therapist)
    assert therapist_client.post(detail_url(assessment)).status_code == 405


def test_it_sends_anonymous_visitors_to_the_login(client, therapist, patient):
    assessment = make_assessment(patient, therapist)
    assert client.get(detail_url(assessment))["Location"].startswith("/accounts/login/")


def test_another_clinic_gets_404(stranger_client, therapist, patient):
    assessment = make_assessment(patient, therapist)
    assert stranger_client.get(detail_url(assessment)).status_code == 404
