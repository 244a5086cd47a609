"""The two small charts of My progress: the data is gathered by `daily_progress`
and turned into coordinates by `line_chart`; a template draws the SVG."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Avg, Case, IntegerField, Max, QuerySet, Value, When
from django.db.models.functions import TruncDate
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from prescriptions.models import LOCATION_RANK, Location

# Short labels: the chart is read on a 375 px phone.
LOCATION_SHORT = {
    Location.NONE: _("No pain"),
    Location.CENTRAL: _("Middle of back"),
    Location.ONE_SIDE: _("Side of back"),
    Location.BUTTOCK: _("Buttock"),
    Location.THIGH: _("Thigh"),
    Location.BELOW_KNEE: _("Below knee"),
    Location.FOOT: _("Foot"),
}


@dataclass(frozen=True)
class Day:
    day: date
    pain: float  # the day's average
    rank: int  # the furthest the pain reached that day

    @property
    def where(self) -> str:
        return str(LOCATION_SHORT[list(LOCATION_RANK)[self.rank]])


def daily_progress(logs: QuerySet, *, days: int = 60) -> list[Day]:
    """One point per day with logs in the last `days` days, oldest first."""
    since = timezone.now() - timedelta(days=days)
    rank = Case(
        *(When(location=code, then=Value(n)) for code, n in LOCATION_RANK.items()),
        output_field=IntegerField(),
    )
    rows = (
        logs.filter(logged_at__gte=since)
        .annotate(day=TruncDate("logged_at"), rank=rank)
        .order_by()
        .values("day")
        .annotate(pain=Avg("pain"), furthest=Max("rank"))
        .order_by("day")
    )
    return [Day(row["day"], round(float(row["pain"]), 1), row["furthest"]) for row in rows]


@dataclass
class Point:
    x: float
    y: float
    day: date
    value_label: str


@dataclass
class Chart:
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    points: list[Point] = field(default_factory=list)
    y_ticks: list[tuple[float, str]] = field(default_factory=list)
    x_labels: list[tuple[float, str]] = field(default_factory=list)
    path: str = ""


def line_chart(
    values: list[tuple[date, float, str]],
    *,
    y_max: float,
    y_ticks: list[tuple[float, str]],
    width: int = 320,
    height: int = 190,
    left: int = 34,
) -> Chart:
    """Place (day, value, label) points on a time axis; x is proportional to the date."""
    top, bottom, right = 10, height - 28, width - 12
    chart = Chart(width, height, left, right, top, bottom)

    def y_of(value: float) -> float:
        return round(bottom - (bottom - top) * value / y_max, 1)

    chart.y_ticks = [(y_of(value), str(label)) for value, label in y_ticks]
    if not values:
        return chart
    first, last = values[0][0], values[-1][0]
    span = (last - first).days
    for day, value, label in values:
        x = (left + right) / 2 if span == 0 else left + (right - left) * (day - first).days / span
        chart.points.append(Point(round(x, 1), y_of(value), day, label))
    chart.path = "M " + " L ".join(f"{p.x} {p.y}" for p in chart.points)
    chart.x_labels = [(chart.points[0].x, formats.date_format(first, "M j"))]
    if span:
        chart.x_labels.append((chart.points[-1].x, formats.date_format(last, "M j")))
    return chart


def pain_chart(days: list[Day]) -> Chart:
    return line_chart(
        [(d.day, d.pain, f"{d.pain:g}/10") for d in days],
        y_max=10,
        y_ticks=[(n, str(n)) for n in (0, 2, 4, 6, 8, 10)],
    )


def location_chart(days: list[Day]) -> Chart:
    codes = list(LOCATION_RANK)
    return line_chart(
        [(d.day, d.rank, str(LOCATION_SHORT[codes[d.rank]])) for d in days],
        y_max=len(codes) - 1,
        y_ticks=[(rank, LOCATION_SHORT[code]) for code, rank in LOCATION_RANK.items()],
        left=100,
    )
