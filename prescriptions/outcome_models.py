"""Episodes of care and the outcome measures taken during them.

Three instruments, each free to use in clinical practice (see docs/clinical/
outcome-measures.md): the numeric pain rating scale (NPRS: pain now, at best and at worst
over 24 hours), the Patient-Specific Functional Scale (PSFS: 3 to 5 activities the
patient names, each 0 to 10) and the Global Rating of Change (GROC, -7 to +7).
Imported by `prescriptions.models`, so Django sees the models there.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from patients.models import Patient

from .models import ScopedQuerySet

PSFS_MIN_ACTIVITIES, PSFS_MAX_ACTIVITIES = 3, 5
ACTIVITY_MAX_LENGTH = 120
# The change each 0 to 10 score must reach to count, in points, and what that number
# is (sources in docs/clinical/outcome-measures.md): for pain, the minimal clinically important
# difference found in low back pain; for the PSFS, the minimal detectable change of the
# mean score (3 points for a single activity), which is not an MCID.
MCID = {"nprs": Decimal(2), "psfs": Decimal(2)}
THRESHOLD_KIND = {"nprs": "mcid", "psfs": "mdc"}
PSFS_MDC_ONE_ACTIVITY = Decimal(3)
# A Global Rating of Change of at least this counts the patient as a responder: a
# moderate change or more on the -7 to +7 scale (see docs/clinical/outcome-measures.md).
GROC_RESPONDER = 4


class EpisodeQuerySet(ScopedQuerySet):
    def open(self) -> EpisodeQuerySet:
        return self.filter(ended_at__isnull=True)


class Episode(models.Model):
    """One course of care, from the start to a discharge. A later episode starts
    clean: its measures and charts begin again, and the earlier ones stay readable."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="episodes")
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    ended_at = models.DateTimeField(_("discharged"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    discharge_requested_at = models.DateTimeField(
        _("discharge measures asked for"), null=True, blank=True
    )
    summary_note = models.TextField(_("discharge note"), blank=True)
    referring_doctor = models.CharField(_("referring doctor"), max_length=200, blank=True)

    objects = EpisodeQuerySet.as_manager()

    class Meta:
        ordering = ["patient", "-started_at", "-id"]
        verbose_name = _("episode of care")
        verbose_name_plural = _("episodes of care")
        constraints = [
            models.UniqueConstraint(
                fields=["patient"],
                condition=Q(ended_at__isnull=True),
                name="episode_one_open_per_patient",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.patient} episode {self.started_at:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.ended_at is None


class Instrument(models.TextChoices):
    NPRS = "nprs", _("Pain rating (0 to 10)")
    PSFS = "psfs", _("Patient-Specific Functional Scale")
    GROC = "groc", _("Global Rating of Change")


class Occasion(models.TextChoices):
    START = "start", _("Start of care")
    REVIEW = "review", _("Review")
    DISCHARGE = "discharge", _("Discharge")


def _whole(value: Any, field: str, low: int, high: int, errors: dict[str, list[str]]) -> int:
    if isinstance(value, bool):
        value = None
    try:
        number = int(value)
        if str(number) != str(value).strip():
            raise ValueError
    except (TypeError, ValueError):
        errors.setdefault(field, []).append(
            gettext("Give a whole number from %(low)d to %(high)d.") % {"low": low, "high": high}
        )
        return 0
    if not low <= number <= high:
        errors.setdefault(field, []).append(
            gettext("Give a whole number from %(low)d to %(high)d.") % {"low": low, "high": high}
        )
    return number


def _mean(values: list[int]) -> Decimal:
    total = Decimal(sum(values)) / Decimal(len(values))
    return total.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# The questions say "at its least" and "at its worst" (pain_best is the least pain).
LEAST_ABOVE_WORST = gettext_noop("Your least pain cannot be higher than your worst pain.")


def activity_key(name: str) -> str:
    """A PSFS activity's name as compared: spacing and capitals do not count."""
    return " ".join(name.split()).casefold()


def clean_answers(instrument: str, data: dict[str, Any]) -> dict[str, Any]:
    """The instrument's answers checked and its score worked out.

    Returns the model fields to store; raises ValidationError with a message per
    field. NPRS scores the mean of its three ratings, PSFS the mean of its
    activities, GROC is its own score.
    """
    errors: dict[str, list[str]] = {}
    if instrument == Instrument.NPRS:
        fields = {
            name: _whole(data.get(name), name, 0, 10, errors)
            for name in ("pain_now", "pain_best", "pain_worst")
        }
        if not errors and fields["pain_best"] > fields["pain_worst"]:
            errors["pain_best"] = [gettext(LEAST_ABOVE_WORST)]
        if errors:
            raise ValidationError(errors)
        return {**fields, "score": _mean(list(fields.values()))}
    if instrument == Instrument.PSFS:
        raw = data.get("activities")
        if not isinstance(raw, list):
            raise ValidationError({"activities": [gettext("List 3 to 5 activities.")]})
        activities = []
        seen: set[str] = set()
        for index, row in enumerate(raw, start=1):
            row = row if isinstance(row, dict) else {}
            name = str(row.get("activity") or "").strip()
            # "Walking" and "walking " are one activity: rated twice it would count twice.
            key = activity_key(name)
            if not name:
                errors.setdefault("activities", []).append(
                    gettext("Activity %(n)d: name the activity.") % {"n": index}
                )
            elif key in seen:
                errors.setdefault("activities", []).append(
                    gettext("Activity %(n)d: this activity is already listed.") % {"n": index}
                )
            elif len(name) > ACTIVITY_MAX_LENGTH:
                errors.setdefault("activities", []).append(
                    gettext("Activity %(n)d: keep the name under %(max)d characters.")
                    % {"n": index, "max": ACTIVITY_MAX_LENGTH}
                )
            seen.add(key)
            score = _whole(row.get("score"), "activities", 0, 10, errors)
            activities.append({"activity": name, "score": score})
        if not PSFS_MIN_ACTIVITIES <= len(activities) <= PSFS_MAX_ACTIVITIES:
            errors.setdefault("activities", []).insert(0, gettext("List 3 to 5 activities."))
        if errors:
            raise ValidationError(errors)
        return {"activities": activities, "score": _mean([a["score"] for a in activities])}
    if instrument == Instrument.GROC:
        change = _whole(data.get("change"), "change", -7, 7, errors)
        if errors:
            raise ValidationError(errors)
        return {"change": change, "score": Decimal(change)}
    raise ValidationError({"instrument": [gettext("Choose one of: nprs, psfs, groc.")]})


class OutcomeMeasureQuerySet(ScopedQuerySet):
    pass


class OutcomeMeasure(models.Model):
    class Source(models.TextChoices):
        PORTAL = "portal", _("Patient portal")
        API = "api", _("Clinic system")
        THERAPIST = "therapist", _("Entered by the therapist")

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="outcome_measures")
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="measures")
    instrument = models.CharField(_("measure"), max_length=4, choices=Instrument)
    occasion = models.CharField(_("occasion"), max_length=9, choices=Occasion)
    taken_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    pain_now = models.PositiveSmallIntegerField(_("pain now"), null=True, blank=True)
    pain_best = models.PositiveSmallIntegerField(_("pain at its best"), null=True, blank=True)
    pain_worst = models.PositiveSmallIntegerField(_("pain at its worst"), null=True, blank=True)
    activities = models.JSONField(_("activities"), default=list, blank=True)
    change = models.SmallIntegerField(_("change since care began"), null=True, blank=True)
    score = models.DecimalField(_("score"), max_digits=3, decimal_places=1)
    source = models.CharField(max_length=9, choices=Source, default=Source.PORTAL)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A UUID a clinic system makes once per measure, so a retry stores nothing new.
    client_id = models.UUIDField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OutcomeMeasureQuerySet.as_manager()

    class Meta:
        ordering = ["-taken_at", "-id"]
        verbose_name = _("outcome measure")
        verbose_name_plural = _("outcome measures")
        constraints = [
            models.CheckConstraint(
                condition=Q(instrument__in=Instrument.values), name="outcome_instrument_valid"
            ),
            models.CheckConstraint(
                condition=Q(occasion__in=Occasion.values), name="outcome_occasion_valid"
            ),
            models.CheckConstraint(
                condition=Q(source__in=["portal", "api", "therapist"]),  # OutcomeMeasure.Source
                name="outcome_source_valid",
            ),
            models.CheckConstraint(
                condition=Q(pain_now__isnull=True) | Q(pain_now__lte=10),
                name="outcome_pain_now_range",
            ),
            models.CheckConstraint(
                condition=Q(pain_best__isnull=True) | Q(pain_best__lte=10),
                name="outcome_pain_best_range",
            ),
            models.CheckConstraint(
                condition=Q(pain_worst__isnull=True) | Q(pain_worst__lte=10),
                name="outcome_pain_worst_range",
            ),
            models.CheckConstraint(
                condition=Q(change__isnull=True) | Q(change__gte=-7, change__lte=7),
                name="outcome_change_range",
            ),
            models.CheckConstraint(
                condition=Q(score__gte=-7, score__lte=10), name="outcome_score_range"
            ),
            models.UniqueConstraint(
                fields=["patient", "client_id"],
                condition=Q(client_id__isnull=False),
                name="outcome_client_id_unique",
            ),
        ]
        indexes = [models.Index(fields=["episode", "instrument", "taken_at"])]

    def __str__(self) -> str:
        return f"{self.patient} {self.instrument} {self.score}"

    @property
    def score_text(self) -> str:
        if self.instrument == Instrument.GROC:
            return f"{int(self.score):+d}"
        return f"{self.score:.1f}".rstrip("0").rstrip(".") + "/10"
