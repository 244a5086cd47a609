"""The suggestion rules read as an MDT clinician reads a patient's logs: recent days in
a row, more force in the same plane first, the lateral branch only for one-sided
pain, back to the press-up once a side glide centralizes, recovery of function once
pain-free, and "eased, better" as a good answer on the flexion program."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from prescriptions.models import Prescription, ProgressionSuggestion
from prescriptions.services import accept_suggestion, dismiss_suggestion, record_symptom_log
from tests.factories import make_prescription

GOOD = {"pain": 2, "location": "central", "during": "centralize", "after": "better"}
WORSENING = {"pain": 5, "location": "central", "during": "increase", "after": "no_better"}
CENTRAL_UNCHANGED = {"pain": 4, "location": "central", "during": "no_effect", "after": "no_better"}
ONE_SIDED_UNCHANGED = {
    "pain": 4,
    "location": "buttock",
    "during": "no_effect",
    "after": "no_better",
}
PAIN_FREE = {"pain": 0, "location": "none", "during": "no_effect", "after": "no_effect"}
EASED_BETTER = {"pain": 3, "location": "thigh", "during": "decrease", "after": "better"}


def started(patient, therapist, *, progression="extension", first=None, days_ago=10):
    program = make_prescription(patient, therapist, progression=progression, first=first)
    Prescription.objects.filter(pk=program.pk).update(
        activated_at=timezone.now() - timedelta(days=days_ago)
    )
    program.refresh_from_db()
    return program


def log(program, slug, days_ago, answers):
    return record_symptom_log(
        patient=program.patient,
        item=program.items.get(exercise__slug=slug),
        sets_done=1,
        repetitions_done=10,
        logged_at=timezone.now() - timedelta(days=days_ago),
        **answers,
    ).log


def open_suggestion(patient):
    return ProgressionSuggestion.objects.open().filter(patient=patient).first()


def slugs(prescription):
    return list(prescription.items.order_by("position").values_list("exercise__slug", flat=True))


@pytest.mark.hazard("H-10")
def test_two_good_days_then_four_worse_days_are_not_ready_to_progress(patient, therapist):
    program = started(patient, therapist, first=2)
    for days_ago in (6, 5):
        log(program, "prone-props", days_ago, GOOD)
    for days_ago in (4, 3, 2, 1):
        log(program, "prone-props", days_ago, WORSENING)

    assert open_suggestion(patient) is None


@pytest.mark.hazard("H-10")
def test_good_days_count_only_when_they_are_the_latest_days_logged_in_a_row(patient, therapist):
    program = started(patient, therapist, first=2)
    log(program, "prone-props", 5, GOOD)
    log(program, "prone-props", 4, WORSENING)
    log(program, "prone-props", 3, GOOD)
    assert open_suggestion(patient) is None

    log(program, "prone-props", 1, GOOD)  # a day without a log is no break

    suggestion = open_suggestion(patient)
    assert (suggestion.direction, suggestion.to_exercise.slug) == ("forward", "prone-press-up")
    assert suggestion.days == 2


def test_unchanged_press_ups_suggest_more_force_in_the_same_plane_first(patient, therapist):
    program = started(patient, therapist, first=3)
    for days_ago in (3, 2, 1):
        log(program, "prone-press-up", days_ago, ONE_SIDED_UNCHANGED)

    suggestion = open_suggestion(patient)
    assert suggestion.to_exercise.slug == "prone-press-up-sustained"
    assert suggestion.rule == "unchanged_days"


@pytest.mark.hazard("H-10")
def test_unchanged_central_even_pain_asks_for_a_reassessment_never_the_lateral_branch(
    patient, therapist
):
    program = started(patient, therapist)  # the whole extension progression
    for days_ago in (3, 2, 1):
        log(program, "prone-press-up-sustained", days_ago, CENTRAL_UNCHANGED)

    suggestion = open_suggestion(patient)
    assert suggestion.direction == "reassess"
    assert suggestion.to_exercise.slug == "prone-press-up-sustained"
    with translation.override("en"):
        assert suggestion.headline == (
            "Reassess: Press-up with sag and breath out is not changing the symptoms"
        )
        assert "a sideways movement is for one-sided pain only" in suggestion.why
    with pytest.raises(ValidationError):
        accept_suggestion(suggestion=suggestion, by=therapist)
    assert Prescription.objects.filter(patient=patient).count() == 1


def test_unchanged_one_sided_pain_at_the_last_extension_step_enters_the_lateral_branch(
    patient, therapist
):
    program = started(patient, therapist)
    for days_ago in (3, 2, 1):
        log(program, "prone-press-up-sustained", days_ago, ONE_SIDED_UNCHANGED)

    suggestion = open_suggestion(patient)
    assert (suggestion.direction, suggestion.to_exercise.slug) == (
        "forward",
        "prone-press-up-hips-off-centre",
    )

    revision = accept_suggestion(suggestion=suggestion, by=therapist)

    assert revision.progression.slug == "lateral"
    assert slugs(revision) == [
        "prone-lying",
        "prone-props",
        "prone-press-up",
        "prone-press-up-hips-off-centre",
    ]


def test_a_side_glide_that_centralizes_points_back_to_the_press_up(patient, therapist):
    program = started(patient, therapist, progression="lateral", first=2)
    log(program, "standing-side-glide", 2, GOOD)
    log(program, "standing-side-glide", 1, GOOD)

    suggestion = open_suggestion(patient)
    assert (suggestion.direction, suggestion.to_exercise.slug) == ("forward", "prone-press-up")

    revision = accept_suggestion(suggestion=suggestion, by=therapist)

    assert revision.progression.slug == "extension"
    assert slugs(revision) == ["prone-press-up-hips-off-centre", "prone-press-up"]


def test_pain_free_press_ups_suggest_recovery_of_function_keeping_the_press_up(patient, therapist):
    program = started(patient, therapist, first=3)
    for days_ago in (3, 2, 1):
        log(program, "prone-press-up", days_ago, PAIN_FREE)

    suggestion = open_suggestion(patient)
    assert (suggestion.rule, suggestion.to_exercise.slug) == (
        "pain_free_days",
        "supine-lumbar-flexion",
    )

    revision = accept_suggestion(suggestion=suggestion, by=therapist)

    assert revision.progression.slug == "recovery"
    # Flexion comes back followed by the extension exercise.
    assert slugs(revision) == [
        "prone-lying",
        "prone-props",
        "supine-lumbar-flexion",
        "prone-press-up",
    ]


def test_pain_free_days_at_recovery_of_function_suggest_maintenance(patient, therapist):
    program = started(patient, therapist, progression="recovery", first=1)
    for days_ago in (3, 2, 1):
        log(program, "supine-lumbar-flexion", days_ago, PAIN_FREE)

    suggestion = open_suggestion(patient)
    assert suggestion.to_exercise.slug == "standing-lumbar-extension"
    revision = accept_suggestion(suggestion=suggestion, by=therapist)
    assert revision.progression.slug == "maintenance"


def test_eased_and_better_counts_as_good_on_the_flexion_program(patient, therapist):
    program = started(patient, therapist, progression="flexion", first=1)
    log(program, "supine-lumbar-flexion", 2, EASED_BETTER)
    log(program, "supine-lumbar-flexion", 1, EASED_BETTER)

    suggestion = open_suggestion(patient)
    assert (suggestion.rule, suggestion.to_exercise.slug) == ("good_days", "seated-lumbar-flexion")


def test_eased_and_better_is_not_centralization_on_the_extension_program(patient, therapist):
    program = started(patient, therapist, first=2)
    log(program, "prone-props", 2, EASED_BETTER)
    log(program, "prone-props", 1, EASED_BETTER)

    assert open_suggestion(patient) is None


def test_the_day_counts_are_the_clinics_settings(patient, therapist, clinic):
    clinic.progression_good_days = 3
    clinic.save(update_fields=["progression_good_days"])
    program = started(patient, therapist, first=2)
    log(program, "prone-props", 2, GOOD)
    log(program, "prone-props", 1, GOOD)
    assert open_suggestion(patient) is None

    log(program, "prone-props", 0, GOOD)

    assert open_suggestion(patient).days == 3


def test_a_dismissed_reassessment_is_not_made_again_from_the_same_logs(patient, therapist):
    program = started(patient, therapist)
    for days_ago in (3, 2, 1):
        log(program, "prone-press-up-sustained", days_ago, CENTRAL_UNCHANGED)
    suggestion = open_suggestion(patient)

    dismiss_suggestion(suggestion=suggestion, by=therapist, reason="Reassessed: stenosis.")

    assert open_suggestion(patient) is None


def test_press_ups_that_keep_centralizing_are_kept_up_not_given_more_force(patient, therapist):
    program = started(patient, therapist, first=3)
    for days_ago in (4, 3, 2, 1):
        log(program, "prone-press-up", days_ago, GOOD)

    assert open_suggestion(patient) is None
