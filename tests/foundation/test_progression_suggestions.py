"""Progression suggestions: each step's rule against the logs, going back after a
warning, and the therapist's two answers (accept, dismiss)."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError
from django.utils import timezone, translation

from exercises.models import Progression, ProgressionStep
from patients.models import Patient
from prescriptions.models import Prescription, ProgressionSuggestion
from prescriptions.services import (
    ItemSpec,
    accept_suggestion,
    dismiss_suggestion,
    record_symptom_log,
    revise_prescription,
    suggested_items,
)
from tests.factories import make_prescription

GOOD = {"pain": 2, "location": "central", "during": "centralize", "after": "better"}
UNCHANGED = {"pain": 4, "location": "central", "during": "no_effect", "after": "no_better"}
PAIN_FREE = {"pain": 0, "location": "none", "during": "no_effect", "after": "no_effect"}
SPREADING = {"pain": 6, "location": "thigh", "during": "peripheralize", "after": "worse"}


def started(patient, therapist, *, first: int, days_ago: int = 10, progression="extension"):
    """A program of the progression's first steps, begun `days_ago` days ago."""
    program = make_prescription(patient, therapist, first=first, progression=progression)
    Prescription.objects.filter(pk=program.pk).update(
        activated_at=timezone.now() - timedelta(days=days_ago)
    )
    program.refresh_from_db()
    return program


def log(program, slug, days_ago, answers, hours=0):
    item = program.items.get(exercise__slug=slug)
    return record_symptom_log(
        patient=program.patient,
        item=item,
        sets_done=1,
        repetitions_done=10,
        logged_at=timezone.now() - timedelta(days=days_ago, hours=hours),
        **answers,
    ).log


def open_suggestion(patient):
    return ProgressionSuggestion.objects.open().filter(patient=patient).first()


def flag(patient):
    return Patient.objects.values_list("progress_suggestion", flat=True).get(pk=patient.pk)


def test_a_step_with_its_own_numbers_states_its_rule_in_plain_words(db):
    props = ProgressionStep.objects.get(progression__slug="extension", exercise__slug="prone-props")
    # The built-in steps take the clinic's day counts; a clinic's own step may set its own.
    assert not props.has_rule
    props.advance_good_days, props.advance_pain_free_days = 2, 2
    with translation.override("en"):
        text = props.rule_text
    assert text == (
        "Suggest the next step once the pain has centralized or gone on 2 days at this step, "
        "with no warning sign since, or the patient has been pain-free at this step for 2 days "
        "in a row."
    )
    last = Progression.objects.get(slug="extension").steps.order_by("position").last()
    assert last.rule_text == ""


def test_good_days_at_the_step_suggest_the_next_one(patient, therapist):
    program = started(patient, therapist, first=2)
    first = log(program, "prone-props", 3, GOOD)
    assert open_suggestion(patient) is None
    second = log(program, "prone-props", 1, GOOD)

    suggestion = open_suggestion(patient)
    assert suggestion.direction == "forward"
    assert suggestion.to_exercise.slug == "prone-press-up"
    with translation.override("en"):
        assert suggestion.headline == "Ready to progress: consider Prone press-up"
    with translation.override("es"):
        assert suggestion.headline == (
            "Puede avanzar: valore «Subir con los brazos (extensión en decúbito prono)»"
        )
    assert set(suggestion.logs.all()) == {first, second}
    assert flag(patient) == "forward"


def test_logs_that_do_not_meet_the_rule_suggest_nothing(patient, therapist):
    program = started(patient, therapist, first=2)
    log(program, "prone-props", 3, GOOD)
    log(program, "prone-props", 3, GOOD, hours=2)  # the same day twice is one day
    log(program, "prone-props", 2, UNCHANGED)
    log(program, "prone-lying", 1, GOOD)  # another step's logs do not count
    assert open_suggestion(patient) is None
    assert flag(patient) == ""


def test_a_warning_starts_the_count_again(patient, therapist):
    program = started(patient, therapist, first=3)
    log(program, "prone-press-up", 4, UNCHANGED)
    log(program, "prone-press-up", 3, UNCHANGED)
    log(program, "prone-press-up", 2, UNCHANGED)
    # More force in the same plane first.
    assert open_suggestion(patient).to_exercise.slug == "prone-press-up-sustained"
    assert open_suggestion(patient).rule == "unchanged_days"

    log(program, "prone-press-up", 1, SPREADING)
    suggestion = open_suggestion(patient)
    # The warning points back a step instead, and the forward one no longer applies.
    assert (suggestion.direction, suggestion.to_exercise.slug) == ("back", "prone-props")
    assert ProgressionSuggestion.objects.filter(patient=patient, status="outdated").count() == 1
    assert flag(patient) == "back"


def test_unchanged_days_count_only_since_the_step_last_helped(patient, therapist):
    program = started(patient, therapist, first=3)
    for days_ago in (6, 5, 4):
        log(program, "prone-press-up", days_ago, UNCHANGED)
    log(program, "prone-press-up", 3, GOOD)
    log(program, "prone-press-up", 2, UNCHANGED)
    log(program, "prone-press-up", 1, UNCHANGED)
    assert open_suggestion(patient) is None


def test_pain_free_days_in_a_row_on_press_ups_suggest_recovery_of_function(patient, therapist):
    program = started(patient, therapist, first=3)
    log(program, "prone-press-up", 3, PAIN_FREE)
    log(program, "prone-press-up", 2, PAIN_FREE)
    assert open_suggestion(patient) is None
    log(program, "prone-press-up", 1, PAIN_FREE)
    suggestion = open_suggestion(patient)
    assert (suggestion.rule, suggestion.days) == ("pain_free_days", 3)
    assert suggestion.to_exercise.slug == "supine-lumbar-flexion"


def test_a_gap_breaks_the_pain_free_run(patient, therapist):
    program = started(patient, therapist, first=3)
    log(program, "prone-press-up", 5, PAIN_FREE)
    log(program, "prone-press-up", 4, PAIN_FREE)
    log(program, "prone-press-up", 1, PAIN_FREE)
    assert open_suggestion(patient) is None


def test_the_flexion_progression_has_its_own_steps(patient, therapist):
    program = started(patient, therapist, first=1, progression="flexion")
    for days_ago in (3, 2, 1):
        log(program, "supine-lumbar-flexion", days_ago, GOOD)
    assert open_suggestion(patient).to_exercise.slug == "seated-lumbar-flexion"


def test_maintenance_and_a_hand_picked_program_suggest_nothing(patient, therapist):
    program = make_prescription(patient, therapist, progression="maintenance")
    for days_ago in (3, 2, 1):
        log(program, "standing-lumbar-extension", days_ago, PAIN_FREE)
    assert open_suggestion(patient) is None


def test_a_warning_at_the_first_step_has_no_step_to_go_back_to(patient, therapist):
    program = started(patient, therapist, first=1)
    log(program, "prone-lying", 1, SPREADING)
    assert open_suggestion(patient) is None


def test_accepting_makes_the_next_version_with_the_next_step(patient, therapist):
    program = started(patient, therapist, first=2)
    log(program, "prone-props", 2, GOOD)
    log(program, "prone-props", 1, GOOD)
    suggestion = open_suggestion(patient)

    revision = accept_suggestion(suggestion=suggestion, by=therapist)

    program.refresh_from_db()
    suggestion.refresh_from_db()
    assert (program.status, revision.status) == ("ended", "active")
    assert revision.version == program.version + 1 and revision.replaces == program
    assert [i.exercise.slug for i in revision.items.order_by("position")] == [
        "prone-lying",
        "prone-press-up",
    ]
    assert "Prone props (lying on elbows) replaced by Prone press-up" in revision.change_note
    assert (suggestion.status, suggestion.result, suggestion.decided_by) == (
        "accepted",
        revision,
        therapist,
    )
    assert flag(patient) == ""
    with pytest.raises(ValidationError):
        accept_suggestion(suggestion=suggestion, by=therapist)


def test_going_back_drops_the_step_when_the_program_holds_the_previous_one(patient, therapist):
    program = started(patient, therapist, first=3)
    log(program, "prone-press-up", 1, SPREADING)
    suggestion = open_suggestion(patient)
    assert [spec.exercise.slug for spec in suggested_items(suggestion)] == [
        "prone-lying",
        "prone-props",
    ]
    revision = accept_suggestion(suggestion=suggestion, by=therapist)
    assert revision.items.count() == 2


def test_dismissing_keeps_the_reason_and_does_not_suggest_again_from_the_same_logs(
    patient, therapist
):
    program = started(patient, therapist, first=2)
    log(program, "prone-props", 2, GOOD)
    log(program, "prone-props", 1, GOOD)
    suggestion = open_suggestion(patient)

    with pytest.raises(ValidationError):
        dismiss_suggestion(suggestion=suggestion, by=therapist, reason="   ")
    dismiss_suggestion(suggestion=suggestion, by=therapist, reason="Still stiff in the morning")

    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.dismiss_reason) == (
        "dismissed",
        "Still stiff in the morning",
    )
    assert open_suggestion(patient) is None
    assert flag(patient) == ""
    program.refresh_from_db()
    assert program.status == "active"  # nothing changed the program


def test_a_dismissal_without_a_reason_cannot_be_stored(patient, therapist):
    program = started(patient, therapist, first=2)
    log(program, "prone-props", 2, GOOD)
    log(program, "prone-props", 1, GOOD)
    with pytest.raises(IntegrityError):
        ProgressionSuggestion.objects.filter(patient=patient).update(status="dismissed")


def test_a_program_revised_by_hand_outdates_the_suggestion(patient, therapist):
    program = started(patient, therapist, first=2)
    log(program, "prone-props", 2, GOOD)
    log(program, "prone-props", 1, GOOD)
    suggestion = open_suggestion(patient)
    items = suggested_items(suggestion)[:1]
    revise_prescription(prescription=program, items=items, by=therapist)
    suggestion.refresh_from_db()
    assert suggestion.status == "outdated"
    assert flag(patient) == ""


def test_rebuild_summaries_repairs_the_suggestion_and_its_flag(patient, therapist, other_patient):
    program = started(patient, therapist, first=2)
    log(program, "prone-props", 2, GOOD)
    log(program, "prone-props", 1, GOOD)
    ProgressionSuggestion.objects.all().delete()
    Patient.objects.update(progress_suggestion="back")

    call_command("rebuild_summaries", stdout=StringIO())

    assert open_suggestion(patient).to_exercise.slug == "prone-press-up"
    assert (flag(patient), flag(other_patient)) == ("forward", "")


def test_logs_from_an_earlier_version_with_the_same_step_count(patient, therapist):
    program = started(patient, therapist, first=2)
    first = log(program, "prone-props", 2, GOOD)
    items = [ItemSpec.from_item(item) for item in program.items.order_by("position")]
    revision = revise_prescription(prescription=program, items=items, by=therapist)
    second = log(revision, "prone-props", 0, GOOD)
    suggestion = open_suggestion(patient)
    assert suggestion.prescription == revision
    assert set(suggestion.logs.all()) == {first, second}


def test_new_good_days_after_a_dismissal_suggest_again(patient, therapist, frozen_clock):
    program = started(patient, therapist, first=2)
    log(program, "prone-props", 2, GOOD)
    log(program, "prone-props", 1, GOOD)
    dismiss_suggestion(suggestion=open_suggestion(patient), by=therapist, reason="Not yet")

    frozen_clock.shift(timedelta(days=1))
    log(program, "prone-props", 0, GOOD)
    assert open_suggestion(patient) is None  # one new day is not enough
    frozen_clock.shift(timedelta(days=1))
    latest = log(program, "prone-props", 0, GOOD)
    again = open_suggestion(patient)
    assert again.to_exercise.slug == "prone-press-up" and latest in again.logs.all()
    assert ProgressionSuggestion.objects.filter(patient=patient, status="dismissed").count() == 1


def test_going_back_lapses_when_the_step_helps_again(patient, therapist):
    program = started(patient, therapist, first=3)
    log(program, "prone-press-up", 3, SPREADING)
    assert open_suggestion(patient).direction == "back"
    log(program, "prone-press-up", 1, {**GOOD, "location": "buttock"})
    assert open_suggestion(patient) is None
    assert flag(patient) == ""
