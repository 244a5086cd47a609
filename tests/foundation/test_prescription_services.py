"""Programs change by new versions; old versions stay readable."""

import pytest
from django.core.exceptions import ValidationError

from exercises.models import Exercise, Progression
from prescriptions.models import Prescription
from prescriptions.services import (
    ItemSpec,
    activate_prescription,
    compare_versions,
    create_prescription,
    progression_items,
    revise_prescription,
    set_items,
    start_revision,
)
from tests.factories import make_exercise_for, make_prescription


def test_a_progression_gives_its_steps_with_the_catalog_dosage(db):
    items = progression_items(Progression.objects.get(slug="extension"), first=3)
    assert [spec.exercise.slug for spec in items] == [
        "prone-lying",
        "prone-props",
        "prone-press-up",
    ]
    press_up = items[2]
    assert (press_up.repetitions, press_up.hold_seconds, press_up.every_hours) == (10, 2, 2)


def test_revising_makes_a_new_active_version_and_ends_the_old_one(prescription, therapist):
    items = [ItemSpec.from_item(item) for item in prescription.items.all()][:2]
    new = revise_prescription(
        prescription=prescription, items=items, by=therapist, change_note="Fewer exercises"
    )
    prescription.refresh_from_db()
    assert (prescription.status, new.status) == ("ended", "active")
    assert new.version == prescription.version + 1
    assert new.replaces == prescription
    assert prescription.items.count() == 7
    assert new.items.count() == 2


def test_a_draft_revision_is_reused_and_activating_it_ends_the_old_version(prescription, therapist):
    draft = start_revision(prescription=prescription, by=therapist)
    assert start_revision(prescription=prescription, by=therapist) == draft
    assert draft.status == "draft" and draft.items.count() == 7
    specs = [ItemSpec.from_item(item) for item in draft.items.all()]
    specs[0], specs[1] = specs[1], specs[0]
    set_items(prescription=draft, items=specs)
    activate_prescription(prescription=draft)
    prescription.refresh_from_db()
    assert prescription.status == "ended"
    assert Prescription.objects.get(patient=prescription.patient, status="active") == draft
    kinds = {
        change.exercise.slug: change.change for change in compare_versions(prescription, draft)
    }
    assert kinds["prone-lying"] == "moved"
    assert kinds["standing-lumbar-extension"] == "same"


def test_removing_or_adding_an_exercise_does_not_call_the_ones_below_it_moved(
    prescription, therapist
):
    draft = start_revision(prescription=prescription, by=therapist)
    specs = [ItemSpec.from_item(item) for item in draft.items.order_by("position")]
    removed, first = specs[2], specs[0]
    # The third exercise goes; the first goes to the end (a real move).
    set_items(prescription=draft, items=[*specs[1:2], *specs[3:], first])
    kinds = {
        change.exercise.slug: change.change for change in compare_versions(prescription, draft)
    }
    assert kinds[removed.exercise.slug] == "removed"
    assert kinds[first.exercise.slug] == "moved"
    # Every other exercise shifted its number but kept its order among the others.
    assert {kinds[spec.exercise.slug] for spec in [specs[1], *specs[3:]]} == {"same"}


def test_an_active_program_cannot_be_edited_in_place(prescription):
    with pytest.raises(ValidationError):
        set_items(prescription=prescription, items=[])
    assert prescription.items.count() == 7


def test_an_empty_draft_cannot_be_activated(patient, therapist):
    draft = create_prescription(patient=patient, by=therapist, items=[])
    with pytest.raises(ValidationError):
        activate_prescription(prescription=draft)
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_another_clinics_exercise_cannot_be_prescribed(patient, therapist, other_clinic):
    foreign = make_exercise_for(other_clinic, "foreign")
    with pytest.raises(ValidationError):
        create_prescription(patient=patient, by=therapist, items=[ItemSpec.from_exercise(foreign)])
    assert not Prescription.objects.filter(patient=patient).exists()


def test_a_dosage_out_of_range_is_refused_and_nothing_is_saved(patient, therapist):
    exercise = Exercise.objects.get(slug="prone-press-up")
    with pytest.raises(ValidationError):
        create_prescription(
            patient=patient, by=therapist, items=[ItemSpec.from_exercise(exercise, sets=0)]
        )
    assert not Prescription.objects.filter(patient=patient).exists()


def test_versions_count_up_per_patient(patient, other_patient, therapist):
    first = make_prescription(patient, therapist)
    second = make_prescription(patient, therapist, progression="flexion")
    other = make_prescription(other_patient, therapist)
    assert (first.version, second.version, other.version) == (1, 2, 1)


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        (
            {"repetitions": 10, "hold_seconds": 2, "every_hours": 2},
            "10 times, hold 2 seconds, every 2 hours",
        ),
        (
            {"repetitions": 1, "hold_seconds": 180, "every_hours": 1},
            "1 time, hold 3 minutes, every hour",
        ),
        ({"sets": 2, "repetitions": 10, "times_per_day": 3}, "2 sets of 10, 3 times a day"),
    ],
)
def test_the_dosage_reads_as_plain_words(prescription, fields, words):
    item = prescription.items.first()
    item.sets, item.hold_seconds, item.times_per_day, item.every_hours = 1, 0, None, None
    for name, value in fields.items():
        setattr(item, name, value)
    assert item.dosage_text == words


def test_activating_another_program_while_a_revision_draft_is_open_keeps_both(
    prescription, therapist
):
    revision = start_revision(prescription=prescription, by=therapist)
    flexion = make_prescription(prescription.patient, therapist, progression="flexion")
    prescription.refresh_from_db()
    assert (prescription.status, flexion.status) == ("ended", "active")
    assert revision.replaces == prescription and flexion.replaces is None
    activate_prescription(prescription=revision)
    flexion.refresh_from_db()
    assert flexion.status == "ended"
    assert Prescription.objects.get(patient=prescription.patient, status="active") == revision


def test_revising_in_one_step_is_refused_while_a_revision_draft_is_open(prescription, therapist):
    start_revision(prescription=prescription, by=therapist)
    items = [ItemSpec.from_item(item) for item in prescription.items.all()][:1]
    with pytest.raises(ValidationError, match="already open as a draft"):
        revise_prescription(prescription=prescription, items=items, by=therapist)
    prescription.refresh_from_db()
    assert prescription.status == "active"
    assert Prescription.objects.filter(patient=prescription.patient).count() == 2


def test_a_revised_version_cannot_be_revised_again(prescription, therapist):
    items = [ItemSpec.from_item(item) for item in prescription.items.all()]
    revise_prescription(prescription=prescription, items=items, by=therapist)
    with pytest.raises(ValidationError):
        start_revision(prescription=prescription, by=therapist)
    with pytest.raises(ValidationError):
        revise_prescription(prescription=prescription, items=items, by=therapist)
