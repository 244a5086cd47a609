from __future__ import annotations

from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.templatetags.static import static
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from clinics.models import Clinic, ScopedQuerySet, clinic_of

from .dosage import RIGHT, DosageFigures, render_steps


def _dosage_model(prefix: str) -> type[models.Model]:
    """An abstract model with the five dosage fields, named with `prefix`.

    The catalog's default dosage (`default_sets`, ...) and a prescribed item's dosage
    (`sets`, ...) are the same five numbers with the same limits, declared here once.
    """
    fields: dict[str, Any] = {
        "sets": models.PositiveSmallIntegerField(
            _("sets"), default=1, validators=[MinValueValidator(1), MaxValueValidator(20)]
        ),
        "repetitions": models.PositiveSmallIntegerField(
            _("repetitions"), default=10, validators=[MinValueValidator(1), MaxValueValidator(100)]
        ),
        "hold_seconds": models.PositiveSmallIntegerField(
            _("hold (seconds)"), default=0, validators=[MaxValueValidator(600)]
        ),
        "times_per_day": models.PositiveSmallIntegerField(
            _("times per day"),
            null=True,
            blank=True,
            validators=[MinValueValidator(1), MaxValueValidator(24)],
        ),
        "every_hours": models.PositiveSmallIntegerField(
            _("every N hours"),
            null=True,
            blank=True,
            validators=[MinValueValidator(1), MaxValueValidator(24)],
        ),
    }
    attrs: dict[str, Any] = {f"{prefix}{name}": field for name, field in fields.items()}
    attrs["__module__"] = __name__
    attrs["Meta"] = type("Meta", (), {"abstract": True})
    name = "DefaultDosage" if prefix else "Dosage"
    return type(name, (models.Model,), attrs)


# What a therapist prescribes for one exercise (PrescriptionItem) ...
Dosage = _dosage_model("")
# ... and what the catalog suggests for it (Exercise).
DefaultDosage = _dosage_model("default_")


class Direction(models.TextChoices):
    EXTENSION = "extension", _("Extension")
    FLEXION = "flexion", _("Flexion")
    SIDE_GLIDE = "side_glide", _("Side glide")
    ROTATION = "rotation", _("Rotation")


class Position(models.TextChoices):
    PRONE = "prone", _("Lying on the stomach")
    SUPINE = "supine", _("Lying on the back")
    SIDE_LYING = "side_lying", _("Lying on the side")
    SITTING = "sitting", _("Sitting")
    STANDING = "standing", _("Standing")


class CatalogQuerySet(ScopedQuerySet):
    """Catalog entries are built in (no clinic) or belong to exactly one clinic."""

    def builtin(self) -> CatalogQuerySet:
        return self.filter(clinic__isnull=True)

    def for_clinic(self, clinic: Clinic | None) -> CatalogQuerySet:
        if clinic is None:
            return self.builtin()
        return self.filter(Q(clinic__isnull=True) | Q(clinic=clinic)).scoped_to(clinic.pk)

    def for_user(self, user: Any) -> CatalogQuerySet:
        """Therapists see the built-in entries and their clinic's own; patients
        reach exercises only through their prescriptions."""
        clinic = clinic_of(user)
        return self.for_clinic(clinic) if clinic is not None else self.none()


# The side the built-in drawings of one-sided exercises show.
DRAWN_SIDE = RIGHT


def _image_path(instance: Exercise, filename: str) -> str:
    return f"exercises/{instance.clinic_id or 'builtin'}/{filename}"


class Exercise(DefaultDosage):
    clinic = models.ForeignKey(
        Clinic,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="exercises",
        help_text=_("Empty for the built-in McKenzie catalog."),
    )
    slug = models.SlugField(_("slug"), max_length=80)
    name = models.CharField(_("name"), max_length=120)
    position = models.CharField(_("starting position"), max_length=12, choices=Position)
    direction = models.CharField(_("direction"), max_length=12, choices=Direction)
    steps = models.JSONField(_("steps"), default=list, help_text=_("One instruction per step."))
    purpose = models.TextField(_("what it is used for"))
    cautions = models.TextField(_("cautions and when to stop"))
    sided = models.BooleanField(
        _("done to one side"),
        default=False,
        help_text=_("The program names a side (left or right) for each patient."),
    )
    # Built-in drawings are static SVG files named after the slug; a clinic's own
    # exercise may carry an uploaded picture instead.
    illustration = models.CharField(_("drawing (static path)"), max_length=200, blank=True)
    image = models.ImageField(_("picture"), upload_to=_image_path, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CatalogQuerySet.as_manager()

    class Meta:
        ordering = ["clinic_id", "name"]
        verbose_name = _("exercise")
        verbose_name_plural = _("exercises")
        constraints = [
            models.UniqueConstraint(
                fields=["slug"],
                condition=Q(clinic__isnull=True),
                name="exercise_builtin_slug_unique",
            ),
            models.UniqueConstraint(fields=["clinic", "slug"], name="exercise_clinic_slug_unique"),
            models.CheckConstraint(
                condition=Q(direction__in=Direction.values), name="exercise_direction_valid"
            ),
            models.CheckConstraint(
                condition=Q(position__in=Position.values), name="exercise_position_valid"
            ),
            models.CheckConstraint(
                condition=Q(default_sets__gte=1, default_sets__lte=20),
                name="exercise_default_sets_range",
            ),
            models.CheckConstraint(
                condition=Q(default_repetitions__gte=1, default_repetitions__lte=100),
                name="exercise_default_repetitions_range",
            ),
            models.CheckConstraint(
                condition=Q(default_hold_seconds__lte=600), name="exercise_default_hold_range"
            ),
            models.CheckConstraint(
                condition=(
                    Q(default_times_per_day__isnull=True, default_every_hours__isnull=False)
                    | Q(default_times_per_day__isnull=False, default_every_hours__isnull=True)
                ),
                name="exercise_default_frequency_one_of",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_builtin(self) -> bool:
        return self.clinic_id is None

    @property
    def default_dosage(self) -> DosageFigures:
        return DosageFigures(
            sets=self.default_sets,
            repetitions=self.default_repetitions,
            hold_seconds=self.default_hold_seconds,
            times_per_day=self.default_times_per_day,
            every_hours=self.default_every_hours,
        )

    @property
    def catalog_steps(self) -> list[str]:
        """The steps as the catalog shows them, before a dosage or side is set."""
        return render_steps(self.steps)

    def illustration_for(self, side: str) -> str:
        """The static drawing that shows `side`: the built-in drawings of one-sided
        exercises show the right side, and <slug>-left.svg the left."""
        if self.sided and side and side != DRAWN_SIDE and self.illustration.endswith(".svg"):
            return self.illustration.removesuffix(".svg") + f"-{side}.svg"
        return self.illustration

    def image_url_for(self, side: str) -> str:
        """Where a browser finds the picture of this exercise done to `side`."""
        if self.image:
            return self.image.url
        illustration = self.illustration_for(side)
        return static(illustration) if illustration else ""

    @property
    def image_url(self) -> str:
        """Where a browser finds the picture of this exercise, or '' if it has none."""
        if self.image:
            return self.image.url
        if self.illustration:
            return static(self.illustration)
        return ""


class Progression(models.Model):
    clinic = models.ForeignKey(
        Clinic, on_delete=models.PROTECT, null=True, blank=True, related_name="progressions"
    )
    slug = models.SlugField(_("slug"), max_length=80)
    name = models.CharField(_("name"), max_length=120)
    direction = models.CharField(_("direction"), max_length=12, choices=Direction)
    description = models.TextField(_("description"), blank=True)
    exercises = models.ManyToManyField(
        Exercise, through="ProgressionStep", related_name="progressions"
    )
    # When the progression or its steps last changed (FHIR PlanDefinition.meta).
    updated_at = models.DateTimeField(auto_now=True)

    objects = CatalogQuerySet.as_manager()

    class Meta:
        ordering = ["clinic_id", "name"]
        verbose_name = _("progression")
        verbose_name_plural = _("progressions")
        constraints = [
            models.UniqueConstraint(
                fields=["slug"],
                condition=Q(clinic__isnull=True),
                name="progression_builtin_slug_unique",
            ),
            models.UniqueConstraint(
                fields=["clinic", "slug"], name="progression_clinic_slug_unique"
            ),
            models.CheckConstraint(
                condition=Q(direction__in=Direction.values), name="progression_direction_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_builtin(self) -> bool:
        return self.clinic_id is None


class ProgressionStep(models.Model):
    progression = models.ForeignKey(Progression, on_delete=models.CASCADE, related_name="steps")
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(_("position"))
    advance_when = models.TextField(
        _("move on when"), blank=True, help_text=_("What tells the PT this step is done.")
    )
    # The checkable rule behind "move on when" (prescriptions/progression.py applies it
    # to the patient's logs). Each number left empty is a condition not used; meeting
    # any one condition makes the next step a suggestion, never a change.
    advance_good_days = models.PositiveSmallIntegerField(
        _("days with the pain centralized or gone"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_(
            "Move on after this many days at the step with the pain centralized or gone "
            "and no warning sign."
        ),
    )
    advance_unchanged_days = models.PositiveSmallIntegerField(
        _("days with the symptoms unchanged"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_(
            "Move on when the step left the symptoms unchanged, with no warning sign, on "
            "this many of the latest days logged: the step is not helping."
        ),
    )
    advance_pain_free_days = models.PositiveSmallIntegerField(
        _("pain-free days in a row"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("Move on after this many days in a row without pain at the step."),
    )

    # Whether good days (the pain centralized or gone) suggest the next step. Off where
    # a good response means "keep going" and only a plateau calls for more force (the
    # press-up): MDT adds force when improvement stops, not while it lasts.
    advance_on_good_days = models.BooleanField(
        _("suggest the next step after good days"), default=True
    )

    class Meta:
        ordering = ["progression", "position"]
        verbose_name = _("progression step")
        verbose_name_plural = _("progression steps")
        constraints = [
            models.UniqueConstraint(
                fields=["progression", "position"], name="progression_step_position_unique"
            ),
            models.UniqueConstraint(
                fields=["progression", "exercise"], name="progression_step_exercise_unique"
            ),
            models.CheckConstraint(
                condition=Q(position__gte=1), name="progression_step_position_min"
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{name}__isnull": True})
                    | Q(**{f"{name}__gte": 1, f"{name}__lte": 60}),
                    name=f"progression_step_{name}_range",
                )
                for name in (
                    "advance_good_days",
                    "advance_unchanged_days",
                    "advance_pain_free_days",
                )
            ),
        ]

    def __str__(self) -> str:
        return f"{self.progression}: {self.position}. {self.exercise}"

    @property
    def has_rule(self) -> bool:
        return any(
            (self.advance_good_days, self.advance_unchanged_days, self.advance_pain_free_days)
        )

    @property
    def rule_conditions(self) -> list[str]:
        """Each condition of the rule in plain words, in the active language."""
        conditions = []
        if self.advance_good_days:
            conditions.append(
                ngettext(
                    "the pain has centralized or gone on %(n)d day at this step, with no "
                    "warning sign since",
                    "the pain has centralized or gone on %(n)d days at this step, with no "
                    "warning sign since",
                    self.advance_good_days,
                )
                % {"n": self.advance_good_days}
            )
        if self.advance_unchanged_days:
            conditions.append(
                ngettext(
                    "this step has left the symptoms unchanged on the last day logged, with "
                    "no warning sign (it is not helping)",
                    "this step has left the symptoms unchanged on the last %(n)d days logged, "
                    "with no warning sign (it is not helping)",
                    self.advance_unchanged_days,
                )
                % {"n": self.advance_unchanged_days}
            )
        if self.advance_pain_free_days:
            conditions.append(
                ngettext(
                    "the patient has been pain-free at this step for %(n)d day",
                    "the patient has been pain-free at this step for %(n)d days in a row",
                    self.advance_pain_free_days,
                )
                % {"n": self.advance_pain_free_days}
            )
        return conditions

    @property
    def rule_text(self) -> str:
        """The rule in plain words: "Suggest the next step when ... or ...", or ''."""
        conditions = self.rule_conditions
        if not conditions:
            return ""
        return gettext("Suggest the next step once %(conditions)s.") % {
            "conditions": gettext(", or ").join(conditions)
        }


class ProgressionLink(models.Model):
    """A branch of the progression graph. The ordered steps of a progression are one
    plane's force progression; a link leaves one of its steps for a step of another
    progression (or stands beside it, for a substitute) when its condition is met.
    prescriptions/progression.py reads the links; the therapist decides."""

    class Kind(models.TextChoices):
        LATERAL = "lateral", _("Into the lateral branch")
        RETURN = "return", _("Back to the press-up")
        RECOVERY = "recovery", _("Recovery of function")
        MAINTENANCE = "maintenance", _("Maintenance")
        SUBSTITUTE = "substitute", _("Substitute when lying down is not possible")

    progression = models.ForeignKey(Progression, on_delete=models.CASCADE, related_name="links")
    exercise = models.ForeignKey(
        Exercise, on_delete=models.PROTECT, related_name="+", verbose_name=_("from the step")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind)
    to_progression = models.ForeignKey(
        Progression, on_delete=models.CASCADE, related_name="+", verbose_name=_("to")
    )
    to_exercise = models.ForeignKey(
        Exercise, on_delete=models.PROTECT, related_name="+", verbose_name=_("to the step")
    )
    when = models.TextField(_("when"), blank=True, help_text=_("The condition, in plain words."))
    # Recovery of function adds flexion in front of the extension exercise the patient
    # keeps doing; the other links replace the step.
    keeps_current = models.BooleanField(_("keeps the current exercise"), default=False)

    class Meta:
        ordering = ["progression", "exercise", "kind"]
        verbose_name = _("progression branch")
        verbose_name_plural = _("progression branches")
        constraints = [
            models.UniqueConstraint(
                fields=["progression", "exercise", "kind"], name="progression_link_unique"
            ),
            models.CheckConstraint(
                condition=Q(
                    kind__in=["lateral", "return", "recovery", "maintenance", "substitute"]
                ),
                name="progression_link_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.progression}: {self.exercise} → {self.to_exercise} ({self.kind})"
