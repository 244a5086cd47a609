"""The handout PDF against bare WeasyPrint, and served from the cache.

The bare document has what the handout has, without the product around it: the
same page count, the same drawings (and the portal's QR code) and the same text,
in plain paragraphs with WeasyPrint's defaults. Both are rendered in turn, round
after round, so that a busy neighbour on the machine slows both alike; the script
prints the median of the rounds' ratios (goal <= 1.3x).

Run: .venv/bin/python bench/bench_handout.py
It uses a throwaway SQLite file and no cache server.
"""

import io
import os
import re
import statistics
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser
from typing import Any

from benchkit import median_ms, setup_django, sqlite_env

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "15"))
# The parts of the handout measured alone, each against a bare document of its own.
PART_ROUNDS = int(os.environ.get("BENCH_PART_ROUNDS", "7"))
# Each cut removes one stretch of the template's markup, from its opening tag up to
# (not including) the opening tag after it.
FORMS = (
    r'<section class="schedule">.*?(?=<div class="log-sheet">)',
    r'<div class="log-sheet">.*?(?=<section class="checks">)',
    r'<section class="checks">.*?(?=</body>)',
)
AROUND_EXERCISES = (
    r'<div class="clinic-head">.*?(?=<article class="exercise">)',
    *FORMS,
)
PARTS = (
    ("without the three forms (schedule, log sheet, daily check)", FORMS),
    ("the exercise cards alone", AROUND_EXERCISES),
)
SERVES = 50
FOLDER = tempfile.TemporaryDirectory(dir="/tmp")
os.environ.update(sqlite_env(FOLDER.name, "bench-handout"))


class Contents(HTMLParser):
    """The text, the pictures and the inline SVG of an HTML document, and the
    drawings its stylesheets set as cell backgrounds (the forms' lines and boxes):
    each drawn cell is one more picture for the bare document."""

    def __init__(self) -> None:
        super().__init__()
        self.words: list[str] = []
        self.images: list[str] = []
        self.svgs: list[str] = []
        self._skip = 0
        self._svg: list[str] | None = None
        self._style: list[str] = []
        self._classes: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "td":
            self._classes.extend((dict(attrs).get("class") or "").split())
        if tag in ("style", "title"):
            self._skip += 1
        elif tag == "img":
            self.images.append(dict(attrs)["src"])
        elif tag == "svg":
            self._svg = []
        if self._svg is not None:
            rendered = "".join(f' {name}="{escape(value or "")}"' for name, value in attrs)
            self._svg.append(f"<{tag}{rendered}>")

    def handle_endtag(self, tag):
        if tag in ("style", "title"):
            self._skip -= 1
        if self._svg is not None:
            self._svg.append(f"</{tag}>")
            if tag == "svg":
                self.svgs.append("".join(self._svg))
                self._svg = None

    def handle_data(self, data):
        if self._skip and "url(data:" in data:
            self._style.append(data)
        if self._svg is not None:
            self._svg.append(escape(data))
        elif not self._skip:
            self.words.extend(data.split())

    def close(self):
        super().close()
        # ".schedule td.boxes-3 { ...url(data:...)...}": one drawing per cell of that class.
        for rule in re.finditer(r"td\.([\w-]+) \{[^}]*?url\((data:[^)]+)\)", "".join(self._style)):
            self.images.extend([rule[2]] * self._classes.count(rule[1]))


def bare_document(contents: Contents, pages: int, scale: float) -> str:
    """`pages` pages sharing the text and the pictures out evenly, with no stylesheet
    beyond the page breaks and the pictures' size (`scale` shrinks what overflows)."""
    words, pictures = (
        contents.words,
        [
            *(f'<img src="{src}" alt="">' for src in contents.images),
            *contents.svgs,
        ],
    )
    body = []
    for page in range(pages):
        text = words[len(words) * page // pages : len(words) * (page + 1) // pages]
        shown = pictures[len(pictures) * page // pages : len(pictures) * (page + 1) // pages]
        body.append(f'<div class="page">{"".join(shown)}<p>{" ".join(text)}</p></div>')
    style = (
        "<style>.page { break-after: page } .page:last-child { break-after: auto }"
        f" img, svg {{ width: {60 * scale:.0f}mm; height: auto }}"
        f" body {{ font-size: {10 * scale:.1f}pt }}</style>"
    )
    return f"<!doctype html><html><head>{style}</head><body>{''.join(body)}</body></html>"


@dataclass
class Comparison:
    took: float  # median ms of the document
    bare_took: float  # median ms of its bare document
    ratio: float  # median of the rounds' ratios
    pages: int
    bare_pages: int
    contents: Contents


def compare(html: str, render: Callable[[], bytes], fetcher: Any, rounds: int) -> Comparison:
    """Render a document (`render`, whose HTML is `html`) and a bare document of the
    same pages, drawings and text in turn, `rounds` times; one warm-up render first."""
    from pypdf import PdfReader
    from weasyprint import HTML

    pages = len(PdfReader(io.BytesIO(render())).pages)
    contents = Contents()
    contents.feed(html)
    contents.close()
    scale = 1.0
    while True:
        bare_html = bare_document(contents, pages, scale)
        if len(HTML(string=bare_html, url_fetcher=fetcher).render().pages) <= pages or scale < 0.3:
            break
        scale *= 0.85
    bare_pdf = HTML(string=bare_html, url_fetcher=fetcher).write_pdf()
    # Interleaved: each round renders both, so the machine's load falls on both alike.
    took, bare_took = [], []
    for _ in range(rounds):
        took.append(median_ms(render, 1))
        bare_took.append(
            median_ms(lambda: HTML(string=bare_html, url_fetcher=fetcher).write_pdf(), 1)
        )
    return Comparison(
        took=statistics.median(took),
        bare_took=statistics.median(bare_took),
        ratio=statistics.median(t / b for t, b in zip(took, bare_took, strict=True)),
        pages=pages,
        bare_pages=len(PdfReader(io.BytesIO(bare_pdf)).pages),
        contents=contents,
    )


def seven_exercise_program():
    from django.contrib.auth import get_user_model

    from clinics.models import Clinic, Therapist
    from exercises.models import Progression
    from patients.models import Patient
    from prescriptions.services import create_prescription, progression_items

    clinic = Clinic.objects.create(name="Bench Physio", slug="bench", phone="020 7946 0000")
    user = get_user_model().objects.create_user("bench-pt", first_name="Bea", last_name="Bench")
    Therapist.objects.create(user=user, clinic=clinic)
    patient = Patient.objects.create(clinic=clinic, first_name="Paula", last_name="Jones")
    extension = Progression.objects.builtin().get(slug="extension")
    prescription = create_prescription(
        patient=patient,
        by=user,
        items=progression_items(extension),
        progression=extension,
        activate=True,
    )
    return user, prescription


def main() -> None:
    setup_django()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from handouts.handout import handout_context
    from handouts.pdf import _fetcher, handout_html, handout_pdf, html_to_pdf, render_handout

    call_command("migrate", verbosity=0)
    user, prescription = seven_exercise_program()
    context = handout_context(prescription)
    html = handout_html(context)
    # The handout's own fetcher, which reads the drawings' data URLs (and no network).
    fetcher = _fetcher()
    whole = compare(html, lambda: render_handout(handout_context(prescription)), fetcher, ROUNDS)
    # Where the time goes: parts of the same handout, each against its own bare document.
    parts = []
    for label, cuts in PARTS:
        part = html
        for cut in cuts:
            part = re.sub(cut, "", part, count=1, flags=re.S)
        parts.append(
            (
                label,
                compare(part, lambda part=part: html_to_pdf(part, context), fetcher, PART_ROUNDS),
            )
        )

    cache.clear()
    handout_pdf(prescription)
    served = median_ms(lambda: handout_pdf(prescription), SERVES)
    client = Client()
    client.force_login(user)
    url = reverse("handouts:pdf", args=[prescription.pk])
    client.get(url)
    downloaded = median_ms(lambda: client.get(url), SERVES)

    contents = whole.contents
    print(f"Handout PDF, 7-exercise extension program ({whole.pages} pages, A4)")
    print(
        f"  bare WeasyPrint: {whole.bare_pages} pages, {len(contents.words)} words, "
        f"{len(contents.images)} drawings (the forms' drawn cells included) and "
        f"{len(contents.svgs)} inline SVG, as the handout"
    )
    print(f"  handout render (context, template, PDF):  {whole.took:7.1f} ms")
    print(f"  bare WeasyPrint render:                   {whole.bare_took:7.1f} ms")
    print(
        f"  handout / bare, median of {ROUNDS} interleaved rounds:      "
        f"{whole.ratio:5.2f}x  (goal <= 1.3x)"
    )
    print(f"  parts of the handout, each against its own bare document ({PART_ROUNDS} rounds):")
    for label, part in parts:
        print(
            f"    {label}: {part.pages} pages, {part.took:.0f} ms "
            f"against {part.bare_took:.0f} ms, {part.ratio:.2f}x"
        )
    print(f"  cached serve, median of {SERVES}:            {served:7.1f} ms   (goal < 20 ms)")
    print(f"  download view (cached, audited), median:   {downloaded:7.1f} ms")


if __name__ == "__main__":
    main()
