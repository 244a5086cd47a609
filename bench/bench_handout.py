"""The handout PDF against bare WeasyPrint, and served from the cache; then a busy
hour of downloads after the worker has rendered every copy ahead.

The bare document has what the handout has, without the product around it: the
same page count, the same drawings (and the portal's QR code) and the same text,
in plain paragraphs with WeasyPrint's defaults. Both are rendered in turn, round
after round, so that a busy neighbour on the machine slows both alike; the script
prints the median of the rounds' ratios (goal <= 1.3x).

The busy hour: programs of BENCH_HANDOUT_PATIENTS patients (English and Spanish,
some in large print) are activated and the worker works through its queue, as after
a morning of appointments; then BENCH_HANDOUT_DOWNLOADS downloads of every kind
(patients, therapists, the API in either language and size) with an empty cache.
It prints the share served from a stored copy (goal: all of them) and what one
cold render costs, which every copy pays once after a change of the template or the
stylesheet.

Run: .venv/bin/python bench/bench_handout.py
It uses a throwaway SQLite file and no cache server.
"""

import io
import logging
import os
import random
import re
import statistics
import tempfile
import time
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
BUSY_PATIENTS = int(os.environ.get("BENCH_HANDOUT_PATIENTS", "8"))
BUSY_DOWNLOADS = int(os.environ.get("BENCH_HANDOUT_DOWNLOADS", "200"))
FOLDER = tempfile.TemporaryDirectory(dir="/tmp")
os.environ.update(
    sqlite_env(FOLDER.name, "bench-handout", PRIVATE_FILES_ROOT=f"{FOLDER.name}/private")
)


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


class Sources(logging.Handler):
    """The source of each download, from the views' log line."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.sources: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if "served (source" in record.msg:
            self.sources.append(record.args[1])


@dataclass
class BusyHour:
    activations: int
    worker_s: float  # the worker's time for all the activations
    stored: int  # copies in the store after it
    downloads: list[tuple[str, float]]  # (source, ms) of each


def busy_hour(user, prescription, sources: Sources) -> BusyHour:
    """Programs activated and rendered ahead by the worker, then a mix of downloads."""
    from django.conf import settings
    from django.core.cache import cache
    from django.test import Client, override_settings
    from django.urls import reverse
    from django_tasks_db.management.commands.db_worker import Worker

    from api.models import create_api_key
    from exercises.models import Progression
    from handouts.stored import FOLDER as STORED
    from handouts.stored import handout_storage
    from patients.models import Patient
    from prescriptions.services import create_prescription, progression_items

    extension = Progression.objects.builtin().get(slug="extension")
    queued = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    programs = []
    with override_settings(TASKS=queued):
        for number in range(BUSY_PATIENTS):
            patient = Patient.objects.create(
                clinic=prescription.patient.clinic,
                first_name=f"Busy{number}",
                last_name="Patient",
                preferred_language="es" if number % 2 else "en",
                large_print=number % 3 == 0,
            )
            patient.user = type(user).objects.create_user(f"busy-{number}")
            patient.save(update_fields=["user"])
            programs.append(
                create_prescription(
                    patient=patient,
                    by=user,
                    items=progression_items(extension),
                    progression=extension,
                    activate=True,
                )
            )
        started = time.perf_counter()
        Worker(
            queue_names=["default"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="bench-worker",
            excluded_queue_names=[],
        ).run()
        worker_s = time.perf_counter() - started
    stored = len(handout_storage().listdir(STORED)[1])

    cache.clear()
    _row, key = create_api_key(clinic=prescription.patient.clinic, name="Bench EHR")
    api = Client(HTTP_AUTHORIZATION=f"Api-Key {key}", HTTP_ACCEPT="application/pdf")
    therapist = Client()
    therapist.force_login(user)
    patients = {}
    sources.sources.clear()
    chance = random.Random(7)
    took = []
    for _ in range(BUSY_DOWNLOADS):
        program = chance.choice(programs)
        page = reverse("handouts:pdf", args=[program.pk])
        size = chance.choice(["", "", "", "?size=normal", "?size=large"])
        kind = chance.random()
        if kind < 0.6:
            client = patients.get(program.pk)
            if client is None:
                client = patients[program.pk] = Client()
                client.force_login(program.patient.user)
            url = page + size
        elif kind < 0.85:
            client, url = therapist, page + size
        else:
            language = chance.choice([code for code, _name in settings.LANGUAGES])
            client = api
            url = f"/api/v1/prescriptions/{program.pk}/handout.pdf?lang={language}"
            url += size.replace("?", "&")
        started = time.perf_counter()
        response = client.get(url)
        took.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return BusyHour(
        # With the one of the comparison above, which the worker rendered too.
        activations=len(programs) + 1,
        worker_s=worker_s,
        stored=stored,
        downloads=list(zip(sources.sources, took, strict=True)),
    )


def cold_render_ms(prescription, **variant: Any) -> float:
    """One render of a copy nobody stored (context, template, PDF), median of three."""
    from handouts.handout import handout_context
    from handouts.pdf import render_handout

    return median_ms(lambda: render_handout(handout_context(prescription, **variant)), 3)


def main() -> None:
    setup_django()
    sources = Sources()
    for name in ("handouts.views", "api.views"):
        logging.getLogger(name).addHandler(sources)
        logging.getLogger(name).setLevel(logging.INFO)
        logging.getLogger(name).propagate = False  # counted, not printed
    # The worker's line for each task it runs.
    logging.getLogger("django_tasks_db").setLevel(logging.WARNING)
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
    cold_en = cold_render_ms(prescription)
    cold_es = cold_render_ms(prescription, large_print=True, language="es")
    busy = busy_hour(user, prescription, sources)

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
    print(
        f"  cold render of one copy (after a template change, each copy pays it once):"
        f" {cold_en:.0f} ms English normal print, {cold_es:.0f} ms Spanish large print"
    )
    print(
        f"Busy hour: {busy.activations} programs activated, the worker rendered "
        f"{busy.stored} copies ahead in {busy.worker_s:.1f} s "
        f"({busy.worker_s / busy.activations:.1f} s a program)"
    )
    by_source = {}
    for source, ms in busy.downloads:
        by_source.setdefault(source, []).append(ms)
    total = len(busy.downloads)
    for source, label in (
        ("stored", "read from the stored copy"),
        ("cache", "from the cache (a stored copy read before)"),
        ("rendered", "rendered while the reader waited"),
    ):
        times = by_source.get(source, [])
        median = f", median {statistics.median(times):.1f} ms" if times else ""
        print(f"  {label}: {len(times)} of {total}{median}")
    ahead = total - len(by_source.get("rendered", []))
    print(
        f"  downloads served from a stored copy: {ahead / total:.0%}  (goal: all after activation)"
    )


if __name__ == "__main__":
    main()
