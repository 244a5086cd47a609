"""Small display helpers shared by the dashboard's templates."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from django import template
from django.contrib.staticfiles import finders
from django.utils import timezone

from exercises.models import Exercise
from prescriptions.models import Location

register = template.Library()


@lru_cache(maxsize=256)
def _static_exists(path: str) -> bool:
    return bool(finders.find(path))


@register.filter
def picture_url(exercise: Exercise) -> str:
    """The exercise's picture, or '' while its built-in drawing is not in the static files."""
    if exercise.image:
        return exercise.image.url
    if exercise.illustration and _static_exists(exercise.illustration):
        return exercise.image_url
    return ""


@register.filter
def location_label(code: str | None) -> str:
    if not code:
        return ""
    try:
        return Location(code).label
    except ValueError:
        return code


@register.filter
def age(born: date | None) -> int | None:
    if born is None:
        return None
    today = timezone.localdate()
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


@register.filter
def severity_badge(severity: str) -> str:
    return "danger" if severity == "urgent" else "warning"


@register.filter
def pain_level(pain: float | int | None) -> str:
    if pain is None:
        return "neutral"
    if pain >= 7:
        return "danger"
    if pain >= 4:
        return "warning"
    return "success"


@register.filter
def default_dosage(exercise: Exercise) -> str:
    """The catalog's default dosage in the same words as a prescribed item."""
    from prescriptions.models import PrescriptionItem

    return PrescriptionItem(
        sets=exercise.default_sets,
        repetitions=exercise.default_repetitions,
        hold_seconds=exercise.default_hold_seconds,
        times_per_day=exercise.default_times_per_day,
        every_hours=exercise.default_every_hours,
    ).dosage_text
