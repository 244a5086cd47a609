"""Small display helpers shared by the dashboard's templates."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from django import template
from django.contrib.staticfiles import finders
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext, ngettext

from exercises.dosage import dosage_text
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
    return dosage_text(exercise.default_dosage)


# The patient list's rows use these plain-Python filters instead of a
# `blocktranslate` per cell: rendering a translation block per row was a good
# part of the page's time.


@register.filter
def years_old(born: date | None) -> str:
    years = age(born)
    return "" if years is None else gettext("%(age)s y") % {"age": years}


@register.filter
def time_ago(moment: datetime | None) -> str:
    return gettext("%(since)s ago") % {"since": timesince(moment)} if moment else ""


@register.filter
def version_label(version: int | None) -> str:
    return gettext("v%(n)s") % {"n": version} if version else ""


@register.filter
def open_alerts_label(open_alerts: int, urgent_alerts: int = 0) -> str:
    if urgent_alerts:
        return ngettext("%(n)s open, urgent", "%(n)s open, urgent", open_alerts) % {
            "n": open_alerts
        }
    return ngettext("%(n)s open", "%(n)s open", open_alerts) % {"n": open_alerts}
