"""The side rules of the one-sided exercises: each exercise's side from the painful side,
and a side carried from one exercise to the next keeps pointing at the same pain."""

import pytest

from exercises.catalog import EXERCISES, SIDE_RULES
from exercises.dosage import side_for_painful_side
from exercises.models import Exercise
from prescriptions.sides import carried_side, default_side, side_rule
from tests.factories import make_exercise_for


def builtin(slug):
    return Exercise.objects.builtin().get(slug=slug)


@pytest.mark.hazard("H-04")
def test_every_one_sided_builtin_exercise_has_a_rule_with_its_source():
    sided = [entry for entry in EXERCISES if entry.get("sided")]
    assert sided
    for entry in sided:
        assert entry["side_rule"]["relation"] in ("away", "towards"), entry["slug"]
        assert "Reference article" in entry["side_rule"]["source"], entry["slug"]
    assert SIDE_RULES == {
        "prone-press-up-hips-off-centre": "away",
        "standing-side-glide": "away",
        "flexion-rotation": "towards",
    }


@pytest.mark.parametrize(
    ("rule", "painful_side", "side"),
    [
        ("away", "left", "right"),
        ("away", "right", "left"),
        ("towards", "left", "left"),
        ("towards", "right", "right"),
        *(
            (rule, painful, "")
            for rule in ("away", "towards")
            for painful in ("both", "central", "")
        ),
        (None, "left", ""),
    ],
)
@pytest.mark.hazard("H-04")
def test_the_side_follows_from_the_painful_side_by_the_rule(rule, painful_side, side):
    assert side_for_painful_side(rule, painful_side) == side


@pytest.mark.parametrize(
    ("slug", "painful_side", "side"),
    [
        ("prone-press-up-hips-off-centre", "left", "right"),
        ("standing-side-glide", "left", "right"),
        ("flexion-rotation", "left", "left"),
        ("prone-press-up-hips-off-centre", "right", "left"),
        ("standing-side-glide", "right", "left"),
        ("flexion-rotation", "right", "right"),
        ("prone-press-up", "left", ""),
    ],
)
def test_each_exercise_gets_its_own_side_for_the_patient(patient, slug, painful_side, side):
    patient.painful_side = painful_side
    assert default_side(patient, builtin(slug)) == side


def test_a_clinics_own_one_sided_exercise_has_no_rule(patient, clinic):
    own = make_exercise_for(clinic, "wall-lean")
    own.sided = True
    patient.painful_side = "left"
    assert side_rule(own) is None and default_side(patient, own) == ""


@pytest.mark.parametrize(
    ("from_slug", "to_slug", "side", "carried"),
    [
        ("prone-press-up-hips-off-centre", "standing-side-glide", "right", "right"),
        ("standing-side-glide", "flexion-rotation", "right", "left"),
        ("flexion-rotation", "standing-side-glide", "left", "right"),
        ("prone-press-up", "prone-press-up-hips-off-centre", "", ""),
    ],
)
@pytest.mark.hazard("H-04")
def test_a_side_carried_to_the_next_step_points_at_the_same_pain(
    db, from_slug, to_slug, side, carried
):
    assert carried_side(side, from_exercise=builtin(from_slug), to_exercise=builtin(to_slug)) == (
        carried
    )
