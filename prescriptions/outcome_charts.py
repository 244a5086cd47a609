"""The outcome measures chart of the patient page, drawn on the server as SVG.

Pain (NPRS, lower is better) and function (PSFS, higher is better) share a 0 to
10 axis. For each, a dashed line marks the first score moved by the minimal
clinically important difference: crossing it is a change the patient notices.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .charts import day_axis, short_number
from .outcome_models import MCID, Instrument, OutcomeMeasure

WIDTH, HEIGHT = 700, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 150, 24, 36
COLOURS = {Instrument.NPRS: "#0f5e66", Instrument.PSFS: "#7a4b00"}


def outcome_chart(measures: Sequence[OutcomeMeasure], *, chart_id: str = "outcomes") -> SafeString:
    series = {
        instrument: [m for m in measures if m.instrument == instrument]
        for instrument in (Instrument.NPRS, Instrument.PSFS)
    }
    if not any(series.values()):
        return mark_safe("")
    days = [timezone.localdate(m.taken_at) for rows in series.values() for m in rows]
    start, end = min(days), max(days)
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    x = day_axis(start, end, LEFT, plot_width)

    def y(value: float) -> float:
        return TOP + plot_height * (1 - float(value) / 10)

    described = []
    for instrument, rows in series.items():
        if rows:
            described.append(
                _("%(name)s: %(first)s at first, %(last)s last.")
                % {
                    "name": Instrument(instrument).label,
                    "first": short_number(rows[0].score),
                    "last": short_number(rows[-1].score),
                }
            )
    out: list[str] = []
    add = out.append
    add(
        f'<svg class="outcome-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg" '
        f'font-family="system-ui, sans-serif" font-size="13">'
    )
    add(f'<title id="{chart_id}-title">{escape(_("Outcome measures over the episode"))}</title>')
    add(f'<desc id="{chart_id}-desc">{escape(" ".join(described))}</desc>')
    for value in (0, 5, 10):
        add(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
            f'stroke="#cfd8dc" stroke-width="1"/>'
        )
        add(
            f'<text x="{LEFT - 8}" y="{y(value) + 4:.1f}" text-anchor="end" fill="#4a5a5f">'
            f"{value}</text>"
        )
    label_ys: list[float] = []
    for instrument, rows in series.items():
        if not rows:
            continue
        colour = COLOURS[instrument]
        # The line the score must cross for a change that matters: down for pain, up
        # for function.
        target = rows[0].score + (
            -MCID[instrument] if instrument == Instrument.NPRS else MCID[instrument]
        )
        if 0 <= target <= 10:
            label_y = y(target) + 4
            # Two thresholds close together: the second label goes below the first.
            if any(abs(label_y - used) < 14 for used in label_ys):
                label_y = max(label_ys) + 14
            label_ys.append(label_y)
            add(
                f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(target):.1f}" '
                f'y2="{y(target):.1f}" stroke="{colour}" stroke-width="1.5" '
                f'stroke-dasharray="6 4"/>'
            )
            add(
                f'<text x="{WIDTH - RIGHT + 6}" y="{label_y:.1f}" fill="{colour}">'
                f"{escape(_('MCID %(name)s') % {'name': instrument.upper()})}</text>"
            )
        if len(rows) > 1:
            points = " ".join(
                f"{x(timezone.localdate(m.taken_at)):.1f},{y(m.score):.1f}" for m in rows
            )
            add(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2.5"/>')
        for m in rows:
            add(
                f'<circle cx="{x(timezone.localdate(m.taken_at)):.1f}" cy="{y(m.score):.1f}" '
                f'r="4" fill="{colour}"><title>'
                f"{escape(date_format(timezone.localdate(m.taken_at), 'MONTH_DAY_FORMAT'))}: "
                f"{escape(instrument.upper())} {escape(m.score_text)}</title></circle>"
            )
        last = rows[-1]
        add(
            f'<text x="{WIDTH - RIGHT + 6}" y="{y(last.score) - 6:.1f}" font-weight="600" '
            f'fill="{colour}">{escape(instrument.upper())}</text>'
        )
    for day, anchor in ((start, "start"), (end, "end")):
        add(
            f'<text x="{x(day):.1f}" y="{HEIGHT - 12}" text-anchor="{anchor}" fill="#4a5a5f">'
            f"{escape(date_format(day, 'MONTH_DAY_FORMAT'))}</text>"
        )
    add("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every piece of text above is escaped
