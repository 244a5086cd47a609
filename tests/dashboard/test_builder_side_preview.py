"""The builder shows, beside a one-sided exercise's side, the exact sentence the patient
will read, and where the side comes from (the painful side and the exercise's rule)."""

import re

import pytest

from exercises.models import Exercise
from prescriptions.services import ItemSpec, create_prescription
from tests.dashboard.test_builder import edit_url


def _draft(patient, therapist, *slugs, **overrides):
    specs = [
        ItemSpec.from_exercise(Exercise.objects.builtin().get(slug=slug), **overrides)
        for slug in slugs
    ]
    return create_prescription(patient=patient, by=therapist, items=specs)


def _shown(content: str) -> list[str]:
    """The preview sentences not hidden, in page order."""
    blocks = re.findall(
        r"<blockquote class=\"side-preview__text\"([^>]*)>(.*?)</blockquote>", content, re.S
    )
    return [
        re.sub(r"<[^>]+>", " ", text).strip() for attrs, text in blocks if "hidden" not in attrs
    ]


@pytest.mark.hazard("H-04")
def test_it_shows_the_sentence_of_the_rule_with_the_painful_side(
    therapist_client, patient, therapist
):
    patient.painful_side = "left"
    patient.save()
    draft = _draft(patient, therapist, "standing-side-glide", "flexion-rotation")
    content = therapist_client.get(edit_url(draft)).content.decode()
    assert "Painful side: Left. By the catalog's rule this exercise goes away" in content
    assert "Painful side: Left. By the catalog's rule this exercise is done on" in content
    assert _shown(content) == [
        "Stand with your right side towards a wall, about a forearm&#x27;s length from it, "
        "with your feet together.",
        "Lie on your left side with both knees bent.",
    ]
    # Every other choice is written by the server too, for the page to show on a change.
    assert "Stand with your left side towards a wall" in content
    assert "Stand with the side your therapist showed you towards a wall" in content
    assert 'aria-live="polite"' in content


def test_a_side_the_therapist_chose_is_the_one_previewed(therapist_client, patient, therapist):
    patient.painful_side = "left"
    patient.save()
    draft = _draft(patient, therapist, "prone-press-up-hips-off-centre", side="left")
    shown = _shown(therapist_client.get(edit_url(draft)).content.decode())
    assert shown == [
        "Lie on your front. Move your hips over to the left and your feet over to the right, "
        "so that your body makes a gentle curve."
    ]


@pytest.mark.hazard("H-04")
def test_without_a_single_painful_side_it_says_the_therapist_chooses(
    therapist_client, patient, therapist
):
    patient.painful_side = "both"
    patient.save()
    draft = _draft(patient, therapist, "flexion-rotation")
    content = therapist_client.get(edit_url(draft)).content.decode()
    assert "Painful side: Both sides. Choose the side for this exercise" in content
    assert _shown(content) == ["Lie on the side your therapist showed you with both knees bent."]
    patient.painful_side = ""
    patient.save()
    content = therapist_client.get(edit_url(draft)).content.decode()
    assert "No painful side recorded." in content


def test_the_preview_is_in_the_patients_language(therapist_client, patient, therapist):
    patient.painful_side = "right"
    patient.preferred_language = "es"
    patient.save()
    draft = _draft(patient, therapist, "flexion-rotation")
    content = therapist_client.get(edit_url(draft)).content.decode()
    assert 'lang="es"' in content
    assert _shown(content) == ["Túmbese sobre su lado derecho con las dos rodillas dobladas."]


def test_a_two_sided_exercise_has_no_preview(therapist_client, patient, therapist):
    draft = _draft(patient, therapist, "prone-press-up")
    assert "side-preview" not in therapist_client.get(edit_url(draft)).content.decode()
