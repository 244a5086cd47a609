"""The assessments chart of the patient page: at each assessment, back and leg pain,
where the pain reached and the classification, drawn on the server as SVG like the
symptom chart (no JavaScript, prints as it shows). One column per visit."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from patients.models import LOCATION_RANK, Location

from .models import Assessment

WIDTH = 700
LEFT = 170
RIGHT = 24
PAIN_TOP, PAIN_HEIGHT = 40, 120
LOCATION_TOP, LOCATION_HEIGHT = PAIN_TOP + PAIN_HEIGHT + 50, 150
HEIGHT = LOCATION_TOP + LOCATION_HEIGHT + 56
BACK, LEG, WHERE = "#0f5e66", "#7a2e8a", "#7a4b00"


def _describe(assessments: Sequence[Assessment]) -> str:
    first, last = assessments[0], assessments[-1]
    text = _(
        "%(count)d assessments. First, %(first_date)s: back pain %(first_back)d, leg pain "
        "%(first_leg)d, pain reaching the %(first_where)s. Last, %(last_date)s: back pain "
        "%(last_back)d, leg pain %(last_leg)d, pain reaching the %(last_where)s."
    ) % {
        "count": len(assessments),
        "first_date": date_format(first.assessed_on),
        "first_back": first.back_pain,
        "first_leg": first.leg_pain,
        "first_where": first.get_location_display().lower(),
        "last_date": date_format(last.assessed_on),
        "last_back": last.back_pain,
        "last_leg": last.leg_pain,
        "last_where": last.get_location_display().lower(),
    }
    if LOCATION_RANK[last.location] < LOCATION_RANK[first.location]:
        text += " " + _("The pain has centralized.")
    elif LOCATION_RANK[last.location] > LOCATION_RANK[first.location]:
        text += " " + _("The pain has peripheralized.")
    return text


def assessment_chart(assessments: Sequence[Assessment]) -> SafeString:
    """Both panels for `assessments` (oldest first); empty with fewer than two."""
    if len(assessments) < 2:
        return mark_safe("")
    step = (WIDTH - LEFT - RIGHT) / (len(assessments) - 1)

    def x(index: int) -> float:
        return LEFT + step * index

    def y_pain(value: int) -> float:
        return PAIN_TOP + PAIN_HEIGHT * (1 - value / 10)

    top_rank = len(LOCATION_RANK) - 1

    def y_location(code: str) -> float:
        return LOCATION_TOP + LOCATION_HEIGHT * (1 - LOCATION_RANK[code] / top_rank)

    out: list[str] = []
    add = out.append
    add(
        f'<svg class="assessment-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="assessments-title assessments-desc" '
        f'xmlns="http://www.w3.org/2000/svg" font-family="system-ui, sans-serif" font-size="13">'
    )
    add(f'<title id="assessments-title">{escape(_("Baseline at each assessment"))}</title>')
    add(f'<desc id="assessments-desc">{escape(_describe(assessments))}</desc>')
    add(
        f'<text x="{LEFT}" y="{PAIN_TOP - 18}" font-weight="600" fill="#1c2629">'
        f"{escape(_('Pain (0 to 10)'))}</text>"
        f'<text x="{WIDTH - RIGHT}" y="{PAIN_TOP - 18}" text-anchor="end" fill="{BACK}">'
        f"● {escape(_('back'))}</text>"
        f'<text x="{WIDTH - RIGHT - 70}" y="{PAIN_TOP - 18}" text-anchor="end" fill="{LEG}">'
        f"■ {escape(_('leg'))}</text>"
    )
    for value in (0, 5, 10):
        y = y_pain(value)
        add(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#cfd8dc"/>'
            f'<text x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end" fill="#4a5a5f">{value}</text>'
        )
    for field, colour, dash in (
        ("back_pain", BACK, ""),
        ("leg_pain", LEG, ' stroke-dasharray="6 4"'),
    ):
        points = " ".join(
            f"{x(i):.1f},{y_pain(getattr(a, field)):.1f}" for i, a in enumerate(assessments)
        )
        add(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2.5"{dash}/>')
    for i, a in enumerate(assessments):
        add(
            f'<circle cx="{x(i):.1f}" cy="{y_pain(a.back_pain):.1f}" r="4" fill="{BACK}"/>'
            f'<rect x="{x(i) - 4:.1f}" y="{y_pain(a.leg_pain) - 4:.1f}" width="8" height="8" '
            f'fill="{LEG}"/>'
        )
    add(
        f'<text x="{LEFT}" y="{LOCATION_TOP - 16}" font-weight="600" fill="#1c2629">'
        f"{escape(_('Where the pain reaches'))}</text>"
    )
    for code, label in Location.choices:
        y = y_location(code)
        add(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e3e9eb"/>'
            f'<text x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end" fill="#4a5a5f">'
            f"{escape(label)}</text>"
        )
    points = " ".join(f"{x(i):.1f},{y_location(a.location):.1f}" for i, a in enumerate(assessments))
    add(f'<polyline points="{points}" fill="none" stroke="{WHERE}" stroke-width="2.5"/>')
    bottom = LOCATION_TOP + LOCATION_HEIGHT
    for i, a in enumerate(assessments):
        anchor = "start" if i == 0 else "end" if i == len(assessments) - 1 else "middle"
        add(
            f'<rect x="{x(i) - 4:.1f}" y="{y_location(a.location) - 4:.1f}" width="8" height="8" '
            f'fill="{WHERE}"/>'
            f'<text x="{x(i):.1f}" y="{bottom + 22}" text-anchor="{anchor}" fill="#4a5a5f">'
            f"{escape(date_format(a.assessed_on, 'MONTH_DAY_FORMAT'))}</text>"
            f'<text x="{x(i):.1f}" y="{bottom + 40}" text-anchor="{anchor}" fill="#1c2629">'
            f"{escape(a.classification_label)}</text>"
        )
    add("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every piece of text above is escaped
