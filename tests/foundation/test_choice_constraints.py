"""Every enumerated field is guarded by the database too: a row written past the
forms and serializers (a script, a bulk load, an old client) cannot hold a value
the API's schema does not list, which a generated client would fail to read."""

import pytest
from django.apps import apps
from django.db import IntegrityError, models, transaction

from patients.models import Patient
from prescriptions.models import SymptomLog
from tests.factories import make_patient, make_prescription

DOMAIN_APPS = {"clinics", "exercises", "patients", "prescriptions", "reminders", "api"}


def allowed_by_constraints(model, field) -> set[str] | None:
    """The values a CHECK constraint of `model` allows `field` ("__in" list), if any."""
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.CheckConstraint):
            for child in constraint.condition.children:
                if isinstance(child, tuple) and child[0] == f"{field.name}__in":
                    return set(child[1])
    return None


def choice_fields():
    for model in apps.get_models():
        if model._meta.app_label in DOMAIN_APPS:
            for field in model._meta.fields:
                if field.choices:
                    yield model, field


def test_every_enumerated_field_has_a_check_constraint_with_exactly_its_choices():
    for model, field in choice_fields():
        expected = {str(value) for value, _label in field.flatchoices}
        if field.blank:
            expected.add("")
        assert allowed_by_constraints(model, field) == expected, (
            f"{model._meta.label}.{field.name}: add or update its CheckConstraint"
        )


def test_the_database_refuses_a_patient_in_a_language_centra_does_not_speak(clinic):
    patient = make_patient(clinic)

    with pytest.raises(IntegrityError), transaction.atomic():
        Patient.objects.filter(pk=patient.pk).update(preferred_language="fr")
    patient.refresh_from_db()
    assert patient.preferred_language == "en"


def test_the_database_refuses_a_log_from_an_unknown_source(patient, therapist):
    program = make_prescription(patient, therapist)
    log = SymptomLog.objects.create(
        patient=patient,
        item=program.items.first(),
        sets_done=1,
        repetitions_done=10,
        pain=3,
        location="buttock",
        during="centralize",
        after="better",
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        SymptomLog.objects.filter(pk=log.pk).update(source="fax")
