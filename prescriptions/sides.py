"""Which side a one-sided exercise names, from the patient's painful side.

Each one-sided built-in exercise has its own rule in the catalog, with its source
(`exercises.catalog.SIDE_RULES`): the press-up with the hips off-centre and the
standing side glide move the hips away from the painful side; in the flexion
rotation stretch the patient lies on the painful side. The same `side` value would
otherwise mean opposite things in different exercises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils import translation

from exercises.catalog import SIDE_RULES
from exercises.dosage import LEFT, RIGHT, render_steps, side_for_painful_side
from exercises.models import Exercise
from patients.models import Patient

# The step placeholders that name a side (exercises/dosage.py fills them in).
SIDE_PLACEHOLDER = re.compile(r"\{(your_side|your_other_side|to_side|to_other_side)\}")


def side_rule(exercise: Exercise) -> str | None:
    """How a one-sided built-in exercise takes its side from the painful side ("away" or
    "towards"); None for any other exercise."""
    if not (exercise.sided and exercise.is_builtin):
        return None
    return SIDE_RULES.get(exercise.slug)


def default_side(patient: Patient, exercise: Exercise) -> str:
    """The side a one-sided exercise's steps name unless the therapist says otherwise:
    from the patient's painful side by the exercise's own rule. "" without a rule or a
    single painful side (both, central, not recorded): the therapist chooses. A lateral
    directional preference does not decide it, since one side value would mean opposite
    things in different exercises."""
    return side_for_painful_side(side_rule(exercise), patient.painful_side)


@dataclass(frozen=True)
class SidePreview:
    """What the builder shows beside a one-sided exercise's side: the steps that name a
    side, as the patient will read them for each choice, and where the default comes from."""

    rule: str | None
    painful_side: str
    default: str
    language: str
    sentences: dict[str, list[str]]


def side_preview(exercise: Exercise, patient: Patient) -> SidePreview:
    """The preview of one one-sided exercise for one patient, in the patient's language."""
    language = patient.preferred_language or translation.get_language()
    with translation.override(language):
        steps = [str(step) for step in exercise.steps if SIDE_PLACEHOLDER.search(str(step))]
        sentences = {side: render_steps(steps, side=side) for side in ("", LEFT, RIGHT)}
    return SidePreview(
        rule=side_rule(exercise),
        painful_side=patient.painful_side,
        default=default_side(patient, exercise),
        language=language,
        sentences=sentences,
    )


def carried_side(side: str, *, from_exercise: Exercise, to_exercise: Exercise) -> str:
    """The side of an exercise that takes another's place (a progression step): the same
    painful side, so the side value flips when the two rules point opposite ways (side
    glide, hips away from the pain, to flexion rotation, lying on it)."""
    before, after = side_rule(from_exercise), side_rule(to_exercise)
    if side not in (LEFT, RIGHT) or before is None or after is None or before == after:
        return side
    return RIGHT if side == LEFT else LEFT
