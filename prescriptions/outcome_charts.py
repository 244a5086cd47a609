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
from .outcome_models import MCID, THRESHOLD_KIND, Instrument, OutcomeMeasure

WIDTH, HEIGHT = 700, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 150, 24, 36
COLOURS = {Instrument.NPRS: "#0f5e66", Instrument.PSFS: "#7a4b00"}
# Right-margin labels: the distance between two labels' centres (13 px text), and
# the room left for the stroke that leads from a line to its label.
LABEL_GAP = 16
LEADER = 8


def threshold_label(instrument: str) -> str:
    """The name of a score's dashed line: pain's is a minimal clinically important
    difference, the PSFS's a minimal detectable change (not an MCID)."""
    if THRESHOLD_KIND.get(instrument) == "mdc":
        return _("MDC %(name)s") % {"name": instrument.upper()}
    return _("MCID %(name)s") % {"name": instrument.upper()}


def spread_labels(wanted: Sequence[float], *, gap: float, low: float, high: float) -> list[float]:
    """Centres for labels stacked in one column: each as near the height it wants
    as the others allow, at least `gap` apart, in the same top-to-bottom order as
    what they label, and between `low` and `high`.

    Labels that would overlap form a group spaced `gap` apart and centred on what
    its members want (the least squared shift); a group that then reaches the one
    above joins it, and so on.
    """
    groups: list[tuple[list[int], float]] = []  # (label indexes top to bottom, top centre)
    for index in sorted(range(len(wanted)), key=lambda i: wanted[i]):
        members, top = [index], min(max(wanted[index], low), high)
        while groups and groups[-1][1] + gap * len(groups[-1][0]) > top + 1e-6:
            members = groups.pop()[0] + members
            top = sum(wanted[i] - gap * k for k, i in enumerate(members)) / len(members)
            top = max(min(top, high - gap * (len(members) - 1)), low)
        groups.append((members, top))
    centres = [0.0] * len(wanted)
    for members, top in groups:
        for k, i in enumerate(members):
            centres[i] = top + gap * k
    return centres


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
    # Labels in the right margin, each wanting to sit level with its own line (the
    # threshold's dashed line, or the series' last point); placed together below.
    labels: list[tuple[float, str, str, bool]] = []
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
            add(
                f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(target):.1f}" '
                f'y2="{y(target):.1f}" stroke="{colour}" stroke-width="1.5" '
                f'stroke-dasharray="6 4"/>'
            )
            labels.append((y(target), threshold_label(instrument), colour, False))
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
        labels.append((y(rows[-1].score), instrument.upper(), colour, True))
    placed = spread_labels(
        [wanted for wanted, *_rest in labels], gap=LABEL_GAP, low=LABEL_GAP / 2, high=HEIGHT - 8
    )
    for (wanted, text, colour, bold), centre in zip(labels, placed, strict=True):
        if abs(centre - wanted) > 1:
            # Moved off its line to make room: a short stroke leads from the line to it.
            add(
                f'<line x1="{WIDTH - RIGHT}" x2="{WIDTH - RIGHT + LEADER}" y1="{wanted:.1f}" '
                f'y2="{centre:.1f}" stroke="{colour}" stroke-width="1"/>'
            )
        weight = ' font-weight="600"' if bold else ""
        add(
            f'<text x="{WIDTH - RIGHT + LEADER + 3}" y="{centre + 4.5:.1f}"{weight} '
            f'fill="{colour}">{escape(text)}</text>'
        )
    for day, anchor in ((start, "start"), (end, "end")):
        add(
            f'<text x="{x(day):.1f}" y="{HEIGHT - 12}" text-anchor="{anchor}" fill="#4a5a5f">'
            f"{escape(date_format(day, 'MONTH_DAY_FORMAT'))}</text>"
        )
    add("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every piece of text above is escaped
