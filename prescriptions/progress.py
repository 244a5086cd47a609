"""How patients are doing, summed up for the dashboard in a fixed number of queries.

The patient list and the patient page both read these summaries, so a row in the
list and the header of the patient page always agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import (
    Case,
    IntegerField,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from patients.models import Patient

from .adherence import patient_figures
from .models import LOCATION_RANK, Location


def location_rank_expression() -> Case:
    """The SQL form of LOCATION_RANK, so the database can find the most distal location."""
    return Case(
        *[When(location=code, then=Value(rank)) for code, rank in LOCATION_RANK.items()],
        output_field=IntegerField(),
    )


def attach_adherence(
    patients: Iterable[Patient], *, full: bool = False, now: datetime | None = None
) -> None:
    """Set `patient.adherence_figures` on the patients of a list or page, from the
    overview stored on each (no query). `full` (the patient page) adds the figure since
    the start and the streak."""
    now = now or timezone.now()
    for patient in patients:
        patient.adherence_figures = patient_figures(patient, now, full=full, streak=full)


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
