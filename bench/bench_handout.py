"""How fast the handout PDF is: rendered, served from the cache, and bare WeasyPrint.

Run: .venv/bin/python bench/bench_handout.py
It uses a throwaway SQLite file and the cache configured in the environment.
"""

import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDER = tempfile.TemporaryDirectory()
os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SQLITE_PATH": str(Path(FOLDER.name) / "bench-handout.sqlite3"),
        "DATABASE_URL": "",
    }
)
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from pypdf import PdfReader  # noqa: E402
from weasyprint import HTML  # noqa: E402

from clinics.models import Clinic, Therapist  # noqa: E402
from exercises.models import Progression  # noqa: E402
from handouts.pdf import handout_pdf  # noqa: E402
from patients.models import Patient  # noqa: E402
from prescriptions.services import create_prescription, progression_items  # noqa: E402

RENDERS = 10
SERVES = 50


def median_ms(action, times: int) -> float:
    samples = []
    for _ in range(times):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1000


def seven_exercise_program():
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


def bare_document(pages: int) -> str:
    paragraph = "<p>" + "A plain line of text for comparison. " * 12 + "</p>"
    page = "<h2>Page</h2>" + paragraph * 8
    return "".join(f'<div style="break-after: page">{page}</div>' for _ in range(pages))


def main() -> None:
    call_command("migrate", verbosity=0)
    user, prescription = seven_exercise_program()

    def render() -> None:
        cache.clear()
        handout_pdf(prescription)

    render()  # warm: fonts, stylesheet, drawings and templates loaded once
    pages = len(PdfReader(io.BytesIO(handout_pdf(prescription))).pages)
    rendered = median_ms(render, RENDERS)

    handout_pdf(prescription)
    served = median_ms(lambda: handout_pdf(prescription), SERVES)

    client = Client()
    client.force_login(user)
    url = reverse("handouts:pdf", args=[prescription.pk])
    client.get(url)
    downloaded = median_ms(lambda: client.get(url), SERVES)

    bare_html = bare_document(pages)
    HTML(string=bare_html).write_pdf()
    bare = median_ms(lambda: HTML(string=bare_html).write_pdf(), RENDERS)

    def verdict(value: float, target: float) -> str:
        return "ok" if value < target else "SLOW"

    print(f"Handout PDF, 7-exercise extension program ({pages} pages, A4)")
    print(
        f"  render, median of {RENDERS} warm renders:   {rendered:7.1f} ms"
        f"   target < 400 ms  {verdict(rendered, 400)}"
    )
    print(
        f"  cached serve, median of {SERVES}:          {served:7.1f} ms"
        f"   target < 20 ms   {verdict(served, 20)}"
    )
    print(f"  download view (cached, audited), median: {downloaded:7.1f} ms")
    print(f"  bare WeasyPrint, {pages} plain pages:       {bare:7.1f} ms   for comparison")


if __name__ == "__main__":
    main()
