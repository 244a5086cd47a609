"""Who sees what: the querysets every view starts from."""

import pytest
from django.contrib.auth.models import AnonymousUser

from exercises.catalog import EXERCISES
from exercises.models import Exercise
from patients.models import Patient
from prescriptions.models import Alert, Prescription, PrescriptionItem, SymptomLog
from prescriptions.services import record_symptom_log
from tests.factories import make_exercise_for, make_prescription, make_user


def _worse_log(prescription):
    return record_symptom_log(
        patient=prescription.patient,
        item=prescription.items.first(),
        pain=5,
        location="thigh",
        during="peripheralize",
        after="worse",
        sets_done=1,
        repetitions_done=10,
    ).log


def _world(patient, other_patient, other_clinic_patient, therapist, other_clinic_therapist):
    mine = make_prescription(patient, therapist)
    neighbour = make_prescription(other_patient, therapist)
    foreign = make_prescription(other_clinic_patient, other_clinic_therapist)
    for prescription in (mine, neighbour, foreign):
        _worse_log(prescription)
    return mine, neighbour, foreign


def test_a_therapist_sees_only_their_clinic(
    patient, other_patient, other_clinic_patient, therapist, colleague, other_clinic_therapist
):
    _world(patient, other_patient, other_clinic_patient, therapist, other_clinic_therapist)
    for user in (therapist, colleague):
        assert set(Patient.objects.for_user(user)) == {patient, other_patient}
        assert {p.patient for p in Prescription.objects.for_user(user)} == {patient, other_patient}
        assert {i.prescription.patient for i in PrescriptionItem.objects.for_user(user)} == {
            patient,
            other_patient,
        }
        assert {log.patient for log in SymptomLog.objects.for_user(user)} == {
            patient,
            other_patient,
        }
        assert {a.patient for a in Alert.objects.for_user(user)} == {patient, other_patient}


@pytest.mark.hazard("H-06")
def test_a_therapist_of_another_clinic_sees_none_of_it(
    patient, other_patient, other_clinic_patient, therapist, other_clinic_therapist
):
    _world(patient, other_patient, other_clinic_patient, therapist, other_clinic_therapist)
    user = other_clinic_therapist
    assert list(Patient.objects.for_user(user)) == [other_clinic_patient]
    assert {p.patient for p in Prescription.objects.for_user(user)} == {other_clinic_patient}
    assert {log.patient for log in SymptomLog.objects.for_user(user)} == {other_clinic_patient}
    assert {a.patient for a in Alert.objects.for_user(user)} == {other_clinic_patient}


@pytest.mark.hazard("H-06")
def test_a_patient_sees_only_their_own_records(
    patient, other_patient, other_clinic_patient, therapist, other_clinic_therapist
):
    mine, _, _ = _world(
        patient, other_patient, other_clinic_patient, therapist, other_clinic_therapist
    )
    user = patient.user
    assert list(Patient.objects.for_user(user)) == [patient]
    assert list(Prescription.objects.for_user(user)) == [mine]
    assert {log.patient for log in SymptomLog.objects.for_user(user)} == {patient}
    assert {a.patient for a in Alert.objects.for_user(user)} == {patient}
    assert not Exercise.objects.for_user(user).exists()


def test_anyone_else_sees_nothing(
    patient, therapist, other_patient, other_clinic_patient, other_clinic_therapist
):
    _world(patient, other_patient, other_clinic_patient, therapist, other_clinic_therapist)
    stranger = make_user("stranger")
    for user in (AnonymousUser(), stranger):
        assert not Patient.objects.for_user(user).exists()
        assert not Prescription.objects.for_user(user).exists()
        assert not SymptomLog.objects.for_user(user).exists()
        assert not Alert.objects.for_user(user).exists()


def test_a_deactivated_therapist_sees_nothing(patient, therapist):
    therapist.is_active = False
    therapist.save()
    assert not Patient.objects.for_user(therapist).exists()


def test_a_clinic_sees_the_built_in_catalog_and_only_its_own_exercises(
    clinic, other_clinic, therapist, other_clinic_therapist
):
    ours = make_exercise_for(clinic, "our-wall-slide")
    theirs = make_exercise_for(other_clinic, "their-wall-slide")
    visible = set(Exercise.objects.for_user(therapist))
    assert ours in visible and theirs not in visible
    assert Exercise.objects.builtin().count() == len(EXERCISES)
    assert len(visible) == len(EXERCISES) + 1
    assert theirs in set(Exercise.objects.for_user(other_clinic_therapist))
