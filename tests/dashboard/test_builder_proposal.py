"""The builder opens with the assessment's proposal; the therapist decides."""

from __future__ import annotations

from django.urls import reverse

from prescriptions.models import Prescription
from tests.assessment_factory import make_assessment


def new_url(patient) -> str:
    return reverse("prescriptions:new", kwargs={"patient_pk": patient.pk})


def slugs(prescription) -> list[str]:
    return list(prescription.items.order_by("position").values_list("exercise__slug", flat=True))


def test_the_builder_opens_with_the_proposal_and_says_why(therapist_client, therapist, patient):
    make_assessment(patient, therapist)

    page = therapist_client.get(new_url(patient))
    text = page.content.decode()

    assert "Proposed by the assessment" in text
    assert "Derangement, extension; repeated extension in lying reduced or centralized" in text
    assert "Extension progression, the first 3 steps" in text
    # The extension card has its first three steps chosen; the flexion card its first.
    assert text.count('<option value="3" selected>') == 1
    assert '<option value="1" selected>' in text


def test_starting_from_the_proposal_makes_a_draft_of_the_proposed_steps(
    therapist_client, therapist, patient
):
    assessment = make_assessment(patient, therapist)

    response = therapist_client.post(
        new_url(patient), {"source": "assessment", "assessment": assessment.pk}
    )

    draft = Prescription.objects.get(patient=patient)
    assert response["Location"] == reverse("prescriptions:edit", kwargs={"pk": draft.pk})
    assert draft.status == Prescription.Status.DRAFT
    assert draft.progression.slug == "extension"
    assert slugs(draft) == ["prone-lying", "prone-props", "prone-press-up"]


def test_the_therapist_can_start_from_another_progression(therapist_client, therapist, patient):
    make_assessment(patient, therapist)
    page_progressions = therapist_client.get(new_url(patient)).context["progressions"]
    flexion = next(p for p in page_progressions if p.slug == "flexion")

    therapist_client.post(new_url(patient), {"source": flexion.pk, "first": ""})

    draft = Prescription.objects.get(patient=patient)
    assert draft.progression == flexion


def test_a_dysfunction_proposes_its_directions_exercise(therapist_client, therapist, patient):
    assessment = make_assessment(
        patient,
        therapist,
        classification="dysfunction",
        directional_preference="",
        dysfunction_direction="flexion",
        tests=[],
    )

    therapist_client.post(new_url(patient), {"source": "assessment", "assessment": assessment.pk})

    draft = Prescription.objects.get(patient=patient)
    assert draft.progression is None
    assert slugs(draft) == ["supine-lumbar-flexion"]


def test_one_sided_pain_not_centralizing_starts_the_lateral_branch(
    therapist_client, therapist, patient
):
    """The catalog's lateral branch, from its first step."""
    make_assessment(
        patient,
        therapist,
        painful_side="right",
        tests=[{"movement": "extension_lying", "during": "no_effect", "after": "no_better"}],
    )

    therapist_client.post(new_url(patient), {"source": "assessment"})

    draft = Prescription.objects.get(patient=patient)
    assert draft.progression.slug == "lateral"
    assert slugs(draft) == ["prone-press-up-hips-off-centre"]


def test_the_latest_assessment_decides_unless_the_page_names_another(
    therapist_client, therapist, patient
):
    first = make_assessment(patient, therapist)
    make_assessment(
        patient,
        therapist,
        assessed_on=first.assessed_on.replace(day=9),
        directional_preference="flexion",
        tests=[],
    )

    latest = therapist_client.get(new_url(patient)).content.decode()
    named = therapist_client.get(f"{new_url(patient)}?assessment={first.pk}").content.decode()

    assert "Flexion progression, the first step" in latest
    assert "Extension progression, the first 3 steps" in named


def test_no_proposal_offers_nothing_to_start_from(therapist_client, therapist, patient):
    assessment = make_assessment(patient, therapist, directional_preference="none", tests=[])

    text = therapist_client.get(new_url(patient)).content.decode()
    response = therapist_client.post(
        new_url(patient), {"source": "assessment", "assessment": assessment.pk}
    )

    assert "No program is proposed: reassess" in text
    assert "Start from the proposal" not in text
    assert response.status_code == 302
    assert not Prescription.objects.exists()


def test_without_an_assessment_the_builder_is_as_before(therapist_client, patient):
    text = therapist_client.get(new_url(patient)).content.decode()

    assert "Proposed by the assessment" not in text


def test_another_clinics_assessment_is_a_404(
    therapist_client, other_clinic_therapist, other_clinic_patient, patient
):
    foreign = make_assessment(other_clinic_patient, other_clinic_therapist)

    response = therapist_client.post(
        new_url(patient), {"source": "assessment", "assessment": foreign.pk}
    )

    assert response.status_code == 404
    assert not Prescription.objects.exists()
