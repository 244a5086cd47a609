"""Recording an assessment or a reassessment from the patient page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments.models import Assessment
from clinics.models import AuditEvent
from tests.assessment_factory import make_assessment


def new_url(patient) -> str:
    return reverse("assessments:new", kwargs={"patient_pk": patient.pk})


def posted(**fields) -> dict:
    """What the form sends for an extension derangement reaching the thigh."""
    data = {
        "assessed_on": "2026-03-10",
        "onset": "Gardening",
        "duration_weeks": "2",
        "pattern": "intermittent",
        "worse_with": ["sitting", "mornings"],
        "better_with": ["walking"],
        "risk_factors": ["osteoporosis"],
        "back_pain": "5",
        "leg_pain": "6",
        "location": "thigh",
        "painful_side": "right",
        "classification": "derangement",
        "directional_preference": "extension",
        "extension_lying-during": "centralize",
        "extension_lying-after": "better",
        "extension_lying-range_effect": "increased",
        "flexion_standing-during": "peripheralize",
        "flexion_standing-after": "worse",
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


def test_the_patient_page_offers_to_record_an_assessment(therapist_client, patient):
    page = therapist_client.get(reverse("patients:detail", kwargs={"pk": patient.pk}))

    assert page.status_code == 200
    assert new_url(patient) in page.content.decode()
    assert "Record assessment" in page.content.decode()


def test_it_records_the_assessment_and_sets_the_patients_baseline(
    therapist_client, therapist, patient
):
    response = therapist_client.post(new_url(patient), posted())

    assessment = Assessment.objects.get(patient=patient)
    assert response.status_code == 302
    assert response["Location"] == reverse("assessments:detail", kwargs={"pk": assessment.pk})
    assert (assessment.back_pain, assessment.leg_pain, assessment.location) == (5, 6, "thigh")
    assert assessment.worse_with == ["sitting", "mornings"]
    assert {(t.movement, t.during, t.after, t.range_effect) for t in assessment.tests.all()} == {
        ("extension_lying", "centralize", "better", "increased"),
        ("flexion_standing", "peripheralize", "worse", ""),
    }
    assert assessment.created_by == therapist
    patient.refresh_from_db()
    assert (patient.starting_location, patient.painful_side) == ("thigh", "right")
    assert (patient.classification, patient.directional_preference) == (
        "derangement",
        "extension",
    )
    assert patient.risk_factors == ["osteoporosis"]
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.CREATE, object_type="assessment", object_id=str(assessment.pk)
    ).exists()


def test_the_patient_page_then_shows_the_assessment_and_offers_to_reassess(
    therapist_client, patient
):
    therapist_client.post(new_url(patient), posted())

    page = therapist_client.get(reverse("patients:detail", kwargs={"pk": patient.pk}))
    text = page.content.decode()

    assert "Reassess" in text
    assert "Derangement, extension" in text
    assert "Extension progression" in text


def test_a_mistake_shows_the_form_again_with_every_answer_kept(therapist_client, patient):
    response = therapist_client.post(
        new_url(patient),
        posted(
            back_pain="12", directional_preference="", **{"flexion_lying-range_effect": "increased"}
        ),
    )

    text = response.content.decode()
    assert response.status_code == 400
    assert not Assessment.objects.exists()
    assert "Give a number from 0 to 10." in text
    assert "A derangement needs its directional preference" in text
    assert "Give the response during or after the movement." in text
    assert 'value="Gardening"' in text
    patient.refresh_from_db()
    assert patient.starting_location == ""


def test_a_reassessment_carries_over_the_history_but_never_the_symptoms(
    therapist_client, therapist, patient
):
    make_assessment(patient, therapist, onset="Lifting a suitcase", back_pain=7)

    page = therapist_client.get(new_url(patient))
    form = page.context["form"]

    assert "Reassess" in page.content.decode()
    assert form["onset"].value() == "Lifting a suitcase"
    assert form["classification"].value() == "derangement"
    assert form["back_pain"].value() is None
    assert form["location"].value() is None


def test_it_refuses_the_wrong_method(therapist_client, patient):
    assert therapist_client.put(new_url(patient)).status_code == 405


def test_it_sends_anonymous_visitors_to_the_login(client, patient):
    assert client.get(new_url(patient))["Location"].startswith("/accounts/login/")
    client.post(new_url(patient), posted())
    assert not Assessment.objects.exists()


def test_another_clinic_gets_404_and_changes_nothing(stranger_client, patient):
    assert stranger_client.get(new_url(patient)).status_code == 404
    assert stranger_client.post(new_url(patient), posted()).status_code == 404
    assert not Assessment.objects.exists()
    patient.refresh_from_db()
    assert patient.starting_location == ""


def test_a_patient_cannot_record_an_assessment(patient_client, patient):
    assert patient_client.post(new_url(patient), posted()).status_code == 403
    assert not Assessment.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_archived_patient_cannot_be_assessed(therapist_client, patient, method):
    patient.archived = True
    patient.save()

    response = getattr(therapist_client, method)(new_url(patient), posted())

    assert response.status_code == 302
    assert not Assessment.objects.exists()
