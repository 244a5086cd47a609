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
from html import escape
from html.parser import HTMLParser

from benchkit import median_ms, setup_django, sqlite_env

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "15"))
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
    from pypdf import PdfReader
    from weasyprint import HTML

    from handouts.handout import handout_context
    from handouts.pdf import _fetcher, handout_html, handout_pdf, render_handout

    call_command("migrate", verbosity=0)
    user, prescription = seven_exercise_program()
    context = handout_context(prescription)
    pdf = render_handout(context)  # warm: fonts, stylesheet, drawings and templates
    pages = len(PdfReader(io.BytesIO(pdf)).pages)

    contents = Contents()
    contents.feed(handout_html(context))
    contents.close()
    # The handout's own fetcher, which reads the drawings' data URLs (and no network).
    fetcher = _fetcher()
    scale = 1.0
    while True:
        bare_html = bare_document(contents, pages, scale)
        if len(HTML(string=bare_html, url_fetcher=fetcher).render().pages) <= pages or scale < 0.3:
            break
        scale *= 0.85
    bare_pdf = HTML(string=bare_html, url_fetcher=fetcher).write_pdf()
    bare_pages = len(PdfReader(io.BytesIO(bare_pdf)).pages)

    def handout() -> None:
        render_handout(handout_context(prescription))

    def bare() -> None:
        HTML(string=bare_html, url_fetcher=fetcher).write_pdf()

    # Interleaved: each round renders both, so the machine's load falls on both alike.
    handouts, bares = [], []
    for _ in range(ROUNDS):
        handouts.append(median_ms(handout, 1))
        bares.append(median_ms(bare, 1))
    ratios = [h / b for h, b in zip(handouts, bares, strict=True)]

    cache.clear()
    handout_pdf(prescription)
    served = median_ms(lambda: handout_pdf(prescription), SERVES)
    client = Client()
    client.force_login(user)
    url = reverse("handouts:pdf", args=[prescription.pk])
    client.get(url)
    downloaded = median_ms(lambda: client.get(url), SERVES)

    print(f"Handout PDF, 7-exercise extension program ({pages} pages, A4)")
    print(
        f"  bare WeasyPrint: {bare_pages} pages, {len(contents.words)} words, "
        f"{len(contents.images)} drawings (the forms' drawn cells included) and "
        f"{len(contents.svgs)} inline SVG, as the handout"
    )
    print(f"  handout render (context, template, PDF):  {statistics.median(handouts):7.1f} ms")
    print(f"  bare WeasyPrint render:                   {statistics.median(bares):7.1f} ms")
    print(
        f"  handout / bare, median of {ROUNDS} interleaved rounds:      "
        f"{statistics.median(ratios):5.2f}x  (goal <= 1.3x)"
    )
    print(f"  cached serve, median of {SERVES}:            {served:7.1f} ms   (goal < 20 ms)")
    print(f"  download view (cached, audited), median:   {downloaded:7.1f} ms")


if __name__ == "__main__":
    main()
