"""The progressions form a graph: one force progression per plane, and branches between
them with their conditions. Programs made on the old single chain keep working."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation

from exercises.models import Progression, ProgressionLink
from patients.models import Patient
from prescriptions.models import Prescription, ProgressionSuggestion

pytestmark = pytest.mark.django_db


def steps(slug):
    progression = Progression.objects.builtin().get(slug=slug)
    return list(progression.steps.order_by("position").values_list("exercise__slug", flat=True))


def branches(slug, kind):
    return {
        (link.exercise.slug, link.to_progression.slug, link.to_exercise.slug)
        for link in ProgressionLink.objects.filter(progression__slug=slug, kind=kind)
    }


def test_the_extension_force_progression_goes_from_lying_to_the_sustained_press_up():
    assert steps("extension") == [
        "prone-lying",
        "prone-props",
        "prone-press-up",
        "prone-press-up-sustained",
    ]


def test_standing_extension_stands_in_for_every_lying_extension_step_and_is_maintenance():
    assert branches("extension", "substitute") == {
        (step, "maintenance", "standing-lumbar-extension") for step in steps("extension")
    }
    assert steps("maintenance") == ["standing-lumbar-extension"]
    with translation.override("en"):
        link = ProgressionLink.objects.filter(kind="substitute").first()
        assert link.when == "Lying down is not possible (at work, out of the house)."


def test_the_lateral_branch_is_entered_only_from_the_last_extension_step_for_one_sided_pain():
    assert steps("lateral") == [
        "prone-press-up-hips-off-centre",
        "standing-side-glide",
        "flexion-rotation",
    ]
    assert branches("extension", "lateral") == {
        ("prone-press-up-sustained", "lateral", "prone-press-up-hips-off-centre")
    }
    with translation.override("en"):
        (link,) = ProgressionLink.objects.filter(kind="lateral")
        assert "one side" in link.when and "does not centralize" in link.when
    with translation.override("es"):
        assert "no se centraliza" in ProgressionLink.objects.get(kind="lateral").when


def test_every_lateral_step_returns_to_the_press_up():
    assert branches("lateral", "return") == {
        (step, "extension", "prone-press-up") for step in steps("lateral")
    }


def test_a_stable_derangement_goes_on_to_recovery_of_function_then_maintenance():
    expected = {(step, "recovery", "supine-lumbar-flexion") for step in steps("extension")}
    assert branches("extension", "recovery") == expected
    assert all(link.keeps_current for link in ProgressionLink.objects.filter(kind="recovery")), (
        "the extension exercise stays in the program"
    )
    assert steps("recovery") == [
        "supine-lumbar-flexion",
        "seated-lumbar-flexion",
        "standing-lumbar-flexion",
    ]
    assert {to for _step, _p, to in branches("recovery", "maintenance")} == {
        "standing-lumbar-extension"
    }


def test_the_flexion_progression_keeps_its_slug_and_steps():
    assert steps("flexion") == [
        "supine-lumbar-flexion",
        "seated-lumbar-flexion",
        "standing-lumbar-flexion",
    ]
    assert not ProgressionLink.objects.filter(progression__slug="flexion").exists()


def test_the_catalog_page_shows_the_branches(therapist_client):
    page = therapist_client.get("/exercises/").text

    assert 'data-branch="lateral"' in page and 'data-branch="return"' in page
    assert "Substitute when lying down is not possible:</strong> Standing lumbar extension" in page


# -- a database made before the graph ---------------------------------------------------

BEFORE = [
    ("clinics", "0009_clinic_phone_and_bounds"),
    ("exercises", "0004_progression_step_rules"),
    ("patients", "0009_painful_side_and_risk_factors"),
    ("prescriptions", "0012_alert_updated_at"),
]
AFTER = [("prescriptions", "0016_programs_on_the_progression_graph")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def old_database(transactional_db):
    """The database as it stood before the graph; brought back to the latest schema
    afterwards, whatever the test did."""
    yield _migrate(BEFORE)
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_programs_on_the_old_chain_move_to_their_branch_and_keep_their_exercises(old_database):
    old = old_database
    clinic = old.get_model("clinics", "Clinic").objects.create(name="Old", slug="old")
    user = old.get_model("auth", "User").objects.create(username="olga")
    patient_model = old.get_model("patients", "Patient")
    prescription_model = old.get_model("prescriptions", "Prescription")
    item_model = old.get_model("prescriptions", "PrescriptionItem")
    suggestion_model = old.get_model("prescriptions", "ProgressionSuggestion")
    extension = old.get_model("exercises", "Progression").objects.get(
        clinic__isnull=True, slug="extension"
    )
    exercise = {e.slug: e for e in old.get_model("exercises", "Exercise").objects.all()}

    def program(first_name, chain, status="active"):
        patient = patient_model.objects.create(
            clinic=clinic, first_name=first_name, last_name="Old", active_progression="x"
        )
        prescription = prescription_model.objects.create(
            patient=patient, prescribed_by=user, progression=extension, version=1, status=status
        )
        for position, slug in enumerate(chain, start=1):
            item_model.objects.create(
                prescription=prescription,
                exercise=exercise[slug],
                position=position,
                times_per_day=3,
            )
        return patient, prescription

    _, sagittal = program("Sam", ["prone-lying", "prone-props", "prone-press-up"])
    lat_patient, lateral = program(
        "Lee", ["prone-press-up", "prone-press-up-hips-off-centre", "standing-side-glide"]
    )
    _, kept_well = program("Kim", ["prone-press-up", "standing-lumbar-extension"], "ended")
    suggestion = suggestion_model.objects.create(
        patient=lat_patient,
        prescription=lateral,
        direction="forward",
        rule="unchanged_days",
        from_exercise=exercise["standing-side-glide"],
        to_exercise=exercise["flexion-rotation"],
    )
    patient_model.objects.filter(pk=lat_patient.pk).update(progress_suggestion="forward")

    _migrate(AFTER)
    # The rest of the schema, so that today's models can read the rows back.
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    new = {p.pk: p for p in Progression.objects.filter(clinic__isnull=True)}

    def after(prescription):
        row = Prescription.objects.get(pk=prescription.pk)
        return new[row.progression_id].slug, list(
            row.items.order_by("position").values_list("exercise__slug", flat=True)
        )

    assert after(sagittal) == ("extension", ["prone-lying", "prone-props", "prone-press-up"])
    assert after(lateral) == (
        "lateral",
        ["prone-press-up", "prone-press-up-hips-off-centre", "standing-side-glide"],
    )
    assert after(kept_well) == ("maintenance", ["prone-press-up", "standing-lumbar-extension"])
    assert ProgressionSuggestion.objects.get(pk=suggestion.pk).status == "outdated"
    lee = Patient.objects.get(pk=lat_patient.pk)
    assert (lee.progress_suggestion, lee.active_progression) == ("", "Lateral branch")
