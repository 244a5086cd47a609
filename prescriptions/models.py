from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from clinics.models import Clinic, clinic_of
from clinics.models import ScopedQuerySet as ClinicScopedQuerySet
from exercises.dosage import LEFT, RIGHT, DosageFigures, dosage_text, render_steps
from exercises.models import Dosage, Exercise, Progression
from patients.models import (
    LOCATION_RANK,
    AfterResponse,
    DuringResponse,
    Location,
    Patient,
    patient_of,
)

from .red_flags import RedFlag  # noqa: F401  (the table's codes, importable from here as before)
from .signals import alerts_acknowledged


class ScopedQuerySet(ClinicScopedQuerySet):
    """Rows that hang off a patient, scoped the same way as the patient list.

    Subclasses name the path to the patient in `patient_path`.
    """

    patient_path = "patient"

    def for_clinic(self, clinic: Clinic) -> ScopedQuerySet:
        return self.filter(**{f"{self.patient_path}__clinic": clinic}).scoped_to(clinic.pk)

    def for_user(self, user: Any) -> ScopedQuerySet:
        clinic = clinic_of(user)
        if clinic is not None:
            return self.for_clinic(clinic)
        patient = patient_of(user)
        if patient is not None:
            return self.filter(**{self.patient_path: patient}).scoped_to(patient.clinic_id)
        return self.none()


class PrescriptionQuerySet(ScopedQuerySet):
    def active(self) -> PrescriptionQuerySet:
        return self.filter(status=Prescription.Status.ACTIVE)


class Prescription(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        ENDED = "ended", _("Ended")

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="prescriptions")
    prescribed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="prescriptions",
        verbose_name=_("prescribing therapist"),
    )
    progression = models.ForeignKey(
        Progression,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The progression the program was started from, if any."),
    )
    status = models.CharField(_("status"), max_length=6, choices=Status, default=Status.DRAFT)
    version = models.PositiveIntegerField(_("version"))
    replaces = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("replaces version"),
    )
    change_note = models.TextField(_("what changed and why"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    activated_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    review_on = models.DateField(
        _("review on"),
        null=True,
        blank=True,
        help_text=_("When you plan to see the patient again; printed on the handout."),
    )
    # Any change of the version or its exercises; clinic systems sync from it (FHIR).
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = PrescriptionQuerySet.as_manager()

    class Meta:
        ordering = ["patient", "-version"]
        verbose_name = _("prescription")
        verbose_name_plural = _("prescriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["patient"],
                condition=Q(status="active"),
                name="prescription_one_active_per_patient",
            ),
            models.UniqueConstraint(
                fields=["patient", "version"], name="prescription_version_unique"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "active", "ended"]),
                name="prescription_status_valid",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="prescription_version_min"),
        ]

    def __str__(self) -> str:
        return f"{self.patient} v{self.version} ({self.get_status_display()})"

    @property
    def is_editable(self) -> bool:
        """Only drafts change in place; an active program changes by a new version."""
        return self.status == self.Status.DRAFT

    @classmethod
    def next_version(cls, patient: Patient) -> int:
        latest = cls.objects.filter(patient=patient).aggregate(models.Max("version"))
        return (latest["version__max"] or 0) + 1


class Side(models.TextChoices):
    LEFT = LEFT, _("Left")
    RIGHT = RIGHT, _("Right")


# What one program may hold, on every path that makes one (the builder, the API):
# a draft the API makes is checked and activated in the builder, so both must take it.
MAX_ITEMS = 20
ITEM_NOTE_MAX_LENGTH = 1000


class PrescriptionItemQuerySet(ScopedQuerySet):
    patient_path = "prescription__patient"


class PrescriptionItem(Dosage):
    prescription = models.ForeignKey(Prescription, on_delete=models.CASCADE, related_name="items")
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(_("position"))
    note = models.TextField(_("note for the patient"), blank=True)
    side = models.CharField(
        _("side"),
        max_length=5,
        choices=Side,
        blank=True,
        help_text=_("For an exercise done to one side; empty for the others."),
    )

    objects = PrescriptionItemQuerySet.as_manager()

    class Meta:
        ordering = ["prescription", "position"]
        verbose_name = _("prescription item")
        verbose_name_plural = _("prescription items")
        constraints = [
            models.UniqueConstraint(
                fields=["prescription", "position"], name="prescription_item_position_unique"
            ),
            models.CheckConstraint(
                condition=Q(position__gte=1), name="prescription_item_position_min"
            ),
            models.CheckConstraint(
                condition=Q(sets__gte=1, sets__lte=20), name="prescription_item_sets_range"
            ),
            models.CheckConstraint(
                condition=Q(repetitions__gte=1, repetitions__lte=100),
                name="prescription_item_repetitions_range",
            ),
            models.CheckConstraint(
                condition=Q(hold_seconds__lte=600), name="prescription_item_hold_range"
            ),
            models.CheckConstraint(
                condition=(
                    Q(times_per_day__isnull=True, every_hours__isnull=False)
                    | Q(times_per_day__isnull=False, every_hours__isnull=True)
                ),
                name="prescription_item_frequency_one_of",
            ),
            models.CheckConstraint(
                condition=Q(times_per_day__isnull=True)
                | Q(times_per_day__gte=1, times_per_day__lte=24),
                name="prescription_item_times_per_day_range",
            ),
            models.CheckConstraint(
                condition=Q(every_hours__isnull=True) | Q(every_hours__gte=1, every_hours__lte=24),
                name="prescription_item_every_hours_range",
            ),
            models.CheckConstraint(
                condition=Q(side__in=["", *Side.values]), name="prescription_item_side_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.exercise}"

    @property
    def dosage(self) -> DosageFigures:
        return DosageFigures(
            sets=self.sets,
            repetitions=self.repetitions,
            hold_seconds=self.hold_seconds,
            times_per_day=self.times_per_day,
            every_hours=self.every_hours,
        )

    @property
    def dosage_text(self) -> str:
        """The dosage in plain words: "10 times, hold 2 seconds, every 2 hours"."""
        return dosage_text(self.dosage)

    @property
    def steps(self) -> list[str]:
        """The exercise's steps with this item's numbers and side filled in."""
        return render_steps(self.exercise.steps, dosage=self.dosage, side=self.side)

    @property
    def image_url(self) -> str:
        """The exercise's picture, showing this item's side."""
        return self.exercise.image_url_for(self.side)


class NeuroSymptom(models.TextChoices):
    """New nerve symptoms, asked on every log; any yes stops the exercise."""

    NUMBNESS = "numbness", _("New numbness in a leg or foot")
    PINS_NEEDLES = "pins_needles", _("New pins and needles in a leg or foot")
    WEAKNESS = (
        "weakness",
        _("New weakness in a leg or foot (for example, your foot drags or your knee gives way)"),
    )
    BOTH_LEGS = "both_legs", _("Pain, numbness or tingling in both legs")


class ReferenceSource(models.TextChoices):
    """What a log's location was compared with."""

    HELD = "held", _("the location held in recent days")
    PERSISTING = "persisting", _("the reference in force since the pain spread")
    STARTING_LOCATION = "starting_location", _("the starting location the therapist recorded")
    # Logs judged before safety v3 were compared with the log before them.
    PREVIOUS_LOG = "previous_log", _("the previous log")


class SymptomLogQuerySet(ScopedQuerySet):
    pass


class SymptomLog(models.Model):
    class Source(models.TextChoices):
        PORTAL = "portal", _("Patient portal")
        API = "api", _("Clinic system")
        THERAPIST = "therapist", _("Entered by the therapist")

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="symptom_logs")
    item = models.ForeignKey(
        PrescriptionItem,
        on_delete=models.PROTECT,
        related_name="symptom_logs",
        verbose_name=_("exercise of the program"),
    )
    # The session the log belongs to: its symptoms before and after (session_models.py).
    session = models.ForeignKey(
        "prescriptions.ExerciseSession",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="logs",
    )
    logged_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    sets_done = models.PositiveSmallIntegerField(_("sets done"), validators=[MaxValueValidator(50)])
    repetitions_done = models.PositiveSmallIntegerField(
        _("repetitions done"), validators=[MaxValueValidator(500)]
    )
    pain = models.PositiveSmallIntegerField(
        _("pain now (0 to 10)"), validators=[MinValueValidator(0), MaxValueValidator(10)]
    )
    # Back and leg apart when the session asked them; `pain` is then the higher of the two.
    back_pain = models.PositiveSmallIntegerField(
        _("back pain now (0 to 10)"), null=True, blank=True, validators=[MaxValueValidator(10)]
    )
    leg_pain = models.PositiveSmallIntegerField(
        _("leg pain now (0 to 10)"), null=True, blank=True, validators=[MaxValueValidator(10)]
    )
    location = models.CharField(_("where the pain reaches"), max_length=10, choices=Location)
    during = models.CharField(_("during the exercise"), max_length=13, choices=DuringResponse)
    after = models.CharField(_("after the exercise"), max_length=9, choices=AfterResponse)
    note = models.TextField(_("note"), blank=True)
    source = models.CharField(max_length=9, choices=Source, default=Source.PORTAL)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    new_symptoms = models.JSONField(
        _("new nerve symptoms reported"),
        default=list,
        blank=True,
        help_text=_("NeuroSymptom codes the patient answered yes to."),
    )
    # A token the form or client sends once per submission, so a retry stores nothing new.
    client_token = models.CharField(max_length=64, blank=True)
    # The same idea for clinic systems: a UUID the client makes once per log.
    client_id = models.UUIDField(null=True, blank=True)
    # What the safety rules made of this log, kept beside the answers so anyone can
    # see later why a stop fired (see prescriptions/safety.py).
    reference_location = models.CharField(
        _("compared with location"), max_length=10, choices=Location, blank=True
    )
    reference_source = models.CharField(
        _("compared with"), max_length=17, choices=ReferenceSource, blank=True
    )
    findings = models.JSONField(_("safety findings"), default=list, blank=True)
    stop_exercise = models.BooleanField(_("told to stop"), default=False)
    # A therapist who has looked may let the patient resume the exercise this log stopped
    # (stops.py); a later log further out than the reference stops it again.
    stop_cleared_at = models.DateTimeField(_("stop lifted"), null=True, blank=True)
    stop_cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SymptomLogQuerySet.as_manager()

    class Meta:
        ordering = ["-logged_at", "-id"]
        verbose_name = _("symptom log")
        verbose_name_plural = _("symptom logs")
        indexes = [models.Index(fields=["patient", "logged_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(pain__gte=0, pain__lte=10), name="symptom_log_pain_range"
            ),
            models.CheckConstraint(
                condition=Q(location__in=Location.values), name="symptom_log_location_valid"
            ),
            models.CheckConstraint(
                condition=Q(during__in=DuringResponse.values), name="symptom_log_during_valid"
            ),
            models.CheckConstraint(
                condition=Q(after__in=AfterResponse.values), name="symptom_log_after_valid"
            ),
            models.CheckConstraint(
                condition=Q(source__in=["portal", "api", "therapist"]),  # SymptomLog.Source
                name="symptom_log_source_valid",
            ),
            models.CheckConstraint(
                condition=Q(reference_location__in=["", *Location.values]),
                name="symptom_log_reference_location_valid",
            ),
            models.CheckConstraint(
                condition=Q(reference_source__in=["", *ReferenceSource.values]),
                name="symptom_log_reference_source_valid",
            ),
            models.CheckConstraint(
                condition=Q(sets_done__lte=50, repetitions_done__lte=500),
                name="symptom_log_amount_range",
            ),
            models.CheckConstraint(
                condition=Q(back_pain__lte=10, leg_pain__lte=10),
                name="symptom_log_back_leg_pain_range",
            ),
            models.UniqueConstraint(
                fields=["patient", "client_token"],
                condition=~Q(client_token=""),
                name="symptom_log_client_token_unique",
            ),
            models.UniqueConstraint(
                fields=["patient", "client_id"],
                condition=Q(client_id__isnull=False),
                name="symptom_log_client_id_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.patient} {self.logged_at:%Y-%m-%d %H:%M} pain {self.pain}"

    @property
    def location_rank(self) -> int:
        return LOCATION_RANK[self.location]

    @property
    def finding_reasons(self) -> list[str]:
        """The stored reasons the safety rules gave, in plain words."""
        return [finding["reason"] for finding in self.findings]

    @property
    def new_symptom_labels(self) -> list[str]:
        return [str(NeuroSymptom(code).label) for code in self.new_symptoms]


class RedFlagCheckQuerySet(ScopedQuerySet):
    pass


class RedFlagCheck(models.Model):
    """The patient's answers to the red-flag questions of one day (see red_flags.py)."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="red_flag_checks")
    checked_on = models.DateField(_("day"))
    # Which questions were asked tells when each tier is due again; a check made
    # before the tiers asked every question of its day.
    asked = models.JSONField(_("questions asked"), default=list, help_text=_("RedFlag codes."))
    answered_yes = models.JSONField(
        _("questions answered yes"), default=list, help_text=_("RedFlag codes.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RedFlagCheckQuerySet.as_manager()

    class Meta:
        ordering = ["-checked_on"]
        verbose_name = _("red-flag check")
        verbose_name_plural = _("red-flag checks")
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "checked_on"], name="red_flag_check_once_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.patient} {self.checked_on}"


class AlertQuerySet(ScopedQuerySet):
    def open(self) -> AlertQuerySet:
        return self.filter(acknowledged_at__isnull=True)


class Alert(models.Model):
    class Kind(models.TextChoices):
        PERIPHERALIZATION = "peripheralization", _("Pain spread outwards (peripheralization)")
        WORSE = "worse", _("Worse after an exercise")
        RED_FLAG = "red_flag", _("Red flag: seek urgent care now")
        RED_FLAG_TODAY = "red_flag_today", _("Red flag: see a doctor today")
        PAIN_RISE = "pain_rise", _("Sharp rise in pain")
        NO_LOGS = "no_logs", _("Not keeping up with the program")
        NEUROLOGICAL = "neurological", _("New nerve symptoms")
        RECURRENCE = "recurrence", _("Pain back after no pain (recurrence)")

    class Severity(models.TextChoices):
        NOTE = "note", _("For information")
        WARNING = "warning", _("Needs attention")
        URGENT = "urgent", _("Urgent")

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="alerts")
    kind = models.CharField(_("kind"), max_length=17, choices=Kind)
    severity = models.CharField(_("severity"), max_length=7, choices=Severity)
    message = models.TextField(_("message"))
    symptom_log = models.ForeignKey(
        SymptomLog, on_delete=models.PROTECT, null=True, blank=True, related_name="alerts"
    )
    red_flag_check = models.ForeignKey(
        RedFlagCheck, on_delete=models.PROTECT, null=True, blank=True, related_name="alerts"
    )
    # Repeats of the same warning group into one open alert per patient, kind and
    # exercise (no exercise for the patient-wide kinds).
    exercise = models.ForeignKey(
        Exercise, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    count = models.PositiveIntegerField(_("times seen"), default=1)
    last_seen_at = models.DateTimeField(_("last seen"), default=timezone.now)
    logs = models.ManyToManyField(
        SymptomLog, blank=True, related_name="grouped_alerts", verbose_name=_("logs")
    )
    # The day of the log (or red-flag answers) that raised it, in the patient's days, and
    # in a group the earliest and latest of its logs' days: a back-dated paper log
    # raises its alert today but happened then. Empty for alerts raised by no log.
    first_logged_on = models.DateField(_("first log's day"), null=True, blank=True)
    last_logged_on = models.DateField(_("last log's day"), null=True, blank=True)
    # Every distinct finding of the group, oldest first, each with the days it was
    # seen: [{"message": ..., "days": ["2026-03-02", ...]}]. `message` is the latest.
    findings = models.JSONField(_("findings"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # When the alert last changed: raised, seen again or acknowledged. Not "last seen":
    # a log dated days back (a paper sheet, a clinic system's late sync) raises an
    # alert now, or adds to its count, and a sync asking what changed since yesterday
    # (REST `updated_since`, FHIR `_lastUpdated`) must still get it.
    updated_at = models.DateTimeField(default=timezone.now, db_index=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    # When an urgent alert nobody acknowledged was emailed to the clinic's
    # administrators (prescriptions/escalation.py); once per alert.
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        ordering = ["acknowledged_at", "-created_at"]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    kind__in=[
                        "peripheralization",
                        "worse",
                        "red_flag",
                        "red_flag_today",
                        "pain_rise",
                        "no_logs",
                        "neurological",
                        "recurrence",
                    ]
                ),
                name="alert_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(severity__in=["note", "warning", "urgent"]),
                name="alert_severity_valid",
            ),
            # One open alert per patient, kind and exercise: repeats raise its count.
            models.UniqueConstraint(
                fields=["patient", "kind", "exercise"],
                condition=Q(acknowledged_at__isnull=True, exercise__isnull=False),
                name="alert_one_open_per_exercise",
            ),
            models.UniqueConstraint(
                fields=["patient", "kind"],
                condition=Q(acknowledged_at__isnull=True, exercise__isnull=True),
                name="alert_one_open_per_kind",
            ),
            models.CheckConstraint(condition=Q(count__gte=1), name="alert_count_min"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.patient}"

    @property
    def is_open(self) -> bool:
        return self.acknowledged_at is None

    @property
    def first_seen_day(self) -> str:
        """When the group began, as the therapist says it: "Tuesday" within the week."""
        first = timezone.localtime(self.created_at)
        if (timezone.localdate() - first.date()).days < 7:
            return date_format(first, "l")
        return date_format(first, "DATE_FORMAT")

    @property
    def findings_seen(self) -> list[dict[str, Any]]:
        """Every distinct finding of the group with the days (dates) it was seen."""
        return [
            {
                "message": finding["message"],
                "days": [date.fromisoformat(day) for day in finding.get("days", [])],
            }
            for finding in self.findings
        ]

    @property
    def days_seen(self) -> list[date]:
        """The days any of the group's findings was seen, oldest first."""
        return sorted({day for finding in self.findings_seen for day in finding["days"]})

    def acknowledge(self, *, by: Any) -> bool:
        """Mark the alert seen by `by`; False if someone already had."""
        from .summary import lock_patient, refresh_summary

        with transaction.atomic():
            lock_patient(self.patient_id)  # before the alert, like every write of a patient
            now = timezone.now()
            updated = Alert.objects.filter(pk=self.pk, acknowledged_at__isnull=True).update(
                acknowledged_by=by, acknowledged_at=now, updated_at=now
            )
            if updated:
                refresh_summary(self.patient_id)
                alerts_acknowledged.send(sender=Alert, alerts=Alert.objects.filter(pk=self.pk))
        if updated:
            self.refresh_from_db(fields=["acknowledged_by", "acknowledged_at", "updated_at"])
        return bool(updated)


class SuggestionQuerySet(ScopedQuerySet):
    def open(self) -> SuggestionQuerySet:
        return self.filter(status=ProgressionSuggestion.Status.OPEN)

    def for_user(self, user: Any) -> SuggestionQuerySet:
        """Therapists see their clinic's suggestions; a patient never sees one."""
        clinic = clinic_of(user)
        return self.for_clinic(clinic) if clinic is not None else self.none()


class ProgressionSuggestion(models.Model):
    """A step of the progression the logs point to: the next one when the current
    step's rule is met, the previous one after a warning. The therapist accepts it
    (a new program version) or dismisses it with a reason; nothing else acts on it."""

    class Direction(models.TextChoices):
        FORWARD = "forward", _("Ready to progress")
        BACK = "back", _("Consider going back a step")
        # Unchanged central, symmetrical pain with no step left in the plane: the
        # program does not change; the therapist looks again.
        REASSESS = "reassess", _("Reassess")

    class Rule(models.TextChoices):
        GOOD_DAYS = "good_days", _("pain centralized or gone")
        UNCHANGED_DAYS = "unchanged_days", _("symptoms unchanged")
        PAIN_FREE_DAYS = "pain_free_days", _("pain-free days in a row")
        WARNING = "warning", _("warning signs at this step")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACCEPTED = "accepted", _("Accepted")
        DISMISSED = "dismissed", _("Dismissed")
        OUTDATED = "outdated", _("No longer applies")

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="suggestions")
    prescription = models.ForeignKey(
        Prescription,
        on_delete=models.PROTECT,
        related_name="suggestions",
        help_text=_("The program version the suggestion was made for."),
    )
    direction = models.CharField(_("direction"), max_length=8, choices=Direction)
    rule = models.CharField(_("what the logs showed"), max_length=14, choices=Rule)
    days = models.PositiveSmallIntegerField(_("days"), default=0)
    from_exercise = models.ForeignKey(
        Exercise, on_delete=models.PROTECT, related_name="+", verbose_name=_("current step")
    )
    to_exercise = models.ForeignKey(
        Exercise, on_delete=models.PROTECT, related_name="+", verbose_name=_("suggested step")
    )
    logs = models.ManyToManyField(
        SymptomLog, blank=True, related_name="suggestions", verbose_name=_("supporting logs")
    )
    status = models.CharField(_("status"), max_length=9, choices=Status, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    dismiss_reason = models.TextField(_("reason for dismissing"), blank=True)
    result = models.ForeignKey(
        Prescription,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("version made"),
    )

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("progression suggestion")
        verbose_name_plural = _("progression suggestions")
        constraints = [
            models.UniqueConstraint(
                fields=["patient"], condition=Q(status="open"), name="suggestion_one_open"
            ),
            models.CheckConstraint(
                condition=Q(direction__in=["forward", "back", "reassess"]),
                name="suggestion_direction_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "accepted", "dismissed", "outdated"]),
                name="suggestion_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(rule__in=["good_days", "unchanged_days", "pain_free_days", "warning"]),
                name="suggestion_rule_valid",
            ),
            # A dismissal always says why.
            models.CheckConstraint(
                condition=~Q(status="dismissed") | ~Q(dismiss_reason=""),
                name="suggestion_dismissed_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.patient}: {self.from_exercise} → {self.to_exercise} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def headline(self) -> str:
        """ "Ready to progress: consider <step>", in the active language."""
        if self.direction == self.Direction.FORWARD:
            return _("Ready to progress: consider %(step)s") % {"step": self.to_exercise.name}
        if self.direction == self.Direction.REASSESS:
            return _("Reassess: %(step)s is not changing the symptoms") % {
                "step": self.from_exercise.name
            }
        return _("Warning signs at this step: consider going back to %(step)s") % {
            "step": self.to_exercise.name
        }

    @property
    def why(self) -> str:
        """What the logs showed, in plain words."""
        step = self.from_exercise.name
        n = self.days
        if self.rule == self.Rule.GOOD_DAYS:
            text = ngettext(
                "The pain centralized or went on %(n)d day at %(step)s, with no warning sign "
                "since.",
                "The pain centralized or went on %(n)d days at %(step)s, with no warning sign "
                "since.",
                n,
            )
        elif self.rule == self.Rule.UNCHANGED_DAYS and self.direction == self.Direction.REASSESS:
            text = ngettext(
                "%(step)s left central, even pain unchanged on the last day logged, and no "
                "step with more force is left in this direction; a sideways movement is for "
                "one-sided pain only.",
                "%(step)s left central, even pain unchanged on the last %(n)d days logged, and "
                "no step with more force is left in this direction; a sideways movement is for "
                "one-sided pain only.",
                n,
            )
        elif self.rule == self.Rule.UNCHANGED_DAYS:
            text = ngettext(
                "%(step)s left the symptoms unchanged on the last day logged, with no "
                "warning sign.",
                "%(step)s left the symptoms unchanged on the last %(n)d days logged, with no "
                "warning sign.",
                n,
            )
        elif self.rule == self.Rule.PAIN_FREE_DAYS:
            text = ngettext(
                "Pain-free at %(step)s for %(n)d day.",
                "Pain-free at %(step)s for %(n)d days in a row.",
                n,
            )
        else:
            text = ngettext(
                "%(n)d log at %(step)s with a warning sign (pain spreading, worse afterwards "
                "or new nerve symptoms).",
                "%(n)d logs at %(step)s with a warning sign (pain spreading, worse afterwards "
                "or new nerve symptoms).",
                n,
            )
        return text % {"n": n, "step": step}


# Episodes of care and outcome measures live in their own module; Django finds them here.
from .outcome_models import Episode, OutcomeMeasure  # noqa: E402, F401
from .session_models import ExerciseSession, SessionResponse  # noqa: E402, F401
