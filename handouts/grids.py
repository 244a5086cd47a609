"""The handout's forms to fill in by hand: the weekly schedule, the log table and
the daily check. Their words are HTML table cells; their empty lines and tick
boxes are SVG drawings set as the background of one cell per row.

As HTML tables of empty cells they were about a thousand cells, and WeasyPrint
lays out, styles and tags every cell: they made the handout render several times
slower than its text and drawings. Now a row is one or two cells of words and one
drawn cell. (WeasyPrint sets SVG text letter by letter, so the words stay HTML:
real text, searchable, read in order.) As backgrounds, the drawings are marked as
decoration in the tagged PDF, so a screen reader reads the words and skips the
boxes.

Lengths are in millimetres. A form is as wide as the page's text column, so its
columns get widths in millimetres, and the drawings line up with them.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

# The text column: the page's width less the handout's side margins (14 mm each).
PAGE_WIDTHS = {"A4": 210.0, "LETTER": 215.9}
SIDE_MARGINS = 28.0
POINT = 25.4 / 72  # millimetres
# The handout's text size (handout.css): normal and large print.
TEXT_SIZE = {False: 11.5 * POINT, True: 14.5 * POINT}
# The daily check's question column, of the text column.
QUESTION_SHARE = 0.5
RULE = 0.6 * POINT
RULE_COLOUR = "#777"
INK = "#111"
# Left and right padding of a cell (handout.css: .form th, .form td).
CELL_PADDING = 1.2
# A log line to write on: 7.5 mm (wide-ruled paper's height, and four exercises'
# week of lines fit on a page), 9.6 mm in large print.
WRITING_LINE = {False: 7.5, True: 9.6}
# The log's date column: room to write "14/12 10:30" by hand. Without a floor, the
# longer Spanish headings of large print left it about 23 mm. A layout value, no
# clinical source.
DATE_COLUMN = 30.0
# Where Debian and most systems keep their fonts; DejaVu is what the handout sets.
FONT_FOLDERS = ("/usr/share/fonts", "/usr/local/share/fonts")
BOLD_FONT = "DejaVuSans-Bold.ttf"
REGULAR_FONT = "DejaVuSans.ttf"
# When the font file cannot be read: an average advance, on the wide side.
FALLBACK_ADVANCE = {True: 0.7, False: 0.63}


def text_column_width(paper_size: str) -> float:
    return PAGE_WIDTHS.get(paper_size, PAGE_WIDTHS["A4"]) - SIDE_MARGINS


@lru_cache(maxsize=2)
def _advances(bold: bool) -> tuple[dict[int, float], float] | None:
    """Each character's advance in ems in DejaVu Sans, bold or regular."""
    name = BOLD_FONT if bold else REGULAR_FONT
    try:
        from fontTools.ttLib import TTFont

        path = next(found for folder in FONT_FOLDERS for found in Path(folder).rglob(name))
        font = TTFont(path, lazy=True)
        units = font["head"].unitsPerEm
        metrics = font["hmtx"].metrics
        advances = {code: metrics[glyph][0] / units for code, glyph in font.getBestCmap().items()}
        return advances, metrics[".notdef"][0] / units
    except Exception:  # no such font here: estimate instead
        return None


def text_width(text: str, size: float, *, bold: bool = True) -> float:
    """How wide `text` is set in DejaVu Sans at `size` (millimetres)."""
    found = _advances(bold)
    if found is None:
        return len(text) * FALLBACK_ADVANCE[bold] * size
    advances, missing = found
    return sum(advances.get(ord(char), missing) for char in text) * size


def fitted_widths(
    labels: list[str],
    shares: list[float],
    width: float,
    size: float,
    *,
    bold: bool = True,
    floors: list[float] | None = None,
) -> list[float]:
    """Column widths from their shares of `width`, each widened to hold the longest
    word of its heading (so no heading word is broken), and to its floor if it has one,
    where the others have room."""
    least = [
        max(
            max((text_width(word, size, bold=bold) for word in label.split()), default=0.0)
            + 2 * CELL_PADDING
            + 0.5,  # borders and rounding
            floor,
        )
        for label, floor in zip(labels, floors or [0.0] * len(labels), strict=True)
    ]
    total = sum(shares)
    widths = [width * share / total for share in shares]
    short = sum(max(0.0, need - have) for need, have in zip(least, widths, strict=True))
    spare = sum(max(0.0, have - need) for need, have in zip(least, widths, strict=True))
    if short <= 0 or spare <= 0:
        return widths
    give = min(1.0, short / spare)
    return [
        need if need > have else have - (have - need) * give
        for need, have in zip(least, widths, strict=True)
    ]


@dataclass(frozen=True)
class Drawing:
    """An SVG picture and its size in millimetres."""

    svg: str
    width: float
    height: float

    @property
    def url(self) -> str:
        """The picture as a data URL, for a CSS background (handouts.pdf lets the
        renderer read data URLs of SVG and nothing else)."""
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode()


def _svg(width: float, height: float, body: str, stretch: bool = False) -> Drawing:
    # Stretched (no aspect ratio kept): it fills its cell whatever the row's height.
    ratio = ' preserveAspectRatio="none"' if stretch else ""
    return Drawing(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.2f}mm" height="{height:.2f}mm" '
        f'viewBox="0 0 {width:.2f} {height:.2f}"{ratio}>{body}</svg>',
        width,
        height,
    )


def _box(x: float, y: float, side: float) -> str:
    return f"M{x:.2f} {y:.2f}h{side:.2f}v{side:.2f}h{-side:.2f}z"


def _rules(path: str, colour: str = RULE_COLOUR, width: float = RULE) -> str:
    return f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="{width:.3f}"/>'


def log_widths(labels: list[str], *, paper_size: str, large: bool) -> list[float]:
    """The log table's column widths: the paper-entry form's questions, in its order.

    The date and time are written out by hand ("14/12 10:30"); the other columns take a
    number or a one-letter code, so the date gets the largest share and never less than
    DATE_COLUMN. In large print the headings are set in regular weight (handout.css):
    in bold, the Spanish headings' long words ("Repeticiones") left no 30 mm for the date."""
    return fitted_widths(
        labels,
        [24, 10, 14, 12, 14, 13, 13],
        text_column_width(paper_size),
        TEXT_SIZE[large],
        bold=not large,
        floors=[DATE_COLUMN, *[0.0] * (len(labels) - 1)],
    )


@lru_cache(maxsize=32)
def log_lines(widths: tuple[float, ...], lines: int, line: float) -> Drawing:
    """`lines` lines to write on, ruled at the top and between the columns."""
    width, height = sum(widths), lines * line
    path = [f"M0 {row * line + RULE / 2:.2f}H{width:.2f}" for row in range(lines)]
    x = 0.0
    for column in widths[:-1]:
        x += column
        path.append(f"M{x:.2f} 0V{height:.2f}")
    return _svg(width, height, _rules("".join(path)))


def day_widths(paper_size: str, first_columns: float, days: int) -> float:
    """The width of each day column once the first columns have theirs."""
    return (text_column_width(paper_size) - first_columns) / days


def boxes_per_line(sessions: int, day_width: float, large: bool) -> int:
    """How many of a day's `sessions` tick boxes sit side by side: as many as the day
    column holds, spread evenly over the lines they need (six in a column that holds
    four make two lines of three, never four and two; three never wrap as two and one
    where three fit)."""
    side = TEXT_SIZE[large] * 0.85
    gap = side * 0.4
    most = max(1, int((day_width - 2 * CELL_PADDING + gap) // (side + gap)))
    lines = -(-sessions // most)
    return -(-sessions // lines)


@lru_cache(maxsize=64)
def tick_boxes(sessions: int, days: int, day_width: float, large: bool) -> Drawing:
    """A box per session in each of `days` day columns."""
    side = TEXT_SIZE[large] * 0.85  # a little taller than a capital letter
    gap = side * 0.4
    per_line = boxes_per_line(sessions, day_width, large)
    rows = -(-sessions // per_line)
    height = rows * side + (rows - 1) * gap + 2 * gap
    row_width = min(sessions, per_line) * (side + gap) - gap
    boxes = []
    for day in range(days):
        left = day * day_width + (day_width - row_width) / 2
        for session in range(sessions):
            row, place = divmod(session, per_line)
            boxes.append(_box(left + place * (side + gap), gap + row * (side + gap), side))
    return _svg(days * day_width, height, _rules("".join(boxes), INK, 0.9 * POINT))


@lru_cache(maxsize=16)
def yes_no_boxes(days: int, day_width: float, large: bool) -> Drawing:
    """Two boxes in the middle of each day column, one above the other: the upper
    for yes, the lower for no (the first column's heading says so)."""
    side = TEXT_SIZE[large] * 0.85
    gap = side * 0.5
    boxes = [
        _box((day + 0.5) * day_width - side / 2, gap + row * (side + gap), side)
        for day in range(days)
        for row in (0, 1)
    ]
    return _svg(days * day_width, 2 * side + 3 * gap, _rules("".join(boxes), INK, 0.9 * POINT))


@lru_cache(maxsize=16)
def day_rules(days: int, day_width: float) -> Drawing:
    """A rule between each two day columns, stretched to the height of its cell (the
    cell's own border draws the last one)."""
    path = "".join(f"M{day * day_width:.2f} 0V1" for day in range(1, days))
    return _svg(days * day_width, 1, _rules(path), stretch=True)


def forms(context: dict[str, Any]) -> dict[str, Any]:
    """The column widths of the week, the log table and the daily check, and the
    stylesheet that draws their lines and boxes, for a handout context (see
    `handouts.handout`); made when a PDF is rendered."""
    paper, large, days = context["paper_size"], context["large_print"], len(context["week_days"])
    # The week names each exercise on a line of its own above its boxes, so the seven
    # days share the whole width: three boxes a day fit side by side even in large print.
    day_width = day_widths(paper, 0.0, days)
    question_width = text_column_width(paper) * QUESTION_SHARE
    check_day_width = day_widths(paper, question_width, days)
    labels = [
        _("Date and time"),
        _("Sets done"),
        _("Repetitions done"),
        _("Pain now (0 to 10)"),
        _("Where the pain reaches"),
        _("During the exercise"),
        _("After the exercise"),
    ]
    widths = log_widths(labels, paper_size=paper, large=large)
    lines = log_lines(
        tuple(round(width, 2) for width in widths), context["log_lines"], WRITING_LINE[large]
    )
    yes_no = yes_no_boxes(days, check_day_width, large)
    check_rules = day_rules(days, check_day_width).url
    schedule_rules = day_rules(days, day_width).url
    css = [
        f".log td.lines {{ padding-bottom: {lines.height:.2f}mm;"
        f" background-image: url({lines.url}); }}",
        f".checks td.answers {{ height: {yes_no.height:.2f}mm; background-image: url({yes_no.url}),"
        f" url({check_rules}); }}",
    ]
    for sessions in sorted({item["sessions"] for item in context["items"]}):
        boxes = tick_boxes(sessions, days, day_width, large)
        css.append(
            f".schedule .form .boxes-{sessions} {{ padding-bottom: {boxes.height:.2f}mm;"
            f" background-image: url({boxes.url}), url({schedule_rules});"
            f" background-size: auto, 100% {boxes.height:.2f}mm; }}"
        )
    # Lengths as text: a number in a template would be written with the language's
    # decimal comma, which CSS does not read.
    return {
        "forms_css": "\n".join(css),
        "schedule_widths": {"day": f"{day_width:.3f}"},
        "log_columns": [
            (label, f"{width:.3f}") for label, width in zip(labels, widths, strict=True)
        ],
        "check_widths": {"question": f"{question_width:.3f}", "day": f"{check_day_width:.3f}"},
    }
