"""An exercise session: the patient's symptoms once before and once after, and one
symptom log per exercise done (how it went during and after, in MDT terms).

A log sent alone (the one-exercise portal page, `POST /api/v1/symptom-logs/`) is a
session of one whose "after" is that log's pain and location, with no "before".
Imported by `prescriptions.models`, so Django sees the model there.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from patients.models import Location, Patient

from .models import Prescription, PrescriptionItem, ScopedQuerySet, SymptomLog


class SessionResponse(models.TextChoices):
    """What the session did to the symptoms, before against after (like with like)."""

    CENTRALIZING = "centralizing", _("Centralizing")
    PERIPHERALIZING = "peripheralizing", _("Peripheralizing")
    BETTER = "better", _("Less pain, reaching no further")
    WORSE = "worse", _("More pain, reaching no closer in")
    UNCHANGED = "unchanged", _("No change")
    # A session of one sent without "before": nothing to compare within it.
    NOT_COMPARED = "not_compared", _("Not compared (no answers from before the session)")


PAIN_RANGE = Q(
    before_back_pain__lte=10,
    before_leg_pain__lte=10,
    after_back_pain__lte=10,
    after_leg_pain__lte=10,
    after_pain__lte=10,
)


class ExerciseSessionQuerySet(ScopedQuerySet):
    pass


class ExerciseSession(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="exercise_sessions")
    prescription = models.ForeignKey(
        Prescription, on_delete=models.PROTECT, related_name="exercise_sessions"
    )
    logged_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    before_back_pain = models.PositiveSmallIntegerField(
        _("back pain before (0 to 10)"), null=True, blank=True, validators=[MaxValueValidator(10)]
    )
    before_leg_pain = models.PositiveSmallIntegerField(
        _("leg pain before (0 to 10)"), null=True, blank=True, validators=[MaxValueValidator(10)]
    )
    before_location = models.CharField(
        _("where the pain reached before"), max_length=10, choices=Location, blank=True
    )
    # A session of one sent as a plain log has one pain score; a whole session has the
    # back and the leg apart, and `after_pain` is the higher of the two.
    after_pain = models.PositiveSmallIntegerField(
        _("pain after (0 to 10)"), validators=[MaxValueValidator(10)]
    )
    after_back_pain = models.PositiveSmallIntegerField(
        _("back pain after (0 to 10)"), null=True, blank=True, validators=[MaxValueValidator(10)]
    )
    after_leg_pain = models.PositiveSmallIntegerField(
        _("leg pain after (0 to 10)"), null=True, blank=True, validators=[MaxValueValidator(10)]
    )
    after_location = models.CharField(
        _("where the pain reached after"), max_length=10, choices=Location
    )
    response = models.CharField(_("what the session did"), max_length=15, choices=SessionResponse)
    new_symptoms = models.JSONField(_("new nerve symptoms reported"), default=list, blank=True)
    skipped = models.ManyToManyField(
        PrescriptionItem, blank=True, related_name="+", verbose_name=_("exercises skipped")
    )
    source = models.CharField(max_length=9, choices=SymptomLog.Source, default="portal")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    client_token = models.CharField(max_length=64, blank=True)
    client_id = models.UUIDField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ExerciseSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-logged_at", "-id"]
        verbose_name = _("exercise session")
        verbose_name_plural = _("exercise sessions")
        indexes = [models.Index(fields=["patient", "logged_at"])]
        constraints = [
            models.CheckConstraint(condition=PAIN_RANGE, name="session_pain_range"),
            models.CheckConstraint(
                condition=Q(before_location__in=["", *Location.values]),
                name="session_before_location_valid",
            ),
            models.CheckConstraint(
                condition=Q(after_location__in=Location.values),
                name="session_after_location_valid",
            ),
            models.CheckConstraint(
                condition=Q(response__in=SessionResponse.values), name="session_response_valid"
            ),
            models.CheckConstraint(
                condition=Q(source__in=["portal", "api", "therapist"]),
                name="session_source_valid",
            ),
            models.UniqueConstraint(
                fields=["patient", "client_token"],
                condition=~Q(client_token=""),
                name="session_client_token_unique",
            ),
            models.UniqueConstraint(
                fields=["patient", "client_id"],
                condition=Q(client_id__isnull=False),
                name="session_client_id_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.patient} session {self.logged_at:%Y-%m-%d %H:%M}"

    @property
    def has_before(self) -> bool:
        return bool(self.before_location)
