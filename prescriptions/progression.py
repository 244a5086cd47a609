"""Progression suggestions: what a patient's logs say about the step they are at.

The current step is the furthest step of the program's progression that the
active program holds. Its rule (the numbers on `ProgressionStep`) is checked
against the logs of that exercise since the step began; a warning sign at the
step (pain spreading, worse afterwards, new nerve symptoms) points back to the
previous step instead. The outcome is stored as one open `ProgressionSuggestion`
per patient, and its direction on the patient (`progress_suggestion`) for the
list. `refresh_suggestion` runs inside each write that can change it (a log, a
program started, revised or ended); accepting or dismissing is the therapist's,
in services.py. Nothing here changes a program.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from exercises.models import ProgressionStep
from patients.models import Location, Patient

from . import baseline, safety
from .models import (
    AfterResponse,
    DuringResponse,
    Prescription,
    ProgressionSuggestion,
    SymptomLog,
)
from .summary import lock_patient

# Findings that count as a warning sign at a step (pain rise is the patient's, not
# one exercise's, so it does not point at a step).
WARNING_KINDS = frozenset({safety.PERIPHERALIZATION, safety.WORSE, safety.NEUROLOGICAL})
GOOD_DURING = frozenset({DuringResponse.CENTRALIZE, DuringResponse.ABOLISH})
UNCHANGED_DURING = frozenset({DuringResponse.NO_EFFECT})
UNCHANGED_AFTER = frozenset(
    {AfterResponse.NO_BETTER, AfterResponse.NO_WORSE, AfterResponse.NO_EFFECT}
)
# How many supporting logs a suggestion keeps: enough to judge, few enough to read.
MAX_LOGS = 10
# Program versions followed back to find when a step began.
MAX_VERSIONS = 50


@dataclass(frozen=True)
class Verdict:
    direction: str
    rule: str
    days: int
    current: ProgressionStep
    target: ProgressionStep
    logs: Sequence[SymptomLog]


def is_warning(log: SymptomLog) -> bool:
    return any(finding.get("kind") in WARNING_KINDS for finding in log.findings)


def is_good(log: SymptomLog) -> bool:
    """The pain centralized or went: by the patient's answer, by the data (the safety
    rules' centralization finding) or because nothing hurts any more."""
    return (
        log.during in GOOD_DURING
        or log.location == Location.NONE
        or any(finding.get("kind") == safety.CENTRALIZATION for finding in log.findings)
    )


def is_unchanged(log: SymptomLog) -> bool:
    return (
        log.during in UNCHANGED_DURING
        and log.after in UNCHANGED_AFTER
        and log.location != Location.NONE
        and not is_good(log)
    )


def _by_day(logs: Sequence[SymptomLog]) -> dict[date, list[SymptomLog]]:
    days: dict[date, list[SymptomLog]] = {}
    for log in logs:
        days.setdefault(timezone.localdate(log.logged_at), []).append(log)
    return days


def current_step(prescription: Prescription) -> tuple[ProgressionStep | None, list]:
    """The furthest step of the program's progression in the program, and all steps."""
    if prescription.progression_id is None:
        return None, []
    steps = list(
        ProgressionStep.objects.filter(progression_id=prescription.progression_id)
        .select_related("exercise")
        .order_by("position")
    )
    in_program = set(prescription.items.values_list("exercise_id", flat=True))
    held = [step for step in steps if step.exercise_id in in_program]
    return (held[-1] if held else None), steps


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


def _dismissed_since(prescription: Prescription, direction: str) -> datetime | None:
    """A dismissed suggestion is not made again from the logs the therapist already saw."""
    return (
        ProgressionSuggestion.objects.filter(
            prescription=prescription, direction=direction, status="dismissed"
        )
        .order_by("-decided_at")
        .values_list("decided_at", flat=True)
        .first()
    )


def _logs_after(logs: Sequence[SymptomLog], moment: datetime | None) -> list[SymptomLog]:
    return [log for log in logs if moment is None or log.logged_at > moment]


def forward_verdict(
    step: ProgressionStep, target: ProgressionStep, logs: Sequence[SymptomLog]
) -> Verdict | None:
    """The step's rule against its logs (oldest first); None when no condition is met.

    Only logs after the last warning sign count: a warning starts the count again.
    """
    warnings = [index for index, log in enumerate(logs) if is_warning(log)]
    if warnings:
        logs = logs[warnings[-1] + 1 :]
    days = _by_day(logs)

    def verdict(rule: str, count: int, support: list[SymptomLog]) -> Verdict:
        return Verdict("forward", rule, count, step, target, support[-MAX_LOGS:])

    if step.advance_pain_free_days and days:
        needed = step.advance_pain_free_days
        last = max(days)
        run = [last - timedelta(days=offset) for offset in range(needed)]
        if all(day in days and all(log.pain == 0 for log in days[day]) for day in run):
            return verdict(
                ProgressionSuggestion.Rule.PAIN_FREE_DAYS,
                needed,
                [log for day in sorted(run) for log in days[day]],
            )
    if step.advance_good_days:
        good = {day: [log for log in day_logs if is_good(log)] for day, day_logs in days.items()}
        good = {day: day_logs for day, day_logs in good.items() if day_logs}
        if len(good) >= step.advance_good_days:
            return verdict(
                ProgressionSuggestion.Rule.GOOD_DAYS,
                len(good),
                [log for day in sorted(good) for log in good[day]],
            )
    if step.advance_unchanged_days:
        # The latest days logged, back to the first one the step changed something: a
        # step that helped before and stalls now has not been "not helping" all along.
        unchanged = []
        for day in sorted(days, reverse=True):
            if not all(is_unchanged(log) for log in days[day]):
                break
            unchanged.append(day)
        if len(unchanged) >= step.advance_unchanged_days:
            return verdict(
                ProgressionSuggestion.Rule.UNCHANGED_DAYS,
                len(unchanged),
                [log for day in sorted(unchanged) for log in days[day]],
            )
    return None


def evaluate(prescription: Prescription) -> Verdict | None:
    """What the logs of the active program's current step suggest, if anything."""
    step, steps = current_step(prescription)
    if step is None:
        return None
    index = steps.index(step)
    logs = list(
        SymptomLog.objects.filter(
            patient_id=prescription.patient_id,
            item__exercise_id=step.exercise_id,
            logged_at__gte=step_began(prescription, step.exercise_id) or prescription.created_at,
        ).order_by("logged_at", "id")
    )
    if index > 0:
        # Warnings since the step last helped: a step that centralizes again after a
        # warning has answered the question itself.
        recent = _logs_after(logs, _dismissed_since(prescription, "back"))
        helped = [i for i, log in enumerate(recent) if is_good(log) and not is_warning(log)]
        if helped:
            recent = recent[helped[-1] + 1 :]
        warnings = [log for log in recent if is_warning(log)]
        if warnings:
            return Verdict(
                "back",
                ProgressionSuggestion.Rule.WARNING,
                len(warnings),
                step,
                steps[index - 1],
                warnings[-MAX_LOGS:],
            )
    if index + 1 < len(steps) and step.has_rule:
        return forward_verdict(
            step, steps[index + 1], _logs_after(logs, _dismissed_since(prescription, "forward"))
        )
    return None


def refresh_suggestion(patient_id: int) -> ProgressionSuggestion | None:
    """Bring the patient's open suggestion in line with their logs and program.

    Call it inside the transaction of the write, with the patient locked (as the
    services do). A suggestion whose program version is no longer in use, or whose
    logs no longer show it, becomes "no longer applies"; a dismissed one stays
    dismissed. Returns the open suggestion, if any.
    """
    open_ = ProgressionSuggestion.objects.open().filter(patient_id=patient_id).first()
    active = Prescription.objects.active().filter(patient_id=patient_id).first()
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
            and open_.to_exercise_id == verdict.target.exercise_id
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
            from_exercise=verdict.current.exercise,
            to_exercise=verdict.target.exercise,
        )
        open_.logs.set(verdict.logs)
    Patient.objects.filter(pk=patient_id).update(
        progress_suggestion=open_.direction if open_ is not None else "",
        suggested_exercise=open_.to_exercise_id if open_ is not None else None,
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
