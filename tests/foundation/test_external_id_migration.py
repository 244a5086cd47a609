"""External ids are unique per clinic whatever their letter case. The migration that
makes them so names the patients who already clash and stops, rather than failing
on the database's own error; once they are told apart, it goes through."""

from importlib import import_module

import pytest
from django.db import IntegrityError, connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import make_patient

BEFORE = [
    ("clinics", "0014_clinic_time_zone"),
    ("patients", "0012_patient_time_zone_and_night_hours"),
]
MIGRATION = import_module("patients.migrations.0013_external_id_unique_whatever_the_case")


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_the_migration_names_clashing_ids_and_stops_until_they_are_told_apart():
    apps = migrate(BEFORE)
    try:
        Clinic = apps.get_model("clinics", "Clinic")
        Patient = apps.get_model("patients", "Patient")
        clinic = Clinic.objects.create(name="Harbour", slug="harbour")
        other = Clinic.objects.create(name="Hill", slug="hill")
        first = Patient.objects.create(
            clinic=clinic, first_name="A", last_name="A", external_id="EHR-7"
        )
        second = Patient.objects.create(
            clinic=clinic, first_name="B", last_name="B", external_id="ehr-7"
        )
        # Another clinic may use the same id.
        Patient.objects.create(clinic=other, first_name="C", last_name="C", external_id="EHR-7")

        with pytest.raises(MIGRATION.ExternalIdClash) as refused:
            migrate(latest())
        message = str(refused.value)
        assert (
            f"clinic {clinic.pk}: 'EHR-7' (patient {first.pk}), 'ehr-7' (patient {second.pk})"
            in message
        )
        assert "run migrate again" in message
        assert f"clinic {other.pk}" not in message

        Patient.objects.filter(pk=second.pk).update(external_id="EHR-8")
    finally:
        migrate(latest())


def test_two_ids_that_differ_only_in_case_cannot_both_be_stored(clinic, other_clinic):
    make_patient(clinic, external_id="EHR-7")
    make_patient(other_clinic, external_id="ehr-7")
    with pytest.raises(IntegrityError):
        make_patient(clinic, external_id="ehr-7")
