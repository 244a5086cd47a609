"""The built-in McKenzie catalog is there after migrate, complete and stable."""

from datetime import timedelta

from django.forms.models import model_to_dict
from django.utils import timezone

from exercises.catalog import load_catalog
from exercises.models import Exercise, Progression, ProgressionLink, ProgressionStep

BUILTIN = {
    "prone-lying",
    "prone-props",
    "prone-press-up",
    "prone-press-up-hips-off-centre",
    "standing-side-glide",
    "flexion-rotation",
    "standing-lumbar-extension",
    "supine-lumbar-flexion",
    "seated-lumbar-flexion",
    "standing-lumbar-flexion",
    "prone-press-up-sustained",
    "sitting-lumbar-roll",
    "slouch-overcorrect",
}


def _snapshot():
    return (
        [model_to_dict(e) | {"updated_at": e.updated_at} for e in Exercise.objects.order_by("pk")],
        [
            model_to_dict(p) | {"updated_at": p.updated_at}
            for p in Progression.objects.order_by("pk")
        ],
        list(ProgressionStep.objects.order_by("pk").values()),
        list(ProgressionLink.objects.order_by("pk").values()),
    )


def test_the_built_in_exercises_are_there_after_migrate(db):
    assert set(Exercise.objects.builtin().values_list("slug", flat=True)) == BUILTIN


def test_the_posture_corrections_are_there_in_english_and_spanish(db):
    roll = Exercise.objects.builtin().get(slug="sitting-lumbar-roll")
    slouch = Exercise.objects.builtin().get(slug="slouch-overcorrect")
    assert (roll.name_en, roll.name_es) == (
        "Sitting with a lumbar roll",
        "En una silla con un rulo lumbar",
    )
    assert (slouch.name_en, slouch.name_es) == (
        "Slouch-overcorrect",
        "Encorvarse y enderezarse del todo (sobrecorrección)",
    )
    for exercise in (roll, slouch):
        assert exercise.position == "sitting"
        assert len(exercise.steps_es) == len(exercise.steps_en)
        assert "Posture correction" in exercise.purpose_en
        assert "Corrección postural" in exercise.purpose_es


def test_the_extension_progression_follows_the_article_with_more_force_at_the_end(db):
    steps = Progression.objects.get(slug="extension").steps.order_by("position")
    assert [step.exercise.slug for step in steps] == [
        "prone-lying",
        "prone-props",
        "prone-press-up",
        "prone-press-up-sustained",
    ]


def test_the_flexion_progression_goes_from_lying_to_standing(db):
    steps = Progression.objects.get(slug="flexion").steps.order_by("position")
    assert [step.exercise.slug for step in steps] == [
        "supine-lumbar-flexion",
        "seated-lumbar-flexion",
        "standing-lumbar-flexion",
    ]


def test_loading_the_catalog_again_changes_nothing(db):
    before = _snapshot()
    load_catalog()
    load_catalog()
    assert _snapshot() == before


def test_loading_restores_a_built_in_exercise_that_was_edited(db):
    Exercise.objects.filter(slug="prone-props").update(name="Something else", steps=[])
    load_catalog()
    exercise = Exercise.objects.get(slug="prone-props")
    assert exercise.name == "Prone props (lying on elbows)"
    assert len(exercise.steps) == 4


def test_what_loading_restores_is_stamped_as_updated_for_syncing_clients(db):
    long_ago = timezone.now() - timedelta(days=30)
    Exercise.objects.filter(slug="prone-props").update(name="Something else", updated_at=long_ago)
    extension = Progression.objects.get(slug="extension")
    Progression.objects.filter(pk=extension.pk).update(updated_at=long_ago)
    extension.steps.filter(position=1).update(advance_when_en="Edited")

    load_catalog()

    assert Exercise.objects.get(slug="prone-props").updated_at > long_ago
    assert Progression.objects.get(pk=extension.pk).updated_at > long_ago
    untouched = Progression.objects.get(slug="flexion").updated_at
    load_catalog()
    assert Progression.objects.get(slug="flexion").updated_at == untouched


def test_every_exercise_has_steps_a_stop_rule_and_a_dosage(db):
    for exercise in Exercise.objects.builtin():
        assert len(exercise.steps) >= 3, exercise.slug
        assert all(step.strip() for step in exercise.steps), exercise.slug
        assert "stop" in exercise.cautions.lower(), exercise.slug
        assert exercise.default_repetitions >= 1
        assert (exercise.default_times_per_day is None) != (exercise.default_every_hours is None)
        assert exercise.illustration == f"exercises/drawings/{exercise.slug}.svg"


def test_the_catalog_covers_each_direction_it_loads(db):
    directions = set(Exercise.objects.builtin().values_list("direction", flat=True))
    assert directions == {"extension", "flexion", "side_glide", "rotation"}
