"""The symptom chart of the patient page: pain and where the pain reaches, per day.

Drawn on the server as SVG, so it needs no JavaScript, prints as it shows, and
reads the same in every browser. Lower is better in both panels: less pain, and
pain closer to the spine (centralization).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise

from django.db.models import Avg, Count, Max, Min
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from patients.models import Patient

from .models import LOCATION_RANK, Location, Prescription, SymptomLog
from .progress import location_rank_expression

WIDTH = 700
LEFT = 112
RIGHT = 16
PAIN_TOP, PAIN_HEIGHT = 28, 150
LOCATION_TOP, LOCATION_HEIGHT = PAIN_TOP + PAIN_HEIGHT + 56, 168
HEIGHT = LOCATION_TOP + LOCATION_HEIGHT + 34
MAX_DATE_LABELS = 6


@dataclass(frozen=True)
class DaySymptoms:
    day: date
    pain_mean: float
    pain_min: int
    pain_max: int
    worst_rank: int
    logs: int

    @property
    def pain(self) -> float:
        """The day's average pain, to one decimal."""
        return round(float(self.pain_mean), 1)

    @property
    def where(self) -> str:
        """The furthest the pain reached that day, in a short label for a chart."""
        return str(short_location_labels()[self.worst_rank])

    @property
    def worst_location(self) -> str:
        return Location.values[self.worst_rank]

    @property
    def worst_location_label(self) -> str:
        return Location(self.worst_location).label


def daily_symptoms(patient: Patient, *, days: int | None = None) -> list[DaySymptoms]:
    """One row per day with logs: pain (mean, lowest, highest) and the most distal location.

    The dashboard's chart and the patient's own progress charts both read it; `days`
    keeps only the last so many days.
    """
    logs = SymptomLog.objects.filter(patient=patient)
    if days is not None:
        logs = logs.filter(logged_at__gte=timezone.now() - timedelta(days=days))
    rows = (
        logs.annotate(day=TruncDate("logged_at"), rank=location_rank_expression())
        .order_by()
        .values("day")
        .annotate(
            pain_mean=Avg("pain"),
            pain_min=Min("pain"),
            pain_max=Max("pain"),
            worst_rank=Max("rank"),
            logs=Count("id"),
        )
        .order_by("day")
    )
    return [DaySymptoms(**row) for row in rows]


def short_location_labels() -> list[str]:
    """Chart labels for the locations, from the spine outwards: short enough for a phone."""
    labels = {
        Location.NONE: pgettext("chart axis", "No pain"),
        Location.CENTRAL: pgettext("chart axis", "Middle of back"),
        Location.ONE_SIDE: pgettext("chart axis", "Side of back"),
        Location.BUTTOCK: pgettext("chart axis", "Buttock"),
        Location.THIGH: pgettext("chart axis", "Thigh"),
        Location.BELOW_KNEE: pgettext("chart axis", "Below knee"),
        Location.FOOT: pgettext("chart axis", "Foot"),
    }
    return [labels[code] for code in sorted(LOCATION_RANK, key=LOCATION_RANK.get)]


def short_number(value: float) -> str:
    """A chart's number: one decimal at most, none when it is whole."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def day_axis(start: date, end: date, left: float, width: float) -> Callable[[date], float]:
    """Where a day falls on a chart's time axis from `left`, `width` wide (the middle
    when the chart covers a single day)."""
    span = max((end - start).days, 1)

    def x(day: date) -> float:
        if start == end:
            return left + width / 2
        return left + width * (day - start).days / span

    return x


def _describe(days: Sequence[DaySymptoms]) -> str:
    first, last = days[0], days[-1]
    parts = [
        _("Pain %(first)s out of 10 on %(first_day)s, %(last)s out of 10 on %(last_day)s.")
        % {
            "first": short_number(first.pain_mean),
            "first_day": date_format(first.day, "DATE_FORMAT"),
            "last": short_number(last.pain_mean),
            "last_day": date_format(last.day, "DATE_FORMAT"),
        },
        _("Pain reached: %(first)s at first, %(last)s on the last day.")
        % {
            "first": first.worst_location_label.lower(),
            "last": last.worst_location_label.lower(),
        },
    ]
    if last.worst_rank < first.worst_rank:
        parts.append(_("The pain has centralized."))
    elif last.worst_rank > first.worst_rank:
        parts.append(_("The pain has peripheralized."))
    return " ".join(parts)


def symptom_chart(
    days: Sequence[DaySymptoms],
    *,
    versions: Sequence[Prescription] = (),
    chart_id: str = "symptoms",
) -> SafeString:
    """The two-panel SVG for `days`, with a dashed line where each version started."""
    if not days:
        return mark_safe("")
    start, end = days[0].day, days[-1].day
    # A version started shortly before the first log, or after the last one,
    # still gets its marker: the chart then also shows the days without logs.
    started = [timezone.localdate(v.activated_at) for v in versions if v.activated_at]
    start = min([start, *(day for day in started if start - timedelta(days=14) <= day < start)])
    end = max([end, *(day for day in started if end < day <= timezone.localdate())])
    plot_width = WIDTH - LEFT - RIGHT
    x = day_axis(start, end, LEFT, plot_width)

    def y_pain(value: float) -> float:
        return PAIN_TOP + PAIN_HEIGHT * (1 - value / 10)

    top_rank = len(LOCATION_RANK) - 1

    def y_location(rank: int) -> float:
        return LOCATION_TOP + LOCATION_HEIGHT * (1 - rank / top_rank)

    out: list[str] = []
    add = out.append
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    add(
        f'<svg class="symptom-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{title_id} {desc_id}" xmlns="http://www.w3.org/2000/svg" '
        f'font-family="system-ui, sans-serif" font-size="13">'
    )
    add(f'<title id="{title_id}">{escape(_("Pain and where the pain reaches, per day"))}</title>')
    add(f'<desc id="{desc_id}">{escape(_describe(days))}</desc>')

    # Pain panel.
    add(
        f'<text x="{LEFT}" y="{PAIN_TOP - 12}" font-weight="600" fill="#1c2629">'
        f"{escape(_('Pain (0 to 10): daily average and range'))}</text>"
    )
    for value in (0, 5, 10):
        y = y_pain(value)
        add(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="#cfd8dc" stroke-width="1"/>'
        )
        add(f'<text x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end" fill="#4a5a5f">{value}</text>')
    if len(days) > 1:
        band = [f"{x(d.day):.1f},{y_pain(d.pain_max):.1f}" for d in days]
        band += [f"{x(d.day):.1f},{y_pain(d.pain_min):.1f}" for d in reversed(days)]
        add(f'<polygon class="chart-band" points="{" ".join(band)}" fill="#cfe6e8"/>')
        line = " ".join(f"{x(d.day):.1f},{y_pain(d.pain_mean):.1f}" for d in days)
        add(
            f'<polyline points="{line}" fill="none" stroke="#0f5e66" stroke-width="2.5" '
            f'stroke-linejoin="round"/>'
        )
    for d in days:
        cx = x(d.day)
        if d.pain_max != d.pain_min:
            add(
                f'<line x1="{cx:.1f}" x2="{cx:.1f}" y1="{y_pain(d.pain_max):.1f}" '
                f'y2="{y_pain(d.pain_min):.1f}" stroke="#0f5e66" stroke-width="1"/>'
            )
        pain = _("pain %(pain)s/10") % {"pain": short_number(d.pain_mean)}
        add(
            f'<circle cx="{cx:.1f}" cy="{y_pain(d.pain_mean):.1f}" r="3.5" fill="#0f5e66">'
            f"<title>{escape(date_format(d.day, 'MONTH_DAY_FORMAT'))}: "
            f"{escape(pain)}</title></circle>"
        )

    # Location panel: each day's most distal location.
    add(
        f'<text x="{LEFT}" y="{LOCATION_TOP - 14}" font-weight="600" fill="#1c2629">'
        f"{escape(_('Where the pain reaches: the furthest point each day'))}</text>"
    )
    for rank, label in enumerate(short_location_labels()):
        y = y_location(rank)
        add(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="#e3e9eb" stroke-width="1"/>'
        )
        add(
            f'<text x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end" fill="#4a5a5f">'
            f"{escape(label)}</text>"
        )
    if len(days) > 1:
        # A step line: the location holds until the next day with logs.
        points = []
        for previous, current in pairwise(days):
            points.append(f"{x(previous.day):.1f},{y_location(previous.worst_rank):.1f}")
            points.append(f"{x(current.day):.1f},{y_location(previous.worst_rank):.1f}")
        points.append(f"{x(days[-1].day):.1f},{y_location(days[-1].worst_rank):.1f}")
        add(
            f'<polyline points="{" ".join(points)}" fill="none" stroke="#7a4b00" '
            f'stroke-width="2.5" stroke-linejoin="round"/>'
        )
    for d in days:
        add(
            f'<rect x="{x(d.day) - 4:.1f}" y="{y_location(d.worst_rank) - 4:.1f}" width="8" '
            f'height="8" fill="#7a4b00"><title>{escape(date_format(d.day, "MONTH_DAY_FORMAT"))}: '
            f"{escape(d.worst_location_label)}</title></rect>"
        )

    # Where each version of the program started.
    for version in versions:
        if version.activated_at is None:
            continue
        day = timezone.localdate(version.activated_at)
        if not start <= day <= end:
            continue
        vx = x(day)
        add(
            f'<line x1="{vx:.1f}" x2="{vx:.1f}" y1="{PAIN_TOP:.1f}" '
            f'y2="{LOCATION_TOP + LOCATION_HEIGHT:.1f}" stroke="#4a5a5f" stroke-width="1" '
            f'stroke-dasharray="4 4"/>'
        )
        # Near the right edge the label goes on the left of its line.
        label_x, anchor = (vx - 4, "end") if vx > WIDTH - RIGHT - 30 else (vx + 4, "start")
        add(
            f'<text x="{label_x:.1f}" y="{PAIN_TOP + 12:.1f}" text-anchor="{anchor}" '
            f'fill="#4a5a5f">'
            f"{escape(_('v%(n)d') % {'n': version.version})}</text>"
        )

    # Dates along the bottom, evenly spread.
    count = min(MAX_DATE_LABELS, len(days))
    picks = sorted({round(i * (len(days) - 1) / max(count - 1, 1)) for i in range(count)})
    baseline = LOCATION_TOP + LOCATION_HEIGHT + 22
    for index in picks:
        d = days[index]
        anchor = "middle"
        if len(picks) > 1 and index == picks[0]:
            anchor = "start"
        elif len(picks) > 1 and index == picks[-1]:
            anchor = "end"
        add(
            f'<text x="{x(d.day):.1f}" y="{baseline}" text-anchor="{anchor}" fill="#4a5a5f">'
            f"{escape(date_format(d.day, 'MONTH_DAY_FORMAT'))}</text>"
        )
    add("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every piece of text above is escaped
