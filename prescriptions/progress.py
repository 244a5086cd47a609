"""How patients are doing, summed up for the dashboard in a fixed number of queries.

The patient list and the patient page both read these summaries, so a row in the
list and the header of the patient page always agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import (
    Case,
    Count,
    IntegerField,
    Value,
    When,
)
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from patients.models import Patient

from .models import LOCATION_RANK, Location, SymptomLog

ADHERENCE_DAYS = 7


def location_rank_expression() -> Case:
    """The SQL form of LOCATION_RANK, so the database can find the most distal location."""
    return Case(
        *[When(location=code, then=Value(rank)) for code, rank in LOCATION_RANK.items()],
        output_field=IntegerField(),
    )


@dataclass(frozen=True)
class Adherence:
    """Days with at least one log among the recent days the program was in use."""

    days_logged: int
    days_expected: int

    @property
    def percent(self) -> int | None:
        if not self.days_expected:
            return None
        return round(100 * min(self.days_logged, self.days_expected) / self.days_expected)

    @property
    def label(self) -> str:
        return _("%(logged)s of %(expected)s days") % {
            "logged": self.days_logged,
            "expected": self.days_expected,
        }

    @property
    def level(self) -> str:
        percent = self.percent
        if percent is None:
            return "neutral"
        if percent >= 70:
            return "success"
        if percent >= 40:
            return "warning"
        return "danger"


def expected_days(started_at: datetime | None, today: date) -> int:
    if started_at is None:
        return 0
    started = timezone.localdate(started_at)
    return max(0, min(ADHERENCE_DAYS, (today - started).days + 1))


def attach_adherence(patients: Iterable[Patient], *, today: date | None = None) -> None:
    """Set `patient.adherence` on the patients of a list or page, in one query."""
    patients = list(patients)
    today = today or timezone.localdate()
    window_start = timezone.make_aware(
        datetime.combine(today - timedelta(days=ADHERENCE_DAYS - 1), time.min)
    )
    logged = dict(
        SymptomLog.objects.filter(
            patient__in=[patient.pk for patient in patients], logged_at__gte=window_start
        )
        .annotate(day=TruncDate("logged_at"))
        .order_by()
        .values("patient")
        .annotate(days=Count("day", distinct=True))
        .values_list("patient", "days")
    )
    for patient in patients:
        # Without a program in use there is nothing to adhere to.
        expected = expected_days(patient.first_activated, today) if patient.active_version else 0
        patient.adherence = Adherence(min(logged.get(patient.pk, 0), expected), expected)


@dataclass(frozen=True)
class LocationTrend:
    """Where the pain reaches now against the first log: centralizing is good."""

    first: str | None
    latest: str | None

    @property
    def first_label(self) -> str:
        return Location(self.first).label if self.first else ""

    @property
    def latest_label(self) -> str:
        return Location(self.latest).label if self.latest else ""

    @property
    def direction(self) -> str:
        if not self.first or not self.latest:
            return ""
        delta = LOCATION_RANK[self.latest] - LOCATION_RANK[self.first]
        if delta < 0:
            return "centralizing"
        if delta > 0:
            return "peripheralizing"
        return "unchanged"

    @property
    def direction_label(self) -> str:
        return {
            "centralizing": _("centralizing"),
            "peripheralizing": _("peripheralizing"),
            "unchanged": _("unchanged"),
        }.get(self.direction, "")

    @property
    def level(self) -> str:
        return {"centralizing": "success", "peripheralizing": "danger"}.get(
            self.direction, "neutral"
        )


def location_trend(patient: Patient) -> LocationTrend:
    return LocationTrend(patient.first_location, patient.latest_location)
