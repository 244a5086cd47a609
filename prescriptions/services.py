"""Writes that span several models: building programs and recording how they went.

Every path that stores a symptom log (the portal, the API, a therapist typing in
a paper log) goes through `store_logs`, by `record_symptom_log` for a log alone or
`record_session` (sessions.py) for a session, so the safety rules are the same
everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from exercises.models import Exercise, Progression
from patients.models import Patient, waking_hours_problem

from . import adherence, baseline, red_flags, safety
from .models import (
    Alert,
    ExerciseSession,
    NeuroSymptom,
    Prescription,
    PrescriptionItem,
    ProgressionSuggestion,
    RedFlagCheck,
    SessionResponse,
    SymptomLog,
)
from .progression import current_step, link_taken, refresh_suggestion
from .sides import carried_side, default_side
from .signals import alerts_acknowledged, logs_stored, program_activated
from .summary import refresh_summary


class _Unchanged:
    """The default of an optional field a revision carries over from its program."""

    def __repr__(self) -> str:
        return "UNCHANGED"


UNCHANGED = _Unchanged()


@dataclass(frozen=True)
class ItemSpec:
    """One exercise of a program with its dosage, before it is saved."""

    exercise: Exercise
    sets: int = 1
    repetitions: int = 10
    hold_seconds: int = 0
    times_per_day: int | None = None
    every_hours: int | None = None
    note: str = ""
    side: str = ""

    @classmethod
    def from_exercise(cls, exercise: Exercise, **overrides: Any) -> ItemSpec:
        """The catalog's default dosage, with any field overridden."""
        values = {
            "sets": exercise.default_sets,
            "repetitions": exercise.default_repetitions,
            "hold_seconds": exercise.default_hold_seconds,
            "times_per_day": exercise.default_times_per_day,
            "every_hours": exercise.default_every_hours,
        }
        values.update(overrides)
        return cls(exercise=exercise, **values)

    @classmethod
    def from_item(cls, item: PrescriptionItem) -> ItemSpec:
        return cls(
            exercise=item.exercise,
            sets=item.sets,
            repetitions=item.repetitions,
            hold_seconds=item.hold_seconds,
            times_per_day=item.times_per_day,
            every_hours=item.every_hours,
            note=item.note,
            side=item.side,
        )


def _side_for(spec: ItemSpec, patient: Patient) -> str:
    if not spec.exercise.sided:
        return ""
    return spec.side or default_side(patient, spec.exercise)


def progression_items(progression: Progression, *, first: int | None = None) -> list[ItemSpec]:
    """The progression's steps (all, or the first N) with the catalog's dosage."""
    steps = progression.steps.select_related("exercise").order_by("position")
    if first is not None:
        steps = steps[:first]
    return [ItemSpec.from_exercise(step.exercise) for step in steps]


def _save_items(prescription: Prescription, items: Sequence[ItemSpec]) -> list[PrescriptionItem]:
    patient = prescription.patient
    clinic_id = patient.clinic_id
    errors = []
    for index, spec in enumerate(items, start=1):
        if spec.exercise.clinic_id not in (None, clinic_id):
            errors.append(_("Exercise %(n)d is not in this clinic's catalog.") % {"n": index})
        if (spec.times_per_day is None) == (spec.every_hours is None):
            errors.append(
                _("Exercise %(n)d: give either times per day or every N hours.") % {"n": index}
            )
    if errors:
        raise ValidationError(errors)
    rows = [
        PrescriptionItem(
            prescription=prescription,
            exercise=spec.exercise,
            position=position,
            sets=spec.sets,
            repetitions=spec.repetitions,
            hold_seconds=spec.hold_seconds,
            times_per_day=spec.times_per_day,
            every_hours=spec.every_hours,
            note=spec.note,
            side=_side_for(spec, patient),
        )
        for position, spec in enumerate(items, start=1)
    ]
    for row in rows:
        row.full_clean(exclude=["prescription", "exercise"])
    return PrescriptionItem.objects.bulk_create(rows)


# How far ahead a review may be planned: a typing slip (9999-12-31, 2062 for 2026)
# would otherwise print on the handout. Not a clinical figure; a plausibility bound.
REVIEW_WITHIN = timedelta(days=2 * 365)


def latest_review_date() -> date:
    return timezone.localdate() + REVIEW_WITHIN


def review_date_problem(review_on: date | None) -> str | None:
    """Why `review_on` cannot be the planned review of a program put in use now, or
    None. A program starts today at the earliest (a draft is activated later), so a
    review before today would print a day already gone on the handout."""
    if review_on is not None and review_on < timezone.localdate():
        return _("The review date has passed: choose today or a later day.")
    if review_on is not None and review_on > latest_review_date():
        return _("Choose a review date within two years, by %(latest)s.") % {
            "latest": latest_review_date().isoformat()
        }
    return None


def _check_review_date(review_on: date | None) -> None:
    problem = review_date_problem(review_on)
    if problem:
        raise ValidationError({"review_on": problem})


def _review_date_carried_over(review_on: date | None) -> date | None:
    """The planned review a new version takes over from the one it replaces: none
    if that day has passed (the therapist sets a new one)."""
    return None if review_date_problem(review_on) else review_on


def create_prescription(
    *,
    patient: Patient,
    by: Any,
    items: Sequence[ItemSpec],
    progression: Progression | None = None,
    activate: bool = False,
    change_note: str = "",
    review_on: date | None = None,
) -> Prescription:
    """A new program for `patient`, as a draft or, with `activate`, in use at once.

    `review_on` is the day the therapist plans to review it (printed on the handout),
    today or later."""
    if patient.archived:
        raise ValidationError(_("This patient is archived."))
    _check_review_date(review_on)
    with transaction.atomic():
        # Lock the patient so that two programs made at once get distinct versions.
        _lock_patient(patient.pk)
        prescription = Prescription.objects.create(
            patient=patient,
            prescribed_by=by,
            progression=progression,
            version=Prescription.next_version(patient),
            change_note=change_note,
            review_on=review_on,
        )
        _save_items(prescription, items)
        if activate:
            activate_prescription(prescription=prescription)
    return prescription


def set_items(*, prescription: Prescription, items: Sequence[ItemSpec]) -> None:
    """Replace the exercises of a draft, in the order given."""
    if not prescription.is_editable:
        raise ValidationError(_("Only a draft can be changed; revise the program instead."))
    with transaction.atomic():
        prescription.items.all().delete()
        _save_items(prescription, items)
        prescription.save(update_fields=["updated_at"])


def _lock_patient(patient_id: int) -> None:
    """Serialise program changes of one patient: versions and the active program are
    decided from what the database holds once this lock is taken."""
    Patient.objects.select_for_update().filter(pk=patient_id).first()


def activate_prescription(*, prescription: Prescription) -> Prescription:
    """Put a draft in use; the patient's current program ends and stays readable."""
    now = timezone.now()
    with transaction.atomic():
        _lock_patient(prescription.patient_id)
        prescription.refresh_from_db(fields=["status", "replaces"])
        if prescription.status != Prescription.Status.DRAFT:
            raise ValidationError(_("Only a draft can be activated."))
        if not prescription.items.exists():
            raise ValidationError(_("Add at least one exercise before activating the program."))
        _check_review_date(prescription.review_on)
        current = (
            Prescription.objects.filter(
                patient_id=prescription.patient_id, status=Prescription.Status.ACTIVE
            )
            .exclude(pk=prescription.pk)
            .first()
        )
        if current is not None:
            current.status = Prescription.Status.ENDED
            current.ended_at = now
            current.save(update_fields=["status", "ended_at", "updated_at"])
            # A version has at most one successor: an open draft revision of the same
            # version may already claim it, and keeps its claim.
            if (
                prescription.replaces_id is None
                and not Prescription.objects.filter(replaces=current).exists()
            ):
                prescription.replaces = current
        prescription.status = Prescription.Status.ACTIVE
        prescription.activated_at = now
        prescription.save(update_fields=["status", "activated_at", "replaces", "updated_at"])
        refresh_summary(prescription.patient_id)
        refresh_suggestion(prescription.patient_id)
        pk = prescription.pk
        transaction.on_commit(
            lambda: program_activated.send(sender=Prescription, prescription_id=pk)
        )
    return prescription


def set_waking_hours(
    *,
    patient: Patient,
    wake_start: time,
    wake_end: time,
    previous: tuple[time, time] | None = None,
) -> Patient:
    """Change the hours the patient's sessions are spread over, from today on. The
    hours in use until yesterday are kept (`Patient.earlier_waking_hours`), so the
    adherence of past days stays as it was; today's sessions are counted again with
    the new hours, in the same transaction. `previous`: the hours before the change,
    when the caller has already saved the new ones (else they are read here)."""
    problem = waking_hours_problem(wake_start, wake_end)
    if problem:
        raise ValidationError({"wake_end": problem})
    with transaction.atomic():
        _lock_patient(patient.pk)
        stored = Patient.objects.values("wake_start", "wake_end", "earlier_waking_hours").get(
            pk=patient.pk
        )
        before = previous or (stored["wake_start"], stored["wake_end"])
        earlier = adherence.hours_before_today(
            stored["earlier_waking_hours"], before, (wake_start, wake_end), patient.local_date()
        )
        patient.wake_start, patient.wake_end = wake_start, wake_end
        patient.earlier_waking_hours = earlier
        patient.save(update_fields=["wake_start", "wake_end", "earlier_waking_hours", "updated_at"])
        refresh_summary(patient.pk)
    return patient


def start_revision(*, prescription: Prescription, by: Any) -> Prescription:
    """A draft copy of an active program, to edit and then activate as the next version.

    An open draft revision is reused, so that two clicks make one draft.
    """
    with transaction.atomic():
        _lock_patient(prescription.patient_id)
        prescription.refresh_from_db(fields=["status"])
        if prescription.status != Prescription.Status.ACTIVE:
            raise ValidationError(_("Only the active program can be revised."))
        existing = Prescription.objects.filter(replaces=prescription).first()
        if existing is not None:
            if existing.status == Prescription.Status.DRAFT:
                return existing
            raise ValidationError(_("This program has already been revised."))
        draft = Prescription.objects.create(
            patient=prescription.patient,
            prescribed_by=by,
            progression=prescription.progression,
            version=Prescription.next_version(prescription.patient),
            replaces=prescription,
            review_on=_review_date_carried_over(prescription.review_on),
        )
        _save_items(draft, [ItemSpec.from_item(item) for item in prescription.items.all()])
    return draft


def revise_prescription(
    *,
    prescription: Prescription,
    items: Sequence[ItemSpec],
    by: Any,
    change_note: str = "",
    review_on: date | _Unchanged | None = UNCHANGED,
    progression: Progression | _Unchanged | None = UNCHANGED,
) -> Prescription:
    """Replace an active program by a new active version with `items`, in one step.

    The planned review date carries over unless `review_on` is given (None clears it)
    or it has passed; so does the progression, unless `progression` is given (a
    suggestion that takes a branch of the graph)."""
    if review_on is not UNCHANGED:
        _check_review_date(review_on)
    with transaction.atomic():
        _lock_patient(prescription.patient_id)
        prescription.refresh_from_db(fields=["status"])
        if prescription.status != Prescription.Status.ACTIVE:
            raise ValidationError(_("Only the active program can be revised."))
        # As for a new program: an archived patient's program is not changed (it may
        # still be ended); the dashboard asks to restore the patient first.
        if Patient.objects.filter(pk=prescription.patient_id, archived=True).exists():
            raise ValidationError(_("This patient is archived."))
        if Prescription.objects.filter(replaces=prescription).exists():
            raise ValidationError(
                _(
                    "A revision of this program is already open as a draft; activate or "
                    "discard it first."
                )
            )
        draft = Prescription.objects.create(
            patient=prescription.patient,
            prescribed_by=by,
            progression=prescription.progression if progression is UNCHANGED else progression,
            version=Prescription.next_version(prescription.patient),
            replaces=prescription,
            change_note=change_note,
            review_on=(
                _review_date_carried_over(prescription.review_on)
                if review_on is UNCHANGED
                else review_on
            ),
        )
        _save_items(draft, items)
        activate_prescription(prescription=draft)
    return draft


def end_prescription(*, prescription: Prescription) -> Prescription:
    if prescription.status != Prescription.Status.ACTIVE:
        raise ValidationError(_("Only the active program can be ended."))
    with transaction.atomic():
        _lock_patient(prescription.patient_id)
        prescription.status = Prescription.Status.ENDED
        prescription.ended_at = timezone.now()
        prescription.save(update_fields=["status", "ended_at", "updated_at"])
        refresh_summary(prescription.patient_id)
        refresh_suggestion(prescription.patient_id)
    return prescription


@dataclass(frozen=True)
class ItemChange:
    """How one exercise differs between two versions of a program."""

    exercise: Exercise
    change: str  # "added", "removed", "moved", "dosage" or "same"
    before: PrescriptionItem | None = None
    after: PrescriptionItem | None = None


def _moved(old_ranks: list[int]) -> set[int]:
    """The fewest exercises that moved: given each kept exercise's place in the old
    version, listed in the new version's order, those outside the longest run that
    kept its order (of two equally long runs, the one that keeps the exercises from
    further down the old version: swapping two neighbours moves the upper one down)."""
    best: list[tuple[int, int, int]] = []  # per index: (length, sum of ranks, previous)
    for index, rank in enumerate(old_ranks):
        options = [
            (best[before][0] + 1, best[before][1] + rank, before)
            for before in range(index)
            if old_ranks[before] < rank
        ]
        best.append(max(options, default=(1, rank, -1)))
    kept: set[int] = set()
    index = max(range(len(best)), key=lambda i: best[i][:2], default=-1)
    while index >= 0:
        kept.add(old_ranks[index])
        index = best[index][2]
    return set(old_ranks) - kept


def compare_versions(old: Prescription, new: Prescription) -> list[ItemChange]:
    """What changed from `old` to `new`, in the new version's order, then removals.

    An exercise has moved when its order among the exercises both versions hold
    changed: one added or removed above it shifts its number, not its order."""
    old_items = {item.exercise_id: item for item in old.items.select_related("exercise")}
    new_items = list(new.items.select_related("exercise"))
    old_rank = {
        item.exercise_id: item.position for item in old_items.values()
    }  # positions order the old version
    in_new_order = [
        item.exercise_id
        for item in sorted(new_items, key=lambda item: item.position)
        if item.exercise_id in old_rank
    ]
    moved_ranks = _moved([old_rank[pk] for pk in in_new_order])
    changes = []
    for item in new_items:
        before = old_items.pop(item.exercise_id, None)
        if before is None:
            kind = "added"
        elif ItemSpec.from_item(before) != ItemSpec.from_item(item):
            kind = "dosage"
        elif before.position in moved_ranks:
            kind = "moved"
        else:
            kind = "same"
        changes.append(ItemChange(item.exercise, kind, before, item))
    changes.extend(ItemChange(item.exercise, "removed", item, None) for item in old_items.values())
    return changes


# --- Progression suggestions: the therapist decides ----------------------------------
# progression.py makes and refreshes them; these are the therapist's two answers.


URGENT_FIRST = gettext_lazy(
    "An urgent alert is open for this patient: look at it and acknowledge it before "
    "confirming a change of program."
)


REASSESS_ONLY = gettext_lazy(
    "A suggestion to reassess changes no program: reassess the patient, change the "
    "program yourself if needed, and dismiss the suggestion with what you found."
)


def _open_suggestion(suggestion: ProgressionSuggestion) -> ProgressionSuggestion:
    """The suggestion re-read under the patient's lock; a ValidationError if it was
    decided (or outdated) meanwhile."""
    _lock_patient(suggestion.patient_id)
    fresh = ProgressionSuggestion.objects.select_related(
        "prescription", "from_exercise", "to_exercise"
    ).get(pk=suggestion.pk)
    if not fresh.is_open:
        raise ValidationError(
            _("This suggestion is no longer open (%(status)s).")
            % {"status": fresh.get_status_display().lower()}
        )
    return fresh


def suggested_items(suggestion: ProgressionSuggestion) -> list[ItemSpec]:
    """The program of the suggestion's version with the suggested step in place of the
    current one (dropped instead when going back to a step the program already holds).
    Recovery of function puts the new exercise before the current one, which stays.
    The new exercise takes the catalog's dosage and the current exercise's side, read
    through the two exercises' side rules (sides.py)."""
    specs = []
    items = suggestion.prescription.items.select_related("exercise").order_by("position")
    held = {item.exercise_id for item in items}
    link = link_taken(
        suggestion.prescription, suggestion.from_exercise_id, suggestion.to_exercise_id
    )
    for item in items:
        if item.exercise_id != suggestion.from_exercise_id:
            specs.append(ItemSpec.from_item(item))
            continue
        if suggestion.to_exercise_id not in held:
            side = carried_side(
                item.side, from_exercise=item.exercise, to_exercise=suggestion.to_exercise
            )
            specs.append(ItemSpec.from_exercise(suggestion.to_exercise, side=side))
        if link is not None and link.keeps_current:
            specs.append(ItemSpec.from_item(item))
    return specs


def accept_suggestion(*, suggestion: ProgressionSuggestion, by: Any) -> Prescription:
    """The therapist's yes: the next version of the program, with the suggested step in
    place of the current one, made through `revise_prescription` and in use at once."""
    with transaction.atomic():
        suggestion = _open_suggestion(suggestion)
        prescription = suggestion.prescription
        if Patient.objects.filter(pk=suggestion.patient_id, archived=True).exists():
            raise ValidationError(_("This patient is archived."))
        if prescription.status != Prescription.Status.ACTIVE:
            raise ValidationError(_("This program is no longer in use."))
        if (
            Alert.objects.open()
            .filter(patient=suggestion.patient_id, severity=Alert.Severity.URGENT)
            .exists()
        ):
            # An urgent alert waits (the patient was told to get urgent care, or to see a
            # doctor today with a risk history): a step chosen from the logs before that
            # waits for the therapist, as the patient page says.
            raise ValidationError(URGENT_FIRST)
        if suggestion.direction == ProgressionSuggestion.Direction.REASSESS:
            raise ValidationError(REASSESS_ONLY)
        step, _steps = current_step(prescription)
        if step is None or step.exercise_id != suggestion.from_exercise_id:
            raise ValidationError(_("The program has changed since this suggestion was made."))
        link = link_taken(prescription, suggestion.from_exercise_id, suggestion.to_exercise_id)
        with _records_language():
            note = _("%(from)s replaced by %(to)s (suggestion accepted).") % {
                "from": suggestion.from_exercise.name,
                "to": suggestion.to_exercise.name,
            }
        suggestion.status = ProgressionSuggestion.Status.ACCEPTED
        suggestion.decided_at = timezone.now()
        suggestion.decided_by = by
        suggestion.save(update_fields=["status", "decided_at", "decided_by", "updated_at"])
        revision = revise_prescription(
            prescription=prescription,
            items=suggested_items(suggestion),
            by=by,
            change_note=note,
            progression=link.to_progression if link is not None else UNCHANGED,
        )
        suggestion.result = revision
        suggestion.save(update_fields=["result", "updated_at"])
    return revision


def dismiss_suggestion(
    *, suggestion: ProgressionSuggestion, by: Any, reason: str
) -> ProgressionSuggestion:
    """The therapist's no, with the reason kept. The same suggestion is not made again
    from the logs already seen; new logs may make it again."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why you dismiss the suggestion.")})
    with transaction.atomic():
        suggestion = _open_suggestion(suggestion)
        suggestion.status = ProgressionSuggestion.Status.DISMISSED
        suggestion.decided_at = timezone.now()
        suggestion.decided_by = by
        suggestion.dismiss_reason = reason
        suggestion.save(
            update_fields=["status", "decided_at", "decided_by", "dismiss_reason", "updated_at"]
        )
        refresh_suggestion(suggestion.patient_id)
    return suggestion


# --- Symptom logs and the safety rules -------------------------------------------------
# The rules themselves are in safety.py; here they are fed and their outcome stored.


@dataclass
class LogOutcome:
    """What storing a log led to: the log, the alerts it raised or added to, and
    whether the patient must be told to stop this exercise (or seek urgent care)."""

    log: SymptomLog
    created: bool
    alerts: list[Alert] = field(default_factory=list)

    @property
    def stop_exercise(self) -> bool:
        return self.log.stop_exercise

    @property
    def urgent(self) -> bool:
        return any(finding.get("urgent") for finding in self.log.findings)

    @property
    def findings(self) -> list[dict[str, Any]]:
        return self.log.findings


def with_finding(findings: list[dict[str, Any]], message: str, seen_at: datetime) -> list:
    """An alert's findings with `message` seen on `seen_at`'s day: a new entry for a
    new finding, else the day added to the same finding's days."""
    day = timezone.localdate(seen_at).isoformat()
    entries = [dict(entry, days=list(entry.get("days", []))) for entry in findings]
    for entry in entries:
        if entry["message"] == message:
            if day not in entry["days"]:
                entry["days"] = sorted([*entry["days"], day])
            return entries
    return [*entries, {"message": message, "days": [day]}]


# What joining an open alert changes (`_join`).
JOINED_FIELDS = [
    "first_logged_on",
    "last_logged_on",
    "count",
    "last_seen_at",
    "message",
    "findings",
    "severity",
    "red_flag_check",
    "updated_at",
]


def _new_alert(
    *,
    patient: Patient,
    kind: str,
    severity: str,
    message: str,
    exercise: Exercise | None,
    log: SymptomLog | None,
    red_flag_check: RedFlagCheck | None,
    seen_at: datetime,
    logged_on: date | None,
) -> Alert:
    """A new open alert (not saved)."""
    return Alert(
        patient=patient,
        kind=kind,
        severity=severity,
        message=message,
        findings=with_finding([], message, seen_at),
        exercise=exercise,
        symptom_log=log,
        red_flag_check=red_flag_check,
        last_seen_at=seen_at,
        first_logged_on=logged_on,
        last_logged_on=logged_on,
    )


def _join(
    alert: Alert,
    *,
    severity: str,
    message: str,
    seen_at: datetime,
    logged_on: date | None,
    red_flag_check: RedFlagCheck | None = None,
) -> None:
    """A repeat added to an open alert (not saved): its count, last seen, message,
    findings, days, and severity if the repeat is urgent."""
    alert.count += 1
    alert.last_seen_at = max(alert.last_seen_at, seen_at)
    alert.message = message
    alert.findings = with_finding(alert.findings, message, seen_at)
    if severity == Alert.Severity.URGENT:
        alert.severity = severity
    if red_flag_check is not None:
        alert.red_flag_check = red_flag_check
    alert.updated_at = timezone.now()
    if logged_on is not None:
        known = [alert.first_logged_on, alert.last_logged_on, logged_on]
        alert.first_logged_on = min(day for day in known if day)
        alert.last_logged_on = max(day for day in known if day)


def raise_alert(
    *,
    patient: Patient,
    kind: str,
    severity: str,
    message: str,
    exercise: Exercise | None = None,
    log: SymptomLog | None = None,
    red_flag_check: RedFlagCheck | None = None,
    seen_at: datetime | None = None,
) -> Alert:
    """Open an alert, or add to the open one of the same patient, kind and exercise.

    A repeat raises the group's count, moves its "last seen", takes the newest
    message (and keeps every distinct one in `findings`, with its days), becomes
    urgent if the repeat is, and links the log. The open-alert
    unique constraints make two simultaneous first warnings one group: the loser's
    insert fails and it joins the winner's row instead.
    """
    seen_at = seen_at or timezone.now()
    logged_on = (
        patient.local_date(log.logged_at)
        if log is not None
        else (red_flag_check.checked_on if red_flag_check is not None else None)
    )
    for _attempt in range(5):
        try:
            with transaction.atomic():
                # Patient first, then the alert: the order every write of a patient takes.
                _lock_patient(patient.pk)
                alert = (
                    Alert.objects.select_for_update()
                    .open()
                    .filter(patient=patient, kind=kind, exercise=exercise)
                    .first()
                )
                if alert is None:
                    alert = _new_alert(
                        patient=patient,
                        kind=kind,
                        severity=severity,
                        message=message,
                        exercise=exercise,
                        log=log,
                        red_flag_check=red_flag_check,
                        seen_at=seen_at,
                        logged_on=logged_on,
                    )
                    alert.save()
                else:
                    _join(
                        alert,
                        severity=severity,
                        message=message,
                        seen_at=seen_at,
                        logged_on=logged_on,
                        red_flag_check=red_flag_check,
                    )
                    alert.save(update_fields=JOINED_FIELDS)
                if log is not None:
                    alert.logs.add(log)
                refresh_summary(patient.pk)
                return alert
        except IntegrityError:
            continue  # another request opened the group first; join it
    raise IntegrityError("The open alert could not be found or created.")


def acknowledge_alerts(*, patient: Patient, by: Any) -> int:
    """Acknowledge every open alert of the patient at once; how many there were."""
    with transaction.atomic():
        _lock_patient(patient.pk)
        alerts_acknowledged.send(sender=Alert, alerts=Alert.objects.open().filter(patient=patient))
        count = (
            Alert.objects.open()
            .filter(patient=patient)
            .update(acknowledged_by=by, acknowledged_at=timezone.now())
        )
        refresh_summary(patient.pk)
    return count


def urgent_alert_open(patient: Patient) -> bool:
    """True while an urgent alert waits for a therapist: the portal then shows no
    exercises, only what to do now. A "see a doctor today" answer is urgent for the
    therapist when the patient has a risk history, but it does not pause the program."""
    return (
        Alert.objects.open()
        .filter(patient=patient, severity=Alert.Severity.URGENT)
        .exclude(kind=Alert.Kind.RED_FLAG_TODAY)
        .exists()
    )


def _records_language() -> translation.override:
    """What is stored for the clinic (alert messages, a log's findings) is written in
    the site's language, not in that of the patient whose request caused it."""
    return translation.override(settings.LANGUAGE_CODE)


@dataclass(frozen=True)
class _Warning:
    """An alert one log's findings raise or join, before it is written."""

    log: SymptomLog
    kind: str
    severity: str
    message: str
    exercise: Exercise | None


def _warnings(
    log: SymptomLog, findings: list[safety.Finding], *, patient_wide: bool = True
) -> list[_Warning]:
    alerting = [finding for finding in findings if finding.alert]
    if not patient_wide:
        # A session's pain is judged once: its first log raised the patient-wide alerts.
        alerting = [f for f in alerting if f.kind not in (safety.PAIN_RISE, safety.RECURRENCE)]
    if not alerting:
        return []
    exercise = log.item.exercise
    kinds = {finding.kind for finding in alerting}
    if {safety.PERIPHERALIZATION, safety.WORSE} <= kinds:
        # One stop, one alert: "worse" joins the peripheralization it came with.
        worse = next(finding for finding in alerting if finding.kind == safety.WORSE)
        alerting = [
            replace(finding, reason=f"{finding.reason} {worse.reason}")
            if finding.kind == safety.PERIPHERALIZATION
            else finding
            for finding in alerting
            if finding is not worse
        ]
    warnings = []
    for finding in alerting:
        # Pain is the patient's, not one exercise's: its group spans the program.
        per_exercise = finding.kind not in (safety.PAIN_RISE, safety.RECURRENCE)
        if finding.urgent:
            severity = Alert.Severity.URGENT
        elif finding.kind == safety.RECURRENCE:
            severity = Alert.Severity.NOTE  # restart the exercises: a quiet note
        else:
            severity = Alert.Severity.WARNING
        warnings.append(
            _Warning(
                log=log,
                kind=finding.kind,
                severity=severity,
                message=f"{exercise.name}: {finding.reason}",
                exercise=exercise if per_exercise else None,
            )
        )
    return warnings


def _write_alerts(patient: Patient, warnings: list[_Warning]) -> tuple[list[Alert], list[Alert]]:
    """Raise or join the alert of each warning, as `raise_alert` does, for the logs of
    one write with the patient already locked: the open alerts are read in one query,
    the new ones inserted together, the joined ones updated together and the logs
    linked together. Returns the alert of each warning, and the alerts opened."""
    if not warnings:
        return [], []
    open_alerts: dict[tuple[str, int | None], Alert] = {}
    for alert in (
        Alert.objects.select_for_update()
        .open()
        .filter(patient=patient, kind__in={warning.kind for warning in warnings})
    ):
        open_alerts.setdefault((alert.kind, alert.exercise_id), alert)
    opened: list[Alert] = []
    joined: dict[int, Alert] = {}
    alerts = []
    for warning in warnings:
        seen_at = warning.log.logged_at
        logged_on = patient.local_date(warning.log.logged_at)
        key = (warning.kind, warning.exercise.pk if warning.exercise else None)
        alert = open_alerts.get(key)
        if alert is None:
            alert = _new_alert(
                patient=patient,
                kind=warning.kind,
                severity=warning.severity,
                message=warning.message,
                exercise=warning.exercise,
                log=warning.log,
                red_flag_check=None,
                seen_at=seen_at,
                logged_on=logged_on,
            )
            open_alerts[key] = alert
            opened.append(alert)
        else:
            _join(
                alert,
                severity=warning.severity,
                message=warning.message,
                seen_at=seen_at,
                logged_on=logged_on,
            )
            if alert not in opened:
                joined[alert.pk] = alert
        alerts.append(alert)
    Alert.objects.bulk_create(opened)
    if joined:
        Alert.objects.bulk_update(list(joined.values()), JOINED_FIELDS)
    links = dict.fromkeys(
        (alert.pk, warning.log.pk) for alert, warning in zip(alerts, warnings, strict=True)
    )
    Alert.logs.through.objects.bulk_create(
        Alert.logs.through(alert_id=alert_id, symptomlog_id=log_id) for alert_id, log_id in links
    )
    return alerts, opened


def _replayed(patient: Patient, client_id: Any, client_token: str) -> LogOutcome | None:
    existing = None
    if client_id:
        existing = SymptomLog.objects.filter(patient=patient, client_id=client_id).first()
    if existing is None and client_token:
        existing = SymptomLog.objects.filter(patient=patient, client_token=client_token).first()
    if existing is None:
        return None
    return LogOutcome(existing, created=False, alerts=list(existing.grouped_alerts.all()))


# What a patient answers about one exercise: the fields every log form collects.
LOG_ANSWERS = ("pain", "location", "during", "after", "sets_done", "repetitions_done", "note")


def log_answers(data: dict[str, Any]) -> dict[str, Any]:
    """The answers of a validated log form, as `record_symptom_log` takes them
    (with the nerve-symptom answers when the form asks them, see safety_forms.py)."""
    answers = {name: data[name] for name in LOG_ANSWERS}
    if "new_symptoms" in data:
        answers["new_symptoms"] = data["new_symptoms"]
    return answers


# How much earlier than its program a log typed in (API, paper sheet) may be dated: a
# day, for clocks and time zones.
EARLIEST_LOG_SLACK = timedelta(days=1)


def record_symptom_log(
    *,
    patient: Patient,
    item: PrescriptionItem,
    pain: int,
    location: str,
    during: str,
    after: str,
    sets_done: int,
    repetitions_done: int,
    note: str = "",
    new_symptoms: Iterable[str] = (),
    logged_at: datetime | None = None,
    source: str = SymptomLog.Source.PORTAL,
    entered_by: Any = None,
    client_token: str = "",
    client_id: Any = None,
    session: ExerciseSession | None = None,
    back_pain: int | None = None,
    leg_pain: int | None = None,
    refresh: bool = True,
    patient_wide_alerts: bool = True,
) -> LogOutcome:
    """Store one log and apply the safety rules; the one way logs enter Centra.

    Keyword-only, so any page (one exercise, a whole session, a paper sheet, the
    API) calls it once per exercise with the patient's answers:
    `pain` 0-10, `location`/`during`/`after` as codes, `new_symptoms` the
    NeuroSymptom codes answered yes. The rules of safety.py run on the log, their
    findings, the reference location and `stop_exercise` are stored on it, and
    each warning raises or joins a grouped alert (`LogOutcome.alerts`).

    A repeated `client_id` (a UUID from the client) or `client_token` (a form's
    token) of the same patient returns the log stored the first time, with
    `created=False`, so a double submit or a retried request stores nothing twice.
    Raises ValidationError (with field names) for answers that cannot be stored.

    A log sent alone becomes a session of one (its pain and location are the "after");
    one given its `session` (with `back_pain` and `leg_pain`) joins it, and with
    `patient_wide_alerts=False` raises no pain-rise alert of its own. With
    `refresh=False` the caller refreshes the derived state itself. A whole session is
    stored by `record_session` (sessions.py), its logs together through `store_logs`.
    """
    replay = _replayed(patient, client_id, client_token)
    if replay is not None:
        return replay
    if item.prescription.patient_id != patient.pk:
        raise ValidationError({"item": _("This exercise is not in this patient's program.")})
    if item.prescription.status == Prescription.Status.DRAFT:
        raise ValidationError({"item": _("This program has not been started yet.")})
    log = checked_log(
        patient=patient,
        item=item,
        pain=pain,
        location=location,
        during=during,
        after=after,
        sets_done=sets_done,
        repetitions_done=repetitions_done,
        note=note,
        new_symptoms=new_symptoms,
        logged_at=logged_at or timezone.now(),
        source=source,
        entered_by=entered_by,
        client_token=client_token,
        client_id=client_id,
        session=session,
        back_pain=back_pain,
        leg_pain=leg_pain,
    )
    try:
        with transaction.atomic():
            # One patient's logs are judged one at a time, so "the previous log" and
            # "the recent level" are what the database holds. The lock also comes before
            # the log goes in, so the summary refresh never waits on a program change
            # that waits on this log.
            _lock_patient(patient.pk)
            replay = _replayed(patient, client_id, client_token)
            if replay is not None:
                return replay
            if log.session is None:
                log.session = ExerciseSession.objects.create(
                    patient=patient,
                    prescription_id=item.prescription_id,
                    logged_at=log.logged_at,
                    after_pain=pain,
                    after_location=location,
                    response=SessionResponse.NOT_COMPARED,
                    new_symptoms=log.new_symptoms,
                    source=source,
                    entered_by=entered_by,
                )
            (outcome,) = store_logs(patient, [log], patient_wide_alerts=patient_wide_alerts)
            if refresh:
                refresh_summary(patient.pk, logged_at=log.logged_at, locked=True)
                refresh_suggestion(patient.pk)
    except IntegrityError:
        replay = _replayed(patient, client_id, client_token)
        if replay is None:
            raise
        return replay
    return outcome


def checked_log(**fields: Any) -> SymptomLog:
    """A log of `fields` (those of SymptomLog) checked as every path checks it, not yet
    judged or saved; ValidationError (with field names) for answers that cannot be
    stored. The nerve answers keep their order, once each."""
    problem = safety.contradiction(pain=fields["pain"], location=fields["location"])
    if problem is not None:
        raise ValidationError({problem[0]: problem[1]})
    fields["new_symptoms"] = list(dict.fromkeys(fields.get("new_symptoms", ())))
    if set(fields["new_symptoms"]) - set(NeuroSymptom.values):
        raise ValidationError({"new_symptoms": _("Unknown nerve symptom.")})
    log = SymptomLog(**fields)
    # The fields' own validators check what the table's CHECK constraints check, with
    # a message per field; validating the constraints too would ask the database once
    # per constraint for every log. The constraints still guard the table.
    # The session, like the patient and the item, is the caller's, not an answer.
    log.full_clean(exclude=["patient", "item", "entered_by", "session"], validate_constraints=False)
    if log.logged_at > timezone.now() + timedelta(minutes=5):
        raise ValidationError({"logged_at": _("A log cannot be in the future.")})
    return log


def store_logs(
    patient: Patient, logs: Sequence[SymptomLog], *, patient_wide_alerts: bool = True
) -> list[LogOutcome]:
    """Judge `logs` (checked by `checked_log`, each with its session; a session's logs
    are all of one moment) by the safety rules and store them with their findings and
    alerts, in the caller's transaction, with the patient locked. The patient's earlier
    logs are read once, the logs inserted together, and the alerts raised or joined
    together; the first log alone raises the patient-wide alerts (pain rise,
    recurrence) unless `patient_wide_alerts` is False. The caller refreshes the derived
    state (overview, suggestion) once afterwards."""
    logs = list(logs)
    warnings: list[_Warning] = []
    with _records_language():
        for index, (log, facts) in enumerate(
            zip(logs, baseline.logs_facts(logs, patient), strict=True)
        ):
            findings = safety.evaluate_log(facts)
            if facts.reference is not None:
                log.reference_location, log.reference_source = facts.reference
            log.findings = [finding.as_dict() for finding in findings]
            log.stop_exercise = safety.stops(findings)
            warnings.extend(
                _warnings(log, findings, patient_wide=patient_wide_alerts and index == 0)
            )
    SymptomLog.objects.bulk_create(logs)
    alerts, opened = _write_alerts(patient, warnings)
    # A bulk insert sends no post_save: the surfaces above hear of the rows here.
    logs_stored.send(sender=SymptomLog, logs=logs, alerts=opened)
    by_log: dict[int, list[Alert]] = {log.pk: [] for log in logs}
    for warning, alert in zip(warnings, alerts, strict=True):
        by_log[warning.log.pk].append(alert)
    return [LogOutcome(log, created=True, alerts=by_log[log.pk]) for log in logs]


def record_paper_log(
    *,
    patient: Patient,
    item: PrescriptionItem,
    logged_at: datetime,
    red_flag_answers: Iterable[str],
    red_flags_asked: Iterable[str] | None = None,
    entered_by: Any,
    client_token: str = "",
    **answers: Any,
) -> LogOutcome:
    """A log the therapist types in from paper, with the red-flag answers of its day.

    Both are stored together or not at all; a yes raises the alert of its tier as in
    the portal. `red_flags_asked` are the questions asked (all by default), `answers`
    those of `record_symptom_log`.
    """
    if logged_at < item.prescription.created_at - EARLIEST_LOG_SLACK:
        # As in the API: a year typed wrong (2016 for 2026) would otherwise stretch the
        # chart, its "first day" and the discharge summary back to that year.
        raise ValidationError({"logged_at": _("A log cannot be older than its program.")})
    with transaction.atomic():
        outcome = record_symptom_log(
            patient=patient,
            item=item,
            logged_at=logged_at,
            source=SymptomLog.Source.THERAPIST,
            entered_by=entered_by,
            client_token=client_token,
            **answers,
        )
        if outcome.created:
            _check, alerts = record_red_flag_check(
                patient=patient,
                answered_yes=red_flag_answers,
                asked=red_flags_asked,
                on=patient.local_date(logged_at),
            )
            outcome.alerts.extend(alert for alert in alerts if alert not in outcome.alerts)
    return outcome


def red_flag_tiers_due(patient: Patient, *, on: date | None = None) -> list[str]:
    """The red-flag tiers to ask the patient now (red_flags.py decides from what was
    asked over the last week and whether the pain reaches the buttock or further)."""
    day = on or patient.local_date()
    latest = (
        SymptomLog.objects.filter(patient=patient).order_by("-logged_at", "-id").values("location")
    ).first()
    location = latest["location"] if latest else patient.starting_location
    asked_on = RedFlagCheck.objects.filter(
        patient=patient,
        checked_on__gt=day - timedelta(days=red_flags.WEEK),
        checked_on__lte=day,
    ).values_list("checked_on", "asked")
    return red_flags.tiers_due(
        today=day, leg_symptoms=red_flags.has_leg_symptoms(location), asked_on=asked_on
    )


def red_flags_due(patient: Patient, *, on: date | None = None) -> bool:
    """True while a tier of red-flag questions waits for the patient's answers."""
    return bool(red_flag_tiers_due(patient, on=on))


def record_red_flag_check(
    *,
    patient: Patient,
    answered_yes: Iterable[str],
    asked: Iterable[str] | None = None,
    on: date | None = None,
) -> tuple[RedFlagCheck, list[Alert]]:
    """Store the day's red-flag answers; a yes raises (or joins) the alert of its tier.

    `asked` are the codes of the questions put to the patient (every question of the
    table when left out); `answered_yes` must be among them. Answers given again the
    same day are added to the day's check; a yes already given that day raises nothing
    new.
    """
    answers = sorted(set(answered_yes))
    questions = sorted(set(red_flags.QUESTION_CODES if asked is None else asked))
    if set(answers) - set(red_flags.QUESTION_CODES):
        raise ValidationError({"answered_yes": _("Unknown red-flag question.")})
    if set(questions) - set(red_flags.QUESTION_CODES):
        raise ValidationError({"asked": _("Unknown red-flag question.")})
    if set(answers) - set(questions):
        raise ValidationError({"answered_yes": _("A question answered yes must be asked.")})
    day = on or patient.local_date()
    with transaction.atomic():
        _lock_patient(patient.pk)
        check, created = RedFlagCheck.objects.get_or_create(
            patient=patient, checked_on=day, defaults={"answered_yes": answers, "asked": questions}
        )
        new_yes = set(answers)
        if not created:
            new_yes -= set(check.answered_yes)
            check.answered_yes = sorted(set(check.answered_yes) | set(answers))
            check.asked = sorted(set(check.asked) | set(questions))
            check.save(update_fields=["answered_yes", "asked"])
        tiers = set(red_flags.tiers_answered_yes(new_yes))
        with _records_language():
            findings = safety.red_flag_answers(
                check.answered_yes, risk_history=bool(patient.risk_factors)
            )
        alerts = [
            raise_alert(
                patient=patient,
                kind=finding.kind,
                severity=Alert.Severity.URGENT if finding.urgent else Alert.Severity.WARNING,
                message=finding.reason,
                red_flag_check=check,
            )
            for finding in findings
            if _TIER_OF_KIND[finding.kind] in tiers
        ]
    return check, alerts


_TIER_OF_KIND = {
    safety.RED_FLAG: red_flags.Tier.EMERGENCY,
    safety.RED_FLAG_TODAY: red_flags.Tier.TODAY,
}


def raise_inactivity_alerts(*, now: datetime | None = None, patients: Any = None) -> list[Alert]:
    """A "not keeping up" alert for each patient with a program in use who has not
    logged for the clinic's number of days, or whose adherence over the last 7 days
    is under the clinic's threshold (`adherence.not_keeping_up`). It reads only the
    patients' stored overview. A patient whose alert is still open gets no new one.
    The worker runs it daily (`prescriptions.tasks.check_inactivity`);
    `patients` narrows it (all patients by default)."""
    now = now or timezone.now()
    candidates = (
        (patients if patients is not None else Patient.objects.all())
        .active()
        .filter(active_version__isnull=False)
        .exclude(alerts__kind=Alert.Kind.NO_LOGS, alerts__acknowledged_at__isnull=True)
        .select_related("clinic")
        .order_by("pk")
    )
    raised = []
    for patient in candidates.iterator():
        last_activity = max(filter(None, [patient.last_log, patient.active_since]), default=None)
        finding = adherence.not_keeping_up(
            figures=adherence.patient_figures(patient, now, full=False, streak=False),
            last_activity=last_activity,
            now=now,
            inactivity_days=patient.clinic.inactivity_alert_days,
            threshold_percent=patient.clinic.adherence_alert_percent,
        )
        if finding is None:
            continue
        with _records_language():
            if finding.reason == "no_logs":
                message = _("No log since %(date)s.") % {
                    "date": timezone.localtime(finding.since).date().isoformat()
                }
            else:
                message = _(
                    "%(logged)s of %(due)s sessions logged over the last 7 days (%(percent)s%%)."
                ) % {
                    "logged": finding.week.logged,
                    "due": finding.week.due,
                    "percent": finding.week.percent,
                }
        raised.append(
            raise_alert(
                patient=patient,
                kind=Alert.Kind.NO_LOGS,
                severity=Alert.Severity.WARNING,
                message=message,
                seen_at=now,
            )
        )
    return raised
