"""Small display helpers shared by the dashboard's templates."""

from __future__ import annotations

import html
from collections.abc import Iterable
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from django import template
from django.contrib.staticfiles import finders
from django.utils import formats, timezone
from django.utils.safestring import mark_safe
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
    return {"urgent": "danger", "note": "neutral"}.get(severity, "warning")


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


@register.simple_tag
def select(field: Any) -> str:
    """A choice field's <select>, written here: Django's widget renders each option
    through a template, a millisecond of every patient list for its two menus."""
    value = field.value()
    current = "" if value is None else str(value)
    options = "".join(
        f'<option value="{_escape(key)}"{" selected" if str(key) == current else ""}>'
        f"{_escape(label)}</option>"
        for key, label in field.field.choices
    )
    return mark_safe(  # noqa: S308 - every value is escaped above
        f'<select name="{_escape(field.html_name)}" id="{_escape(field.id_for_label)}">'
        f"{options}</select>"
    )


@register.simple_tag
def patient_rows(patients: Iterable[Any], patients_url: str) -> str:
    """The patient list's table rows, written in Python.

    The same markup as a `{% for %}` over the rows would give, at a fraction of its
    cost: the template engine's lookups, filters and nested `if`s for 25 rows were
    most of the list's rendering time. Every value is escaped here."""
    days: dict[date, str] = {}
    labels: dict[Any, str] = {
        "archived": _escape(gettext("Archived")),
        "hand_picked": gettext("Hand-picked"),
        "no_program": _escape(gettext("No program")),
        "none_yet": _escape(gettext("None yet")),
        "none": _escape(gettext("None")),
        "new": _escape(gettext("New")),
        "nothing_due": _escape(gettext("nothing due yet")),
    }
    rows = "".join(_patient_row(patient, patients_url, labels, days) for patient in patients)
    return mark_safe(rows)  # noqa: S308


def _once(labels: dict[Any, str], key: Any, make: Any) -> str:
    """`make()`, escaped, kept in `labels` under `key` for the other rows: the rows
    share most of their words, and each translation lookup costs."""
    found = labels.get(key)
    if found is None:
        found = labels[key] = _escape(make())
    return found


def _escape(value: Any) -> str:
    # What django.utils.html.escape does, without its lazy-string wrapper: hundreds
    # of calls per page.
    return html.escape(str(value))


def _patient_row(
    patient: Any, patients_url: str, labels: dict[Any, str], days: dict[date, str]
) -> str:
    link = f"{_escape(patients_url)}{patient.pk}/"
    flags = ("is-flagged" if patient.open_alerts else "") + (
        " is-archived" if patient.archived else ""
    )
    about = _escape(patient.external_id) if patient.external_id else ""
    if patient.external_id and patient.date_of_birth:
        about += " · "
    if patient.date_of_birth:
        years = age(patient.date_of_birth)
        about += _once(labels, ("age", years), lambda: gettext("%(age)s y") % {"age": years})
    if patient.archived:
        about += f' <span class="badge badge--neutral">{labels["archived"]}</span>'
    if patient.active_version:
        version = _once(
            labels, ("v", patient.active_version), lambda: version_label(patient.active_version)
        )
        program = (
            f"{_escape(patient.active_progression or labels['hand_picked'])} "
            f'<span class="muted">· {version}</span>'
        )
    else:
        program = f'<span class="muted">{labels["no_program"]}</span>'
    if patient.last_log:
        moment = timezone.localtime(patient.last_log)
        day = days.get(moment.date())
        if day is None:
            day = days[moment.date()] = _escape(formats.date_format(moment, "MONTH_DAY_FORMAT"))
        last_log = (
            f'<time datetime="{moment.isoformat()}">{day}</time> '
            f'<span class="muted small">{_escape(time_ago(patient.last_log))}</span>'
        )
    else:
        last_log = f'<span class="muted">{labels["none_yet"]}</span>'
    kept = _adherence_cell(patient.adherence_figures, labels)
    program += _suggestion_marker(patient, link)
    trend = patient.trend
    if trend.latest:
        first = _once(labels, ("where", trend.first), lambda: trend.first_label)
        latest = _once(labels, ("where", trend.latest), lambda: trend.latest_label)
        where = f"{first} → {latest}"
        if trend.direction != "unchanged":
            direction = _once(labels, ("direction", trend.direction), lambda: trend.direction_label)
            where += f' <span class="badge badge--{_escape(trend.level)}">{direction}</span>'
    else:
        where = '<span class="muted">—</span>'
    if patient.open_alerts:
        severity = "danger" if patient.urgent_alerts else "warning"
        count = _once(
            labels,
            ("alerts", patient.open_alerts, patient.urgent_alerts),
            lambda: open_alerts_label(patient.open_alerts, patient.urgent_alerts),
        )
        alerts = f'<a class="badge badge--{severity}" href="{link}#alerts">{count}</a>'
    else:
        alerts = f'<span class="muted">{labels["none"]}</span>'
    return (
        f'<tr class="{flags}"><th scope="row" class="patient-table__name">'
        f'<a href="{link}">{_escape(patient.last_name)}, {_escape(patient.first_name)}</a> '
        f'<span class="muted small">{about}</span></th>'
        f"<td>{program}</td><td>{last_log}</td><td>{kept}</td><td>{where}</td>"
        f"<td>{alerts}</td></tr>\n"
    )


@register.filter
def adherence_cell(figures: Any) -> str:
    """The adherence figure as the patient list shows it, for the patient page."""
    labels: dict[Any, str] = {
        "new": _escape(gettext("New")),
        "nothing_due": _escape(gettext("nothing due yet")),
    }
    return mark_safe(_adherence_cell(figures, labels))  # noqa: S308 (escaped in there)


def _adherence_cell(figures: Any, labels: dict[Any, str]) -> str:
    """Sessions logged against prescribed over 7 days, with the trend: the list's
    cell and the patient page's figure."""
    if not figures.started:
        return '<span class="muted">—</span>'
    if figures.percent is None:
        return (
            f'<span class="badge badge--neutral">{labels["new"]}</span> '
            f'<span class="muted small">{labels["nothing_due"]}</span>'
        )
    week = figures.week
    sessions = _once(
        labels,
        ("sessions", week.logged, week.due),
        lambda: (
            gettext("%(logged)s of %(due)s sessions") % {"logged": week.logged, "due": week.due}
        ),
    )
    cell = (
        f'<span class="badge badge--{_escape(figures.level)}">{figures.percent}%</span> '
        f'<span class="muted small">{sessions}</span>'
    )
    if figures.trend:
        trend_label = _once(labels, ("trend", figures.trend), lambda: figures.trend_label)
        cell += (
            f' <span class="trend trend--{_escape(figures.trend)}" title="{trend_label}">'
            f'<span aria-hidden="true">{_escape(figures.trend_arrow)}</span>'
            f'<span class="visually-hidden">{trend_label}</span></span>'
        )
    return cell


def _suggestion_marker(patient: Any, link: str) -> str:
    """The "Ready to progress" / "Going back suggested" badge of a list row."""
    direction = patient.progress_suggestion
    if direction not in ("forward", "back", "reassess"):
        return ""
    step = {"step": patient.suggested_exercise.name if patient.suggested_exercise else ""}
    if direction == "forward":
        level, label = "success", gettext("Ready to progress")
        title = gettext("Ready to progress: consider %(step)s") % step
    elif direction == "reassess":
        level, label = "warning", gettext("Reassess")
        title = gettext("Reassess: %(step)s is not changing the symptoms") % step
    else:
        level, label = "warning", gettext("Going back suggested")
        title = gettext("Consider going back to %(step)s") % step
    hidden = gettext("consider %(step)s") % step
    return (
        f' <a class="badge badge--{level} suggestion-marker" href="{link}#suggestion"'
        f' title="{_escape(title)}">{_escape(label)}'
        f'<span class="visually-hidden">: {_escape(hidden)}</span></a>'
    )
