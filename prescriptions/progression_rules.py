"""The suggestion rules as pure functions: a place in the progression graph and the
logs of its step in, a move (or nothing) out. No query here: progression.py gathers
the place and the logs, and stores what comes out.

The rules, in the order they are tried (docs/progressions.md says why):
1. pain-free on the set number of days in a row -> recovery of function, or
   maintenance, where the step has that branch;
2. good days (the pain centralized, eased on the flexion program, or gone) on the most
   recent days logged, one after another -> back to the press-up from the lateral
   branch, else the next step of the same plane where the step allows it (not at the
   press-up: more force only when improvement stops);
3. unchanged on the most recent days logged -> more force in the same plane; with no
   step left, the lateral branch for one-sided or uneven pain only, otherwise
   "reassess".
A warning sign at the step points back a step instead (progression.evaluate).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from exercises.models import Direction, Exercise, ProgressionLink, ProgressionStep
from patients.models import Location

from . import safety
from .models import AfterResponse, DuringResponse, ProgressionSuggestion, SymptomLog

# Findings that count as a warning sign at a step (pain rise is the patient's, not
# one exercise's, so it does not point at a step).
WARNING_KINDS = frozenset({safety.PERIPHERALIZATION, safety.WORSE, safety.NEUROLOGICAL})
GOOD_DURING = frozenset({DuringResponse.CENTRALIZE, DuringResponse.ABOLISH})
# Answers that say the step made things worse, even without a warning finding.
SETBACK_DURING = frozenset(
    {DuringResponse.INCREASE, DuringResponse.PRODUCE, DuringResponse.PERIPHERALIZE}
)
UNCHANGED_DURING = frozenset({DuringResponse.NO_EFFECT})
UNCHANGED_AFTER = frozenset(
    {AfterResponse.NO_BETTER, AfterResponse.NO_WORSE, AfterResponse.NO_EFFECT}
)
# Where the pain reaches when it is not central and even: one side of the back or
# further out (pain in both legs is a red flag, handled by the safety rules).
ONE_SIDED = frozenset(
    {Location.ONE_SIDE, Location.BUTTOCK, Location.THIGH, Location.BELOW_KNEE, Location.FOOT}
)
# How many supporting logs a suggestion keeps: enough to judge, few enough to read.
MAX_LOGS = 10

Day = list[SymptomLog]


@dataclass(frozen=True)
class DayCounts:
    """How many days each rule needs; None where the rule is not used at the step."""

    good: int | None
    unchanged: int | None
    pain_free: int | None

    @classmethod
    def for_step(cls, step: ProgressionStep, clinic: object) -> DayCounts:
        """A step's own numbers when it has any (a clinic's own progression may set
        them), else the clinic's settings."""
        if step.has_rule:
            return cls(
                step.advance_good_days, step.advance_unchanged_days, step.advance_pain_free_days
            )
        return cls(
            clinic.progression_good_days,
            clinic.progression_unchanged_days,
            clinic.progression_pain_free_days,
        )


@dataclass(frozen=True)
class Place:
    """A step of a progression with its neighbours in the graph."""

    step: ProgressionStep
    previous: ProgressionStep | None = None
    next: ProgressionStep | None = None
    links: dict[str, ProgressionLink] = field(default_factory=dict)
    direction: str = Direction.EXTENSION

    def branch(self, *kinds: str) -> ProgressionLink | None:
        return next((self.links[kind] for kind in kinds if kind in self.links), None)


@dataclass(frozen=True)
class Move:
    direction: str
    rule: str
    days: int
    target: Exercise
    logs: Sequence[SymptomLog]


def is_warning(log: SymptomLog) -> bool:
    return any(finding.get("kind") in WARNING_KINDS for finding in log.findings)


def is_good(log: SymptomLog, *, flexion: bool = False) -> bool:
    """The pain centralized or went: by the patient's answer, by the data (the safety
    rules' centralization finding) or because nothing hurts any more. On a flexion
    program "eased, and better afterwards" is good too: it is the usual good response
    in spinal stenosis, where the pain eases rather than moves."""
    return (
        log.during in GOOD_DURING
        or log.location == Location.NONE
        or any(finding.get("kind") == safety.CENTRALIZATION for finding in log.findings)
        or (flexion and log.during == DuringResponse.DECREASE and log.after == AfterResponse.BETTER)
    )


def is_setback(log: SymptomLog) -> bool:
    return is_warning(log) or log.during in SETBACK_DURING or log.after == AfterResponse.WORSE


def is_unchanged(log: SymptomLog) -> bool:
    return (
        log.during in UNCHANGED_DURING
        and log.after in UNCHANGED_AFTER
        and log.location != Location.NONE
        and not is_good(log)
    )


def by_day(logs: Sequence[SymptomLog]) -> dict[date, Day]:
    days: dict[date, Day] = {}
    for log in logs:
        days.setdefault(timezone.localdate(log.logged_at), []).append(log)
    return days


def latest_run(days: dict[date, Day], passes: Callable[[Day], bool]) -> list[date]:
    """The most recent days logged, newest first, back to the first that does not
    pass: two good days followed by four bad ones is a run of none."""
    run = []
    for day in sorted(days, reverse=True):
        if not passes(days[day]):
            break
        run.append(day)
    return run


def pain_free_run(days: dict[date, Day], needed: int) -> list[date]:
    """The `needed` calendar days up to the latest one logged, if every one of them was
    logged and pain-free; else none (a day without a log breaks the run)."""
    if not days:
        return []
    last = max(days)
    run = [last - timedelta(days=offset) for offset in range(needed)]
    if all(day in days and all(log.pain == 0 for log in days[day]) for day in run):
        return run
    return []


def _support(days: dict[date, Day], run: Sequence[date]) -> list[SymptomLog]:
    return [log for day in sorted(run) for log in days[day]][-MAX_LOGS:]


def forward_move(place: Place, logs: Sequence[SymptomLog], counts: DayCounts) -> Move | None:
    """What the step's logs (oldest first) point to, or None. Only the logs after the
    last warning sign count: a warning starts every count again."""
    warnings = [index for index, log in enumerate(logs) if is_warning(log)]
    if warnings:
        logs = logs[warnings[-1] + 1 :]
    days = by_day(logs)
    flexion = place.direction == Direction.FLEXION
    Rule = ProgressionSuggestion.Rule
    forward = ProgressionSuggestion.Direction.FORWARD

    settled = place.branch(ProgressionLink.Kind.RECOVERY, ProgressionLink.Kind.MAINTENANCE)
    if counts.pain_free:
        run = pain_free_run(days, counts.pain_free)
        target = settled.to_exercise if settled else (place.next and place.next.exercise)
        if run and target is not None:
            return Move(forward, Rule.PAIN_FREE_DAYS, len(run), target, _support(days, run))
    if counts.good:
        run = latest_run(
            days,
            lambda day: (
                any(is_good(log, flexion=flexion) for log in day)
                and not any(is_setback(log) for log in day)
            ),
        )
        # Pain gone at a step with a way to recovery or maintenance: wait for the
        # pain-free days rather than add force.
        resting = settled is not None and run and all(log.pain == 0 for log in days[run[0]])
        back = place.branch(ProgressionLink.Kind.RETURN)
        onward = place.next.exercise if place.next and place.step.advance_on_good_days else None
        target = back.to_exercise if back else onward
        if len(run) >= counts.good and target is not None and not resting:
            return Move(forward, Rule.GOOD_DAYS, len(run), target, _support(days, run))
    if counts.unchanged:
        run = latest_run(days, lambda day: all(is_unchanged(log) for log in day))
        if len(run) >= counts.unchanged:
            support = _support(days, run)
            # Same-plane force progression first.
            if place.next is not None:
                return Move(forward, Rule.UNCHANGED_DAYS, len(run), place.next.exercise, support)
            lateral = place.branch(ProgressionLink.Kind.LATERAL)
            if lateral is not None and any(log.location in ONE_SIDED for log in days[run[0]]):
                return Move(forward, Rule.UNCHANGED_DAYS, len(run), lateral.to_exercise, support)
            # Central, even pain that nothing in this plane changes: never lateral.
            return Move(
                ProgressionSuggestion.Direction.REASSESS,
                Rule.UNCHANGED_DAYS,
                len(run),
                place.step.exercise,
                support,
            )
    return None


def clinic_rules_text(clinic: object) -> str:
    """The rules with the clinic's day counts, in plain words, for the catalog page."""
    return _(
        "Suggestions at the built-in steps use this clinic's day counts (clinic settings): "
        "the next step of the same direction after %(good)d good days in a row (pain "
        "centralized, eased on the flexion program, or gone), more force after %(unchanged)d "
        "unchanged days in a row, and recovery of function or maintenance after "
        "%(pain_free)d pain-free days in a row. A sideways movement is suggested only for "
        "one-sided or uneven pain; central, even pain that does not change asks for a "
        "reassessment. A warning sign points back a step."
    ) % {
        "good": clinic.progression_good_days,
        "unchanged": clinic.progression_unchanged_days,
        "pain_free": clinic.progression_pain_free_days,
    }
