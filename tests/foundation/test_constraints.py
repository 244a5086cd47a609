"""The database itself refuses rows that break the domain's rules."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from exercises.models import Exercise
from patients.models import Patient
from prescriptions.models import Prescription, PrescriptionItem, SymptomLog
from tests.factories import make_patient, make_prescription


def _log(prescription, **overrides):
    values = {
        "patient": prescription.patient,
        "item": prescription.items.first(),
        "logged_at": timezone.now(),
        "sets_done": 1,
        "repetitions_done": 10,
        "pain": 3,
        "location": "buttock",
        "during": "centralize",
        "after": "better",
    }
    values.update(overrides)
    return SymptomLog(**values)


@pytest.mark.parametrize("pain", [11, -1])
def test_it_rejects_pain_outside_0_to_10(prescription, pain):
    with pytest.raises(IntegrityError), transaction.atomic():
        _log(prescription, pain=pain).save()
    assert SymptomLog.objects.count() == 0


def test_it_accepts_pain_at_both_ends_of_the_scale(prescription):
    _log(prescription, pain=0).save()
    _log(prescription, pain=10).save()
    assert sorted(SymptomLog.objects.values_list("pain", flat=True)) == [0, 10]


def test_it_rejects_an_unknown_location_code(prescription):
    with pytest.raises(IntegrityError), transaction.atomic():
        _log(prescription, location="shoulder").save()


def test_it_rejects_two_items_at_one_position(prescription):
    first = prescription.items.get(position=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        PrescriptionItem.objects.create(
            prescription=prescription, exercise=first.exercise, position=1, every_hours=2
        )
    assert prescription.items.filter(position=1).count() == 1


def test_it_rejects_an_item_with_both_or_neither_frequency(prescription):
    exercise = Exercise.objects.get(slug="prone-lying")
    for frequency in ({}, {"times_per_day": 3, "every_hours": 2}):
        with pytest.raises(IntegrityError), transaction.atomic():
            PrescriptionItem.objects.create(
                prescription=prescription, exercise=exercise, position=99, **frequency
            )


def test_it_rejects_a_second_active_prescription(prescription, therapist):
    with pytest.raises(IntegrityError), transaction.atomic():
        Prescription.objects.create(
            patient=prescription.patient,
            prescribed_by=therapist,
            status=Prescription.Status.ACTIVE,
            version=prescription.version + 1,
        )
    assert Prescription.objects.filter(patient=prescription.patient).count() == 1


def test_it_allows_ended_versions_beside_the_active_one(patient, therapist):
    make_prescription(patient, therapist)
    make_prescription(patient, therapist, progression="flexion")
    statuses = list(patient.prescriptions.order_by("version").values_list("status", flat=True))
    assert statuses == ["ended", "active"]


def test_it_rejects_a_duplicate_external_id_within_a_clinic(clinic):
    make_patient(clinic, external_id="EHR-1")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_patient(clinic, external_id="EHR-1")
    assert Patient.objects.filter(external_id="EHR-1").count() == 1


def test_it_accepts_the_same_external_id_in_another_clinic(clinic, other_clinic):
    make_patient(clinic, external_id="EHR-1")
    make_patient(other_clinic, external_id="EHR-1")
    assert Patient.objects.filter(external_id="EHR-1").count() == 2


def test_it_accepts_many_patients_without_an_external_id(clinic):
    make_patient(clinic)
    make_patient(clinic)
    assert Patient.objects.filter(clinic=clinic, external_id="").count() == 2


def test_it_refuses_to_delete_an_exercise_that_is_prescribed(prescription):
    from django.db.models import ProtectedError

    exercise = prescription.items.first().exercise
    with pytest.raises(ProtectedError):
        exercise.delete()
    assert Exercise.objects.filter(pk=exercise.pk).exists()
