"""The therapist's MDT assessment and the reassessments that follow it.

The layout and wording are Centra's own: only the clinical content of an MDT
assessment is taken (history, baseline, repeated-movement tests, classification).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinics.models import Clinic, ScopedQuerySet, clinic_of
from patients.models import (
    AfterResponse,
    Classification,
    DirectionalPreference,
    DuringResponse,
    Location,
    PainfulSide,
    Patient,
    patient_of,
)


class Pattern(models.TextChoices):
    CONSTANT = "constant", _("Constant")
    INTERMITTENT = "intermittent", _("Intermittent")


class Factor(models.TextChoices):
    """What makes the symptoms worse or better, as the patient tells it."""

    SITTING = "sitting", _("Sitting")
    STANDING = "standing", _("Standing")
    WALKING = "walking", _("Walking")
    BENDING = "bending", _("Bending")
    LYING = "lying", _("Lying")
    MORNINGS = "mornings", _("Mornings")
    EVENINGS = "evenings", _("Evenings")
    NIGHTS = "nights", _("Nights")


class ShiftSide(models.TextChoices):
    LEFT = "left", _("Left")
    RIGHT = "right", _("Right")


class NeuroFinding(models.TextChoices):
    NORMAL = "normal", _("Normal")
    REDUCED = "reduced", _("Reduced")


class NeuralTension(models.TextChoices):
    NEGATIVE = "negative", _("Negative")
    POSITIVE = "positive", _("Positive")


class DysfunctionDirection(models.TextChoices):
    EXTENSION = "extension", _("Extension")
    FLEXION = "flexion", _("Flexion")
    SIDE_GLIDE_LEFT = "side_glide_left", _("Side glide, left")
    SIDE_GLIDE_RIGHT = "side_glide_right", _("Side glide, right")


class OtherSubtype(models.TextChoices):
    STENOSIS = "stenosis", _("Spinal stenosis")
    HIP = "hip", _("Hip")
    SACROILIAC = "sacroiliac", _("Sacroiliac joint")
    CHRONIC_PAIN = "chronic_pain", _("Chronic pain")
    INCONCLUSIVE = "inconclusive", _("Inconclusive, to be reassessed")
    OTHER = "other", _("Other")


class MovementTestKind(models.TextChoices):
    """The repeated and sustained movements tested, in the order they are usually done."""

    FLEXION_STANDING = "flexion_standing", _("Flexion in standing")
    EXTENSION_STANDING = "extension_standing", _("Extension in standing")
    FLEXION_LYING = "flexion_lying", _("Flexion in lying")
    EXTENSION_LYING = "extension_lying", _("Extension in lying")
    SIDE_GLIDE_RIGHT = "side_glide_right", _("Side glide in standing, right")
    SIDE_GLIDE_LEFT = "side_glide_left", _("Side glide in standing, left")
    SUSTAINED_FLEXION = "sustained_flexion", _("Sustained flexion (slouched sitting)")
    SUSTAINED_EXTENSION = "sustained_extension", _("Sustained extension (lying face down)")


class RangeEffect(models.TextChoices):
    INCREASED = "increased", _("Increased")
    DECREASED = "decreased", _("Decreased")
    NO_EFFECT = "no_effect", _("No effect")


class AssessmentQuerySet(ScopedQuerySet):
    """Assessments are seen by the patient's clinic only (never in the portal)."""

    def for_clinic(self, clinic: Clinic) -> AssessmentQuerySet:
        return self.filter(patient__clinic=clinic).scoped_to(clinic.pk)

    def for_user(self, user: Any) -> AssessmentQuerySet:
        clinic = clinic_of(user)
        if clinic is not None:
            return self.for_clinic(clinic)
        patient = patient_of(user)
        return self.none().scoped_to(patient.clinic_id if patient else None)


def _choice_check(
    field: str, choices: type[models.TextChoices], name: str
) -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(**{f"{field}__in": ["", *choices.values]}), name=name)


class Assessment(models.Model):
    """One visit's assessment: the first one, or a reassessment at a follow-up."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="assessments")
    assessed_on = models.DateField(_("date of the assessment"), default=timezone.localdate)
    # History.
    onset_date = models.DateField(_("symptoms began on"), null=True, blank=True)
    onset = models.CharField(
        _("how and when it began"),
        max_length=300,
        blank=True,
        help_text=_("In the patient's words if the date is not known."),
    )
    duration_weeks = models.PositiveSmallIntegerField(
        _("duration of this episode (weeks)"), null=True, blank=True
    )
    earlier_episodes = models.PositiveSmallIntegerField(
        _("earlier episodes"), null=True, blank=True
    )
    pattern = models.CharField(
        _("constant or intermittent"), max_length=12, choices=Pattern, blank=True
    )
    # Codes of `Factor`.
    worse_with = models.JSONField(_("worse with"), default=list, blank=True)
    better_with = models.JSONField(_("better with"), default=list, blank=True)
    # Baseline symptoms.
    back_pain = models.PositiveSmallIntegerField(
        _("back pain (0 to 10)"), validators=[MaxValueValidator(10)]
    )
    leg_pain = models.PositiveSmallIntegerField(
        _("leg pain (0 to 10)"), validators=[MaxValueValidator(10)]
    )
    location = models.CharField(_("where the pain reaches"), max_length=10, choices=Location)
    painful_side = models.CharField(
        _("painful side"), max_length=7, choices=PainfulSide, blank=True
    )
    lateral_shift = models.CharField(
        _("lateral shift"),
        max_length=5,
        choices=ShiftSide,
        blank=True,
        help_text=_("The side the shoulders are shifted to, if the trunk is shifted."),
    )
    # Optional neurological findings.
    reflexes = models.CharField(_("reflexes"), max_length=8, choices=NeuroFinding, blank=True)
    sensation = models.CharField(_("sensation"), max_length=8, choices=NeuroFinding, blank=True)
    power = models.CharField(_("power"), max_length=8, choices=NeuroFinding, blank=True)
    neural_tension = models.CharField(
        _("neural tension"), max_length=8, choices=NeuralTension, blank=True
    )
    neuro_note = models.CharField(_("neurological notes"), max_length=500, blank=True)
    # Provisional classification.
    classification = models.CharField(
        _("provisional classification"), max_length=12, choices=Classification
    )
    directional_preference = models.CharField(
        _("directional preference"), max_length=14, choices=DirectionalPreference, blank=True
    )
    dysfunction_direction = models.CharField(
        _("direction of the dysfunction"), max_length=16, choices=DysfunctionDirection, blank=True
    )
    other_subtype = models.CharField(
        _("kind of other"), max_length=12, choices=OtherSubtype, blank=True
    )
    note = models.TextField(_("notes"), blank=True)
    # A clinic system's id for the record, so that a retry stores nothing new.
    client_id = models.UUIDField(null=True, blank=True, editable=False)
    # What the first request with `client_id` asked for: a retry must ask the same.
    client_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["patient", "assessed_on", "id"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.CheckConstraint(
                condition=Q(back_pain__lte=10), name="assessment_back_pain_range"
            ),
            models.CheckConstraint(condition=Q(leg_pain__lte=10), name="assessment_leg_pain_range"),
            models.CheckConstraint(
                condition=Q(location__in=Location.values), name="assessment_location_valid"
            ),
            models.CheckConstraint(
                condition=Q(classification__in=Classification.values),
                name="assessment_classification_valid",
            ),
            _choice_check("painful_side", PainfulSide, "assessment_painful_side_valid"),
            _choice_check("pattern", Pattern, "assessment_pattern_valid"),
            _choice_check(
                "directional_preference",
                DirectionalPreference,
                "assessment_directional_preference_valid",
            ),
            _choice_check(
                "dysfunction_direction", DysfunctionDirection, "assessment_dysfunction_valid"
            ),
            _choice_check("other_subtype", OtherSubtype, "assessment_other_subtype_valid"),
            _choice_check("lateral_shift", ShiftSide, "assessment_lateral_shift_valid"),
            # A dysfunction has a direction, an "other" a kind; neither goes elsewhere.
            models.CheckConstraint(
                condition=Q(classification="dysfunction") | Q(dysfunction_direction=""),
                name="assessment_dysfunction_direction_only_for_dysfunction",
            ),
            models.CheckConstraint(
                condition=Q(classification="other") | Q(other_subtype=""),
                name="assessment_other_subtype_only_for_other",
            ),
            models.UniqueConstraint(
                fields=["patient", "client_id"],
                condition=Q(client_id__isnull=False),
                name="assessment_client_id_unique",
            ),
        ]
        indexes = [models.Index(fields=["patient", "assessed_on"], name="assessment_by_date")]

    def __str__(self) -> str:
        return f"{self.patient} {self.assessed_on:%Y-%m-%d}"

    @property
    def classification_label(self) -> str:
        """The classification with its direction or kind, e.g. "Derangement, extension"."""
        label = str(self.get_classification_display())
        detail = {
            Classification.DERANGEMENT: self.get_directional_preference_display(),
            Classification.DYSFUNCTION: self.get_dysfunction_direction_display(),
            Classification.OTHER: self.get_other_subtype_display(),
        }.get(self.classification, "")
        if self.classification == Classification.OTHER:
            label = str(_("Other"))
        return f"{label}, {str(detail).lower()}" if detail else label


class MovementTest(models.Model):
    """One repeated or sustained movement tested, with the symptoms' response."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="tests")
    movement = models.CharField(_("movement"), max_length=20, choices=MovementTestKind)
    during = models.CharField(_("during"), max_length=14, choices=DuringResponse, blank=True)
    after = models.CharField(_("after"), max_length=10, choices=AfterResponse, blank=True)
    range_effect = models.CharField(
        _("effect on range of movement"), max_length=10, choices=RangeEffect, blank=True
    )

    class Meta:
        ordering = ["assessment", "id"]
        verbose_name = _("movement test")
        verbose_name_plural = _("movement tests")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "movement"], name="movement_test_once_per_assessment"
            ),
            models.CheckConstraint(
                condition=Q(movement__in=MovementTestKind.values), name="movement_test_kind_valid"
            ),
            _choice_check("during", DuringResponse, "movement_test_during_valid"),
            _choice_check("after", AfterResponse, "movement_test_after_valid"),
            _choice_check("range_effect", RangeEffect, "movement_test_range_valid"),
        ]

    def __str__(self) -> str:
        return str(self.get_movement_display())
