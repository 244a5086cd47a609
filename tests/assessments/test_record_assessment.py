"""Recording an assessment stores it and sets the patient's safety baseline."""

from __future__ import annotations

import uuid

import pytest
from django.core.exceptions import ValidationError

from assessments.models import Assessment
from assessments.services import ClientIdReused, record_assessment
from prescriptions.models import Alert
from prescriptions.services import record_symptom_log
from tests.assessment_factory import EXTENSION_CENTRALIZES, assessment_data


def test_it_stores_the_assessment_with_its_movement_tests(patient, therapist):
    assessment, created = record_assessment(
        patient=patient, by=therapist, data=assessment_data(), tests=EXTENSION_CENTRALIZES
    )

    stored = Assessment.objects.get(pk=assessment.pk)
    assert created
    assert (stored.back_pain, stored.leg_pain, stored.location) == (6, 4, "thigh")
    assert stored.worse_with == ["sitting", "bending", "mornings"]
    assert {(t.movement, t.during, t.after) for t in stored.tests.all()} == {
        ("flexion_standing", "peripheralize", "worse"),
        ("extension_lying", "centralize", "better"),
    }
    assert stored.created_by == therapist


def test_it_sets_the_patients_baseline_and_risk_history(patient, therapist):
    record_assessment(
        patient=patient,
        by=therapist,
        data=assessment_data(),
        risk_factors=["osteoporosis", "not-a-risk", "cancer"],
    )

    patient.refresh_from_db()
    assert patient.starting_location == "thigh"
    assert patient.classification == "derangement"
    assert patient.directional_preference == "extension"
    assert patient.painful_side == "left"
    assert patient.risk_factors == ["cancer", "osteoporosis"]


def test_an_activity_named_twice_is_stored_once(patient, therapist):
    assessment, _ = record_assessment(
        patient=patient,
        by=therapist,
        data=assessment_data(worse_with=["sitting", "bending", "sitting"]),
    )

    assessment.refresh_from_db()
    assert assessment.worse_with == ["sitting", "bending"]


@pytest.mark.hazard("H-01")
def test_the_first_log_further_out_than_the_assessment_is_peripheralization(
    patient, therapist, item
):
    record_assessment(patient=patient, by=therapist, data=assessment_data(location="buttock"))

    outcome = record_symptom_log(
        patient=patient,
        item=item,
        pain=4,
        location="below_knee",
        during="no_effect",
        after="no_better",
        sets_done=1,
        repetitions_done=10,
    )

    assert outcome.stop_exercise
    assert Alert.objects.filter(patient=patient, kind=Alert.Kind.PERIPHERALIZATION).exists()


def test_the_first_log_as_far_out_as_the_assessment_raises_nothing(patient, therapist, item):
    record_assessment(patient=patient, by=therapist, data=assessment_data(location="thigh"))

    outcome = record_symptom_log(
        patient=patient,
        item=item,
        pain=4,
        location="thigh",
        during="no_effect",
        after="no_better",
        sets_done=1,
        repetitions_done=10,
    )

    assert not outcome.stop_exercise
    assert not Alert.objects.filter(patient=patient, kind=Alert.Kind.PERIPHERALIZATION).exists()


@pytest.mark.parametrize(
    ("fields", "error_field"),
    [
        ({"back_pain": 11}, "back_pain"),
        ({"directional_preference": ""}, "directional_preference"),
        ({"classification": "dysfunction", "directional_preference": ""}, "dysfunction_direction"),
        ({"dysfunction_direction": "flexion"}, "dysfunction_direction"),
        ({"classification": "other"}, "other_subtype"),
        ({"worse_with": ["dancing"]}, "worse_with"),
    ],
)
def test_an_incomplete_or_impossible_assessment_is_refused_and_changes_nothing(
    patient, therapist, fields, error_field
):
    with pytest.raises(ValidationError) as refused:
        record_assessment(patient=patient, by=therapist, data=assessment_data(**fields))

    assert error_field in refused.value.message_dict
    patient.refresh_from_db()
    assert patient.starting_location == ""
    assert not Assessment.objects.exists()


def test_a_movement_tested_twice_is_refused(patient, therapist):
    tests = [{"movement": "extension_lying"}, {"movement": "extension_lying"}]

    with pytest.raises(ValidationError) as refused:
        record_assessment(patient=patient, by=therapist, data=assessment_data(), tests=tests)

    assert "tests" in refused.value.message_dict


def test_a_retry_with_the_same_client_id_returns_the_first_assessment(patient, therapist):
    client_id = uuid.uuid4()
    first, _ = record_assessment(
        patient=patient, by=None, data=assessment_data(), client_id=client_id
    )

    again, created = record_assessment(
        patient=patient, by=None, data=assessment_data(), client_id=client_id
    )

    assert (again.pk, created) == (first.pk, False)
    assert Assessment.objects.count() == 1


def test_a_client_id_reused_with_other_contents_is_refused(patient, therapist):
    client_id = uuid.uuid4()
    record_assessment(patient=patient, by=None, data=assessment_data(), client_id=client_id)

    with pytest.raises(ClientIdReused):
        record_assessment(
            patient=patient, by=None, data=assessment_data(back_pain=2), client_id=client_id
        )
    assert Assessment.objects.count() == 1
