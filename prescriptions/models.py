from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from clinics.models import Clinic, clinic_of
from clinics.models import ScopedQuerySet as ClinicScopedQuerySet
from exercises.models import Dosage, Exercise, Progression
from patients.models import Patient, patient_of


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


class PrescriptionItemQuerySet(ScopedQuerySet):
    patient_path = "prescription__patient"


class PrescriptionItem(Dosage):
    prescription = models.ForeignKey(Prescription, on_delete=models.CASCADE, related_name="items")
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(_("position"))
    note = models.TextField(_("note for the patient"), blank=True)

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
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.exercise}"

    @property
    def dosage_text(self) -> str:
        """The dosage in plain words: "10 times, hold 2 seconds, every 2 hours"."""
        parts = [ngettext("%(n)d time", "%(n)d times", self.repetitions) % {"n": self.repetitions}]
        if self.sets > 1:
            parts[0] = ngettext(
                "%(sets)d sets of %(reps)d", "%(sets)d sets of %(reps)d", self.sets
            ) % {"sets": self.sets, "reps": self.repetitions}
        if self.hold_seconds:
            if self.hold_seconds >= 60 and self.hold_seconds % 60 == 0:
                minutes = self.hold_seconds // 60
                parts.append(
                    ngettext("hold %(n)d minute", "hold %(n)d minutes", minutes) % {"n": minutes}
                )
            else:
                parts.append(
                    ngettext("hold %(n)d second", "hold %(n)d seconds", self.hold_seconds)
                    % {"n": self.hold_seconds}
                )
        if self.every_hours:
            parts.append(
                ngettext("every hour", "every %(n)d hours", self.every_hours)
                % {"n": self.every_hours}
            )
        elif self.times_per_day:
            parts.append(
                ngettext("%(n)d time a day", "%(n)d times a day", self.times_per_day)
                % {"n": self.times_per_day}
            )
        return ", ".join(parts)


class Location(models.TextChoices):
    """Where the pain reaches (the most distal symptom), from the centre outwards."""

    NONE = "none", _("No pain")
    CENTRAL = "central", _("Centre of the low back")
    ONE_SIDE = "one_side", _("One side of the low back")
    BUTTOCK = "buttock", _("Buttock")
    THIGH = "thigh", _("Thigh")
    BELOW_KNEE = "below_knee", _("Below the knee")
    FOOT = "foot", _("Foot")


# How far from the spine each location is: a rising rank is peripheralization.
LOCATION_RANK = {code: rank for rank, code in enumerate(Location.values)}


class DuringResponse(models.TextChoices):
    PRODUCE = "produce", _("Produce")
    ABOLISH = "abolish", _("Abolish")
    INCREASE = "increase", _("Increase")
    DECREASE = "decrease", _("Decrease")
    CENTRALIZE = "centralize", _("Centralize")
    PERIPHERALIZE = "peripheralize", _("Peripheralize")
    NO_EFFECT = "no_effect", _("No effect")


class AfterResponse(models.TextChoices):
    BETTER = "better", _("Better")
    WORSE = "worse", _("Worse")
    NO_BETTER = "no_better", _("No better")
    NO_WORSE = "no_worse", _("No worse")
    NO_EFFECT = "no_effect", _("No effect")


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
    logged_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    sets_done = models.PositiveSmallIntegerField(_("sets done"), validators=[MaxValueValidator(50)])
    repetitions_done = models.PositiveSmallIntegerField(
        _("repetitions done"), validators=[MaxValueValidator(500)]
    )
    pain = models.PositiveSmallIntegerField(
        _("pain now (0 to 10)"), validators=[MinValueValidator(0), MaxValueValidator(10)]
    )
    location = models.CharField(_("where the pain reaches"), max_length=10, choices=Location)
    during = models.CharField(_("during the exercise"), max_length=13, choices=DuringResponse)
    after = models.CharField(_("after the exercise"), max_length=9, choices=AfterResponse)
    note = models.TextField(_("note"), blank=True)
    source = models.CharField(max_length=9, choices=Source, default=Source.PORTAL)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A token the form or client sends once per submission, so a retry stores nothing new.
    client_token = models.CharField(max_length=64, blank=True)
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
                condition=Q(sets_done__lte=50, repetitions_done__lte=500),
                name="symptom_log_amount_range",
            ),
            models.UniqueConstraint(
                fields=["patient", "client_token"],
                condition=~Q(client_token=""),
                name="symptom_log_client_token_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.patient} {self.logged_at:%Y-%m-%d %H:%M} pain {self.pain}"

    @property
    def location_rank(self) -> int:
        return LOCATION_RANK[self.location]


class RedFlag(models.TextChoices):
    BLADDER_BOWEL = "bladder_bowel", _("New trouble controlling your bladder or bowel")
    SADDLE_NUMBNESS = (
        "saddle_numbness",
        _("Numbness between your legs or around your bottom (where you would sit on a saddle)"),
    )
    LEG_WEAKNESS = "leg_weakness", _("Weakness in a leg that is getting worse")
    FEVER_WEIGHT_LOSS = (
        "fever_weight_loss",
        _("Fever, or weight loss you cannot explain, together with your back pain"),
    )


class RedFlagCheckQuerySet(ScopedQuerySet):
    pass


class RedFlagCheck(models.Model):
    """The patient's answers to the red-flag questions, asked once a day."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="red_flag_checks")
    checked_on = models.DateField(_("day"))
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
        RED_FLAG = "red_flag", _("Red-flag answer")
        PAIN_RISE = "pain_rise", _("Sharp rise in pain")
        NO_LOGS = "no_logs", _("No logs for several days")

    class Severity(models.TextChoices):
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
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        ordering = ["acknowledged_at", "-created_at"]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    kind__in=["peripheralization", "worse", "red_flag", "pain_rise", "no_logs"]
                ),
                name="alert_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(severity__in=["warning", "urgent"]), name="alert_severity_valid"
            ),
            # "No logs" and "pain rise" describe a state, so one open alert of each suffices.
            models.UniqueConstraint(
                fields=["patient", "kind"],
                condition=Q(acknowledged_at__isnull=True, kind__in=["no_logs", "pain_rise"]),
                name="alert_one_open_state_alert",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.patient}"

    @property
    def is_open(self) -> bool:
        return self.acknowledged_at is None

    def acknowledge(self, *, by: Any) -> bool:
        """Mark the alert seen by `by`; False if someone already had."""
        updated = Alert.objects.filter(pk=self.pk, acknowledged_at__isnull=True).update(
            acknowledged_by=by, acknowledged_at=timezone.now()
        )
        if updated:
            self.refresh_from_db(fields=["acknowledged_by", "acknowledged_at"])
        return bool(updated)
