"""Writes that span several models: building programs and recording how they went.

Every path that stores a symptom log (the portal, the API, a therapist typing in
a paper log) goes through `record_symptom_log`, so the safety rules are the same
everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from exercises.models import Exercise, Progression
from patients.models import Patient

from .models import (
    AfterResponse,
    Alert,
    DuringResponse,
    Prescription,
    PrescriptionItem,
    RedFlag,
    RedFlagCheck,
    SymptomLog,
)
from .summary import refresh_summary

# How many points above the first logged pain count as a sharp rise.
PAIN_RISE_THRESHOLD = 3


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
        )


def progression_items(progression: Progression, *, first: int | None = None) -> list[ItemSpec]:
    """The progression's steps (all, or the first N) with the catalog's dosage."""
    steps = progression.steps.select_related("exercise").order_by("position")
    if first is not None:
        steps = steps[:first]
    return [ItemSpec.from_exercise(step.exercise) for step in steps]


def _save_items(prescription: Prescription, items: Sequence[ItemSpec]) -> list[PrescriptionItem]:
    clinic_id = prescription.patient.clinic_id
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
        )
        for position, spec in enumerate(items, start=1)
    ]
    for row in rows:
        row.full_clean(exclude=["prescription", "exercise"])
    return PrescriptionItem.objects.bulk_create(rows)


def create_prescription(
    *,
    patient: Patient,
    by: Any,
    items: Sequence[ItemSpec],
    progression: Progression | None = None,
    activate: bool = False,
    change_note: str = "",
) -> Prescription:
    """A new program for `patient`, as a draft or, with `activate`, in use at once."""
    if patient.archived:
        raise ValidationError(_("This patient is archived."))
    with transaction.atomic():
        # Lock the patient so that two programs made at once get distinct versions.
        _lock_patient(patient.pk)
        prescription = Prescription.objects.create(
            patient=patient,
            prescribed_by=by,
            progression=progression,
            version=Prescription.next_version(patient),
            change_note=change_note,
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
            current.save(update_fields=["status", "ended_at"])
            # A version has at most one successor: an open draft revision of the same
            # version may already claim it, and keeps its claim.
            if (
                prescription.replaces_id is None
                and not Prescription.objects.filter(replaces=current).exists()
            ):
                prescription.replaces = current
        prescription.status = Prescription.Status.ACTIVE
        prescription.activated_at = now
        prescription.save(update_fields=["status", "activated_at", "replaces"])
        refresh_summary(prescription.patient_id)
    return prescription


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
        )
        _save_items(draft, [ItemSpec.from_item(item) for item in prescription.items.all()])
    return draft


def revise_prescription(
    *, prescription: Prescription, items: Sequence[ItemSpec], by: Any, change_note: str = ""
) -> Prescription:
    """Replace an active program by a new active version with `items`, in one step."""
    with transaction.atomic():
        _lock_patient(prescription.patient_id)
        prescription.refresh_from_db(fields=["status"])
        if prescription.status != Prescription.Status.ACTIVE:
            raise ValidationError(_("Only the active program can be revised."))
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
            progression=prescription.progression,
            version=Prescription.next_version(prescription.patient),
            replaces=prescription,
            change_note=change_note,
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
        prescription.save(update_fields=["status", "ended_at"])
        refresh_summary(prescription.patient_id)
    return prescription


@dataclass(frozen=True)
class ItemChange:
    """How one exercise differs between two versions of a program."""

    exercise: Exercise
    change: str  # "added", "removed", "moved", "dosage" or "same"
    before: PrescriptionItem | None = None
    after: PrescriptionItem | None = None


def compare_versions(old: Prescription, new: Prescription) -> list[ItemChange]:
    """What changed from `old` to `new`, in the new version's order, then removals."""
    old_items = {item.exercise_id: item for item in old.items.select_related("exercise")}
    changes = []
    for item in new.items.select_related("exercise"):
        before = old_items.pop(item.exercise_id, None)
        if before is None:
            kind = "added"
        elif ItemSpec.from_item(before) != ItemSpec.from_item(item):
            kind = "dosage"
        elif before.position != item.position:
            kind = "moved"
        else:
            kind = "same"
        changes.append(ItemChange(item.exercise, kind, before, item))
    changes.extend(ItemChange(item.exercise, "removed", item, None) for item in old_items.values())
    return changes


# --- Symptom logs and the safety rules -------------------------------------------------


@dataclass
class LogOutcome:
    """What storing a log led to: the log, the alerts it raised, and whether the
    patient must be told to stop this exercise."""

    log: SymptomLog
    created: bool
    alerts: list[Alert] = field(default_factory=list)

    @property
    def stop_exercise(self) -> bool:
        return (
            self.log.during == DuringResponse.PERIPHERALIZE or self.log.after == AfterResponse.WORSE
        )


def _stop_alert(log: SymptomLog) -> Alert | None:
    exercise = log.item.exercise.name
    if log.during == DuringResponse.PERIPHERALIZE:
        message = _("Pain spread outwards during %(exercise)s (now reaches: %(location)s).") % {
            "exercise": exercise,
            "location": log.get_location_display().lower(),
        }
        if log.after == AfterResponse.WORSE:
            message += " " + _("Worse afterwards.")
        kind = Alert.Kind.PERIPHERALIZATION
    elif log.after == AfterResponse.WORSE:
        message = _("Worse after %(exercise)s (pain %(pain)d/10).") % {
            "exercise": exercise,
            "pain": log.pain,
        }
        kind = Alert.Kind.WORSE
    else:
        return None
    return Alert.objects.create(
        patient=log.patient,
        kind=kind,
        severity=Alert.Severity.WARNING,
        message=message,
        symptom_log=log,
    )


def _pain_rise_alert(log: SymptomLog) -> Alert | None:
    first = (
        SymptomLog.objects.filter(patient=log.patient)
        .exclude(pk=log.pk)
        .order_by("logged_at", "id")
        .first()
    )
    if first is None or first.logged_at > log.logged_at:
        return None
    if log.pain < first.pain + PAIN_RISE_THRESHOLD:
        return None
    if Alert.objects.open().filter(patient=log.patient, kind=Alert.Kind.PAIN_RISE).exists():
        return None
    try:
        with transaction.atomic():
            return Alert.objects.create(
                patient=log.patient,
                kind=Alert.Kind.PAIN_RISE,
                severity=Alert.Severity.WARNING,
                message=_("Pain %(now)d/10, up from %(first)d/10 at the first log.")
                % {"now": log.pain, "first": first.pain},
                symptom_log=log,
            )
    except IntegrityError:
        return None  # a log stored at the same moment raised the one open pain-rise alert


# What a patient answers about one exercise: the fields every log form collects.
LOG_ANSWERS = ("pain", "location", "during", "after", "sets_done", "repetitions_done", "note")


def log_answers(data: dict[str, Any]) -> dict[str, Any]:
    """The answers of a validated log form, as `record_symptom_log` takes them."""
    return {name: data[name] for name in LOG_ANSWERS}


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
    logged_at: datetime | None = None,
    source: str = SymptomLog.Source.PORTAL,
    entered_by: Any = None,
    client_token: str = "",
) -> LogOutcome:
    """Store one log and apply the safety rules; the one way logs enter Centra.

    A repeated `client_token` returns the log stored the first time, so a
    double submit or a retried request stores nothing twice.
    """
    if client_token:
        existing = SymptomLog.objects.filter(patient=patient, client_token=client_token).first()
        if existing is not None:
            return LogOutcome(existing, created=False, alerts=list(existing.alerts.all()))
    if item.prescription.patient_id != patient.pk:
        raise ValidationError({"item": _("This exercise is not in this patient's program.")})
    if item.prescription.status == Prescription.Status.DRAFT:
        raise ValidationError({"item": _("This program has not been started yet.")})
    log = SymptomLog(
        patient=patient,
        item=item,
        pain=pain,
        location=location,
        during=during,
        after=after,
        sets_done=sets_done,
        repetitions_done=repetitions_done,
        note=note,
        logged_at=logged_at or timezone.now(),
        source=source,
        entered_by=entered_by,
        client_token=client_token,
    )
    log.full_clean(exclude=["patient", "item", "entered_by"])
    if log.logged_at > timezone.now() + timedelta(minutes=5):
        raise ValidationError({"logged_at": _("A log cannot be in the future.")})
    try:
        with transaction.atomic():
            # The patient is locked before the log goes in, so that the summary refresh
            # below never waits on a program change that waits on this log.
            _lock_patient(patient.pk)
            log.save()
            alerts = [alert for alert in (_stop_alert(log), _pain_rise_alert(log)) if alert]
            refresh_summary(patient.pk)
    except IntegrityError:
        existing = SymptomLog.objects.filter(patient=patient, client_token=client_token).first()
        if not client_token or existing is None:
            raise
        return LogOutcome(existing, created=False, alerts=list(existing.alerts.all()))
    return LogOutcome(log, created=True, alerts=alerts)


def red_flags_due(patient: Patient, *, on: date | None = None) -> bool:
    """True while the patient has not answered the red-flag questions today."""
    day = on or timezone.localdate()
    return not RedFlagCheck.objects.filter(patient=patient, checked_on=day).exists()


def record_red_flag_check(
    *, patient: Patient, answered_yes: Iterable[str], on: date | None = None
) -> tuple[RedFlagCheck, Alert | None]:
    """Store today's red-flag answers; any yes raises an urgent alert."""
    answers = sorted(set(answered_yes))
    unknown = set(answers) - set(RedFlag.values)
    if unknown:
        raise ValidationError({"answered_yes": _("Unknown red-flag question.")})
    day = on or timezone.localdate()
    with transaction.atomic():
        _lock_patient(patient.pk)
        check, created = RedFlagCheck.objects.get_or_create(
            patient=patient, checked_on=day, defaults={"answered_yes": answers}
        )
        if not created:
            new = sorted(set(check.answered_yes) | set(answers))
            if new == check.answered_yes:
                return check, check.alerts.first()
            check.answered_yes = new
            check.save(update_fields=["answered_yes"])
        if not answers:
            return check, None
        labels = "; ".join(str(RedFlag(code).label) for code in answers)
        alert = Alert.objects.create(
            patient=patient,
            kind=Alert.Kind.RED_FLAG,
            severity=Alert.Severity.URGENT,
            message=_("Red flag reported: %(answers)s.") % {"answers": labels},
            red_flag_check=check,
        )
        refresh_summary(patient.pk)
    return check, alert


def raise_inactivity_alerts(*, now: datetime | None = None) -> list[Alert]:
    """An alert for each patient with a program in use and no log for the clinic's
    number of days. Run it from a scheduler (`manage.py check_inactivity`)."""
    now = now or timezone.now()
    candidates = (
        Patient.objects.active()
        .filter(prescriptions__status=Prescription.Status.ACTIVE)
        .exclude(alerts__kind=Alert.Kind.NO_LOGS, alerts__acknowledged_at__isnull=True)
        .select_related("clinic")
        .annotate(
            latest_log=Max("symptom_logs__logged_at"), started=Max("prescriptions__activated_at")
        )
    )
    created = []
    for patient in candidates:
        since = max(filter(None, [patient.latest_log, patient.started]), default=None)
        if since is None or now - since < timedelta(days=patient.clinic.inactivity_alert_days):
            continue
        try:
            with transaction.atomic():
                _lock_patient(patient.pk)
                created.append(
                    Alert.objects.create(
                        patient=patient,
                        kind=Alert.Kind.NO_LOGS,
                        severity=Alert.Severity.WARNING,
                        message=_("No log since %(date)s.")
                        % {"date": timezone.localtime(since).date().isoformat()},
                    )
                )
                refresh_summary(patient.pk)
        except IntegrityError:
            continue  # another run raised it first
    return created
