"""The printed handout's layout, read back from the real PDF: a realistic program of
seven exercises in English and Spanish, in normal and large print.

Each box of the handout (the safety boxes, the exercise cards, the week, the log
sheet and its rows, the groups of the daily check) carries an id, which the PDF keeps
as a named destination: its page and where on the page it starts. With the printed
characters and the drawn lines (pdfplumber), that is enough to see the page as a
reader does: what is split, what is left empty, what runs over a line.

The four PDFs are rendered once for the module; each check reads them.
"""

import datetime
import io
from dataclasses import dataclass

import pdfplumber
import pytest
from pypdf import PdfReader

from handouts.grids import TEXT_SIZE
from handouts.handout import handout_context
from handouts.pdf import handout_pdf
from tests.factories import make_long_extension_program

MM = 72 / 25.4  # points
SIDE_MARGIN = 14 * MM
BOTTOM_MARGIN = 17 * MM
# Closer than this to a drawn line, a letter touches it.
CLEARANCE = 0.3
LAYOUTS = [("en", False), ("es", False), ("en", True), ("es", True)]
LAYOUT_IDS = ["english", "spanish", "english-large", "spanish-large"]


@dataclass(frozen=True)
class Item:
    number: int
    name: str
    last_words: list[str]  # the last words of each step and of the caution
    sessions: int


@dataclass
class Printed:
    data: bytes
    items: list[Item]
    # Box id -> (page index, distance from the page's top in points).
    anchors: dict[str, tuple[int, float]]
    large_print: bool

    def boxes(self) -> list[str]:
        """The handout's boxes in reading order."""
        items = [item.number for item in self.items]
        return [
            "safety-stop",
            "safety-emergency",
            "safety-today",
            *(f"exercise-{number}" for number in items),
            "week",
            "log-sheet",
            *(f"log-{number}" for number in items),
            "daily-check",
            # Too tall for one page in large print, the check breaks between its groups.
            *(["check-emergency", "check-today"] if self.large_print else []),
        ]


_printed: dict[tuple[str, bool], Printed] = {}


def _anchors(data: bytes) -> dict[str, tuple[int, float]]:
    reader = PdfReader(io.BytesIO(data))
    anchors = {}
    for name, destination in reader.named_destinations.items():
        page = reader.get_destination_page_number(destination)
        height = float(reader.pages[page].mediabox.height)
        anchors[str(name).lstrip("/")] = (page, height - float(destination.top))
    return anchors


@pytest.fixture
def printed(clinic, patient, therapist):
    """The handout of Paula's seven exercises, in a language and a print size."""

    def get(language: str, large_print: bool) -> Printed:
        if (language, large_print) not in _printed:
            clinic.phone = "020 7946 0000"
            clinic.address = "12 Quay Street\nPortsmouth PO1 2AB"
            clinic.save()
            patient.preferred_language = language
            patient.save()
            program = make_long_extension_program(patient, therapist)
            program.review_on = datetime.date(2026, 12, 14)
            program.save()
            data = handout_pdf(program, large_print=large_print)
            # What the cards say, as the handout gathered it (without what the stop box
            # already says).
            items = [
                Item(
                    number=item["number"],
                    name=item["name"],
                    last_words=[
                        " ".join(text.split()[-3:])
                        for text in [*item["steps"], item["caution"]]
                        if text.strip()
                    ],
                    sessions=item["sessions"],
                )
                for item in handout_context(program, large_print=large_print)["items"]
            ]
            _printed[language, large_print] = Printed(data, items, _anchors(data), large_print)
        return _printed[language, large_print]

    return get


def ink_bottom(page) -> float:
    """Where the last printed thing on the page ends, above the footer's margin."""
    limit = page.height - BOTTOM_MARGIN - 0.5
    bottoms = [
        thing["bottom"]
        for thing in [*page.chars, *page.rects, *page.lines, *page.curves]
        if thing["top"] < limit
    ]
    return max(bottoms, default=0.0)


def ink_top(page) -> float:
    return min(
        (thing["top"] for thing in [*page.chars, *page.rects, *page.lines, *page.curves]),
        default=0.0,
    )


def page_words(page) -> str:
    # In the order the text was set, so a step is not interleaved with the column beside it.
    return " ".join((page.extract_text(use_text_flow=True) or "").split())


def squashed(text: str) -> str:
    """Without spaces and hyphens: a narrow column breaks words as "Repeti- tions"."""
    return "".join(text.split()).replace("-", "").replace("\N{HYPHEN}", "")


def text_chars(page) -> list[dict]:
    """The printed letters above the footer."""
    limit = page.height - BOTTOM_MARGIN
    return [char for char in page.chars if char["text"].strip() and char["bottom"] < limit]


@pytest.mark.parametrize(("language", "large_print"), LAYOUTS, ids=LAYOUT_IDS)
def test_every_box_of_the_handout_is_printed(printed, language, large_print):
    # The checks below find the boxes by their ids: a box without one would escape them.
    handout = printed(language, large_print)
    assert set(handout.boxes()) <= set(handout.anchors)


@pytest.mark.parametrize(("language", "large_print"), LAYOUTS, ids=LAYOUT_IDS)
def test_no_exercise_card_is_split_across_two_pages(printed, language, large_print):
    handout = printed(language, large_print)
    with pdfplumber.open(io.BytesIO(handout.data)) as pdf:
        pages = [squashed(page_words(page)) for page in pdf.pages]
    for item in handout.items:
        page, _top = handout.anchors[f"exercise-{item.number}"]
        assert squashed(item.name) in pages[page], item.name
        for words in item.last_words:
            # Each step and the caution end on the page where the card starts.
            assert squashed(words) in pages[page], (item.name, words, page + 1)


@pytest.mark.parametrize(("language", "large_print"), LAYOUTS, ids=LAYOUT_IDS)
def test_no_page_ends_early_where_the_next_box_would_have_fitted(printed, language, large_print):
    # A box that starts a page must have been too tall for the space left at the foot
    # of the page before: otherwise that page carries one box where two fit.
    handout = printed(language, large_print)
    boxes = [box for box in handout.boxes() if box in handout.anchors]
    with pdfplumber.open(io.BytesIO(handout.data)) as pdf:
        pages = pdf.pages
        for before, box, after in zip(boxes[:-1], boxes[1:], [*boxes[2:], None], strict=True):
            page, _top = handout.anchors[box]
            if handout.anchors[before][0] != page - 1:
                continue  # the same page, or the box before runs over several pages
            following = handout.anchors.get(after) if after else None
            end = following[1] if following and following[0] == page else ink_bottom(pages[page])
            # From the top of its page: a heading kept with the box moves with it.
            height = end - ink_top(pages[page])
            free = pages[page - 1].height - BOTTOM_MARGIN - ink_bottom(pages[page - 1])
            assert height > free - 1, (
                f"{box} ({height / MM:.0f} mm) starts page {page + 1}, but page {page} "
                f"has {free / MM:.0f} mm left at its foot"
            )


def _rules(page) -> tuple[list[dict], list[dict]]:
    """The page's drawn vertical and horizontal lines: table borders, the log's lines."""
    vertical, horizontal = [], []
    for thing in [*page.lines, *page.rects]:
        width, height = thing["x1"] - thing["x0"], thing["bottom"] - thing["top"]
        if width < 1.5 and height > 3:
            vertical.append(thing)
        elif height < 1.5 and width > 3:
            horizontal.append(thing)
    return vertical, horizontal


def _frames(page) -> list[dict]:
    """The drawn frames that hold text: the cards, the safety and dosage boxes (their
    rounded borders are curves) and the tick boxes (small squares)."""
    squares = [
        rect
        for rect in page.rects
        if 3 < rect["x1"] - rect["x0"] < 8 * MM and 3 < rect["bottom"] - rect["top"] < 8 * MM
    ]
    return [*(curve for curve in page.curves if curve["x1"] - curve["x0"] > 3), *squares]


@pytest.mark.parametrize(("language", "large_print"), LAYOUTS, ids=LAYOUT_IDS)
def test_no_text_runs_over_the_edge_of_its_box(printed, language, large_print):
    handout = printed(language, large_print)
    problems = []
    with pdfplumber.open(io.BytesIO(handout.data)) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            vertical, horizontal = _rules(page)
            frames = _frames(page)
            for char in text_chars(page):
                where = f"{char['text']!r} on page {number} at {char['x0'] / MM:.1f} mm"
                if char["x0"] < SIDE_MARGIN - 1 or char["x1"] > page.width - SIDE_MARGIN + 1:
                    problems.append(f"{where}: outside the text column")
                middle = (char["top"] + char["bottom"]) / 2
                for rule in vertical:
                    if rule["top"] < middle < rule["bottom"] and (
                        char["x0"] - CLEARANCE
                        < (rule["x0"] + rule["x1"]) / 2
                        < char["x1"] + CLEARANCE
                    ):
                        problems.append(f"{where}: touches a column's line")
                for rule in horizontal:
                    if rule["x0"] < (char["x0"] + char["x1"]) / 2 < rule["x1"] and (
                        char["top"] + 1 < (rule["top"] + rule["bottom"]) / 2 < char["bottom"] - 1
                    ):
                        problems.append(f"{where}: crossed by a line")
                centre = ((char["x0"] + char["x1"]) / 2, middle)
                for frame in frames:
                    inside = (
                        frame["x0"] < centre[0] < frame["x1"]
                        and frame["top"] < centre[1] < frame["bottom"]
                    )
                    if inside and not (
                        frame["x0"] + 1 < char["x0"]
                        and char["x1"] < frame["x1"] - 1
                        and frame["top"] < char["top"] + 1
                        and char["bottom"] - 1 < frame["bottom"]
                    ):
                        problems.append(f"{where}: touches the edge of a box")
    assert not problems, problems[:10]


def _tick_lines(handout: Printed) -> list[list[list[int]]]:
    """For each row of the week, in order: for each day, how many boxes each line of
    that day holds."""
    side = TEXT_SIZE[False] * 0.85 * MM
    first, _top = handout.anchors["week"]
    last, end = handout.anchors["log-sheet"]
    boxes = []
    with pdfplumber.open(io.BytesIO(handout.data)) as pdf:
        for number in range(first, last + 1):
            page = pdf.pages[number]
            for rect in page.rects:
                width, height = rect["x1"] - rect["x0"], rect["bottom"] - rect["top"]
                if (
                    side * 0.8 < width < side * 2
                    and abs(width - height) < 0.5
                    and (number < last or rect["top"] < end)
                ):
                    boxes.append((number, round(rect["top"], 1), rect["x0"]))
            column = (page.width - 2 * SIDE_MARGIN) / 7
    rows: list[list[tuple]] = []
    for box in sorted(boxes):
        # Lines of one row are a box and a gap apart; a row's heading parts two rows.
        if rows and rows[-1][-1][0] == box[0] and box[1] - rows[-1][-1][1] < side * 2:
            rows[-1].append(box)
        else:
            rows.append([box])
    found = []
    for row in rows:
        days: list[dict[float, int]] = [{} for _ in range(7)]
        for _page, top, left in row:
            day = int((left - SIDE_MARGIN) // column)
            days[day][top] = days[day].get(top, 0) + 1
        found.append([[line[top] for top in sorted(line)] for line in days])
    return found


@pytest.mark.parametrize(("language", "large_print"), LAYOUTS, ids=LAYOUT_IDS)
def test_a_days_tick_boxes_sit_in_one_row_or_in_even_rows(printed, language, large_print):
    handout = printed(language, large_print)
    week = _tick_lines(handout)
    assert len(week) == len(handout.items)
    for item, days in zip(handout.items, week, strict=True):
        for lines in days:
            assert sum(lines) == item.sessions, (item.name, lines)
            # Three a day sit side by side; six make two lines of three, never 2 + 1.
            assert len(set(lines)) == 1, (item.name, lines)
            if item.sessions <= 3:
                assert len(lines) == 1, (item.name, lines)


@pytest.mark.parametrize("large_print", [False, True], ids=["normal", "large"])
def test_spanish_runs_to_no_more_pages_than_english(printed, large_print):
    pages = {
        language: len(PdfReader(io.BytesIO(printed(language, large_print).data)).pages)
        for language in ("en", "es")
    }
    assert pages["es"] <= pages["en"], pages


def _column_lines(page, top: float) -> list[float]:
    """Where the vertical lines of a log row starting `top` points down the page stand,
    from the left, in millimetres."""
    vertical, _horizontal = _rules(page)
    return sorted(
        {
            round((rule["x0"] + rule["x1"]) / 2 / MM, 1)
            for rule in vertical
            if top - 1 < rule["top"] < top + 30 * MM
        }
    )


@pytest.mark.parametrize(("language", "large_print"), LAYOUTS, ids=LAYOUT_IDS)
def test_the_log_sheets_date_column_is_wide_enough_to_write_a_date_and_time(
    printed, language, large_print
):
    # "14/12 10:30" written by hand needs about 30 mm; the longer Spanish headings of
    # large print once squeezed it to 23.
    handout = printed(language, large_print)
    with pdfplumber.open(io.BytesIO(handout.data)) as pdf:
        for item in handout.items:
            page, top = handout.anchors[f"log-{item.number}"]
            lines = _column_lines(pdf.pages[page], top)
            assert len(lines) == 8, (item.name, lines)  # seven columns
            assert lines[1] - lines[0] >= 30, (item.name, lines)
