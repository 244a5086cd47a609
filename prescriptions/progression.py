"""Progression suggestions: what a patient's logs say about the step they are at.

The current step is the furthest step of the program's progression that the active
program holds. The rules (progression_rules.py, pure functions) read its logs since
the step began, with the step's neighbours in the progression graph: the next step of
the same plane and the branches (ProgressionLink). A warning sign at the step (pain
spreading, worse afterwards, new nerve symptoms) points back to the previous step
instead. The outcome is stored as one open `ProgressionSuggestion` per patient, and
its direction on the patient (`progress_suggestion`) for the list.
`refresh_suggestion` runs inside each write that can change it (a log, a program
started, revised or ended); accepting or dismissing is the therapist's, in
services.py. Nothing here changes a program.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Max, Q

from exercises.models import Exercise, ProgressionLink, ProgressionStep
from patients.models import Patient

from . import baseline
from .models import Prescription, ProgressionSuggestion, SymptomLog
from .progression_rules import (
    MAX_LOGS,
    DayCounts,
    Place,
    forward_move,
    is_good,
    is_warning,
)
from .summary import lock_patient

# Program versions followed back to find when a step began.
MAX_VERSIONS = 50


@dataclass(frozen=True)
class Verdict:
    direction: str
    rule: str
    days: int
    current: Exercise
    target: Exercise
    logs: Sequence[SymptomLog]


def current_step(prescription: Prescription) -> tuple[ProgressionStep | None, list]:
    """The furthest step of the program's progression in the program, and all steps."""
    if prescription.progression_id is None:
        return None, []
    steps = list(
        ProgressionStep.objects.filter(progression_id=prescription.progression_id)
        .select_related("exercise", "progression")
        .order_by("position")
    )
    in_program = set(prescription.items.values_list("exercise_id", flat=True))
    held = [step for step in steps if step.exercise_id in in_program]
    return (held[-1] if held else None), steps


def place_of(step: ProgressionStep, steps: Sequence[ProgressionStep]) -> Place:
    """The step with its neighbours in the graph: the steps before and after it in its
    own progression and the branches that leave it."""
    index = list(steps).index(step)
    links = ProgressionLink.objects.filter(
        progression_id=step.progression_id, exercise_id=step.exercise_id
    ).select_related("to_exercise")
    return Place(
        step=step,
        previous=steps[index - 1] if index > 0 else None,
        next=steps[index + 1] if index + 1 < len(steps) else None,
        links={link.kind: link for link in links},
        direction=step.progression.direction,
    )


def link_taken(
    prescription: Prescription, from_exercise_id: int, to_exercise_id: int
) -> ProgressionLink | None:
    """The branch a suggestion from one exercise to another follows, if it leaves the
    program's progression; None for a step of the same progression."""
    if prescription.progression_id is None:
        return None
    return (
        ProgressionLink.objects.filter(
            progression_id=prescription.progression_id,
            exercise_id=from_exercise_id,
            to_exercise_id=to_exercise_id,
        )
        .exclude(kind=ProgressionLink.Kind.SUBSTITUTE)
        .select_related("to_progression")
        .first()
    )


def step_began(prescription: Prescription, exercise_id: int) -> datetime | None:
    """When the patient began the exercise: the activation of the earliest version, in
    the unbroken line of versions before this one, that holds it."""
    began = prescription.activated_at
    previous_id = prescription.replaces_id
    for _version in range(MAX_VERSIONS):
        if previous_id is None:
            break
        previous = (
            Prescription.objects.filter(pk=previous_id, items__exercise_id=exercise_id)
            .values("activated_at", "replaces_id")
            .first()
        )
        if previous is None or previous["activated_at"] is None:
            break
        began, previous_id = previous["activated_at"], previous["replaces_id"]
    return began


class _Dismissals:
    """When suggestions of the program were last dismissed, by direction: a dismissed
    suggestion is not made again from the logs the therapist already saw. Read once,
    when first asked."""

    def __init__(self, prescription: Prescription) -> None:
        self.prescription = prescription
        self._latest: dict[str, datetime] | None = None

    def since(self, *directions: str) -> datetime | None:
        if self._latest is None:
            rows = (
                ProgressionSuggestion.objects.filter(
                    prescription=self.prescription, status="dismissed"
                )
                .order_by()
                .values("direction")
                .annotate(latest=Max("decided_at"))
            )
            self._latest = {row["direction"]: row["latest"] for row in rows}
        return max(
            (self._latest[d] for d in directions if self._latest.get(d) is not None),
            default=None,
        )


def _logs_after(logs: Sequence[SymptomLog], moment: datetime | None) -> list[SymptomLog]:
    return [log for log in logs if moment is None or log.logged_at > moment]


def _back_verdict(
    dismissals: _Dismissals, place: Place, logs: Sequence[SymptomLog]
) -> Verdict | None:
    """Warnings since the step last helped point back a step: a step that centralizes
    again after a warning has answered the question itself."""
    if place.previous is None:
        return None
    flexion = place.direction == "flexion"
    recent = _logs_after(logs, dismissals.since("back"))
    helped = [
        i for i, log in enumerate(recent) if is_good(log, flexion=flexion) and not is_warning(log)
    ]
    if helped:
        recent = recent[helped[-1] + 1 :]
    warnings = [log for log in recent if is_warning(log)]
    if not warnings:
        return None
    return Verdict(
        ProgressionSuggestion.Direction.BACK,
        ProgressionSuggestion.Rule.WARNING,
        len(warnings),
        place.step.exercise,
        place.previous.exercise,
        warnings[-MAX_LOGS:],
    )


def evaluate(prescription: Prescription) -> Verdict | None:
    """What the logs of the active program's current step suggest, if anything."""
    step, steps = current_step(prescription)
    if step is None:
        return None
    place = place_of(step, steps)
    logs = list(
        SymptomLog.objects.filter(
            patient_id=prescription.patient_id,
            item__exercise_id=step.exercise_id,
            logged_at__gte=step_began(prescription, step.exercise_id) or prescription.created_at,
        ).order_by("logged_at", "id")
    )
    dismissals = _Dismissals(prescription)
    back = _back_verdict(dismissals, place, logs)
    if back is not None:
        return back
    if not logs:
        return None
    # refresh_suggestion reads the clinic with the program: no query here.
    clinic = prescription.patient.clinic
    fresh = _logs_after(logs, dismissals.since("forward", "reassess"))
    move = forward_move(place, fresh, DayCounts.for_step(step, clinic))
    if move is None:
        return None
    return Verdict(move.direction, move.rule, move.days, step.exercise, move.target, move.logs)


def refresh_suggestion(patient_id: int) -> ProgressionSuggestion | None:
    """Bring the patient's open suggestion in line with their logs and program.

    Call it inside the transaction of the write, with the patient locked (as the
    services do). A suggestion whose program version is no longer in use, or whose
    logs no longer show it, becomes "no longer applies"; a dismissed one stays
    dismissed. Returns the open suggestion, if any.
    """
    open_ = ProgressionSuggestion.objects.open().filter(patient_id=patient_id).first()
    active = (
        Prescription.objects.active()
        .filter(patient_id=patient_id)
        .select_related("patient__clinic")
        .first()
    )
    if open_ is None and (active is None or active.progression_id is None):
        # A hand-picked program has no steps to suggest: only a stale flag to clear.
        Patient.objects.filter(pk=patient_id).exclude(progress_suggestion="").update(
            progress_suggestion="", suggested_exercise=None
        )
        return None
    verdict = evaluate(active) if active is not None else None
    forward = verdict is not None and verdict.direction == "forward"
    if forward and baseline.spread_recently(patient_id):
        verdict = None  # pain further out than the reference: no progression
    if open_ is not None:
        same = (
            verdict is not None
            and open_.prescription_id == active.pk
            and open_.direction == verdict.direction
            and open_.to_exercise_id == verdict.target.pk
        )
        if same:
            open_.rule, open_.days = verdict.rule, verdict.days
            open_.save(update_fields=["rule", "days", "updated_at"])
            open_.logs.set(verdict.logs)
        else:
            open_.status = ProgressionSuggestion.Status.OUTDATED
            open_.save(update_fields=["status", "updated_at"])
            open_ = None
    if open_ is None and verdict is not None:
        open_ = ProgressionSuggestion.objects.create(
            patient_id=patient_id,
            prescription=active,
            direction=verdict.direction,
            rule=verdict.rule,
            days=verdict.days,
            from_exercise=verdict.current,
            to_exercise=verdict.target,
        )
        open_.logs.set(verdict.logs)
    flag = {
        "progress_suggestion": open_.direction if open_ is not None else "",
        "suggested_exercise_id": open_.to_exercise_id if open_ is not None else None,
    }
    # The program was read with its patient: an unchanged flag is not written again.
    if active is None or any(getattr(active.patient, k) != v for k, v in flag.items()):
        Patient.objects.filter(pk=patient_id).update(
            progress_suggestion=flag["progress_suggestion"],
            suggested_exercise=flag["suggested_exercise_id"],
        )
    return open_


def rebuild_suggestions() -> int:
    """Refresh the suggestion of every patient who has a progression in use or a flag
    set, one transaction each; how many were looked at. For repairs only
    (`manage.py rebuild_summaries`): the services keep suggestions up to date."""
    candidates = (
        Patient.objects.filter(
            Q(prescriptions__status="active", prescriptions__progression__isnull=False)
            | ~Q(progress_suggestion="")
        )
        .order_by("pk")
        .values_list("pk", flat=True)
        .distinct()
    )
    ids = list(candidates)
    for patient_id in ids:
        with transaction.atomic():
            lock_patient(patient_id)
            refresh_suggestion(patient_id)
    return len(ids)
