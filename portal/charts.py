"""The two small charts of My progress: the days come from the core's
`prescriptions.charts.daily_symptoms` (the same figures as the therapist's chart),
`line_chart` places them for a phone screen and a template draws the SVG."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils import formats

from prescriptions.charts import DaySymptoms, short_location_labels


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
    chart.x_labels = [(chart.points[0].x, formats.date_format(first, "MONTH_DAY_FORMAT"))]
    if span:
        chart.x_labels.append((chart.points[-1].x, formats.date_format(last, "MONTH_DAY_FORMAT")))
    return chart


def pain_chart(days: list[DaySymptoms]) -> Chart:
    return line_chart(
        [(d.day, d.pain, f"{d.pain:g}/10") for d in days],
        y_max=10,
        y_ticks=[(n, str(n)) for n in (0, 2, 4, 6, 8, 10)],
    )


def location_chart(days: list[DaySymptoms]) -> Chart:
    labels = short_location_labels()
    return line_chart(
        [(d.day, d.worst_rank, d.where) for d in days],
        y_max=len(labels) - 1,
        y_ticks=list(enumerate(labels)),
        left=100,
    )
