"""Dates read one way per language on every surface: Django's named formats, set in
config/formats/<language>/formats.py, never a format written into a template."""

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from prescriptions.services import record_symptom_log

ROOT = Path(__file__).resolve().parents[2]
NAMED = {"DATE_FORMAT", "DATETIME_FORMAT", "MONTH_DAY_FORMAT", "TIME_FORMAT"}
# Formats for machines (datetime attributes) and the weekday's name, long or short,
# which no named format gives.
MACHINE = {"c", "Y-m-d", "l", "D"}
TEMPLATE_FORMAT = re.compile(r"\|date:[\"']([^\"']*)[\"']")
PYTHON_FORMAT = re.compile(r"date_format\([^\n]*?,\s*[\"']([^\"']*)[\"']\)")


def app_sources():
    yield from (ROOT / "templates").rglob("*.html")
    for path in ROOT.glob("*/**/*.py"):
        top = path.relative_to(ROOT).parts[0]
        if top in {"tests", "bench", "tools", ".venv"} or "migrations" in path.parts:
            continue
        yield path


def literal_formats(text: str) -> set[str]:
    found = set(TEMPLATE_FORMAT.findall(text)) | set(PYTHON_FORMAT.findall(text))
    return found - NAMED - MACHINE


def test_the_check_catches_a_format_written_into_a_template():
    assert literal_formats('{{ log.logged_at|date:"j M Y" }}') == {"j M Y"}
    assert literal_formats("date_format(day, 'M j')") == {"M j"}
    assert literal_formats('{{ x|date:"DATE_FORMAT" }}') == set()


# The one place a format is written in code: the long date inside a sentence, whose
# letters each language's catalog translates (Django names no such format).
SENTENCE_DATES = "clinics/dates.py"


def test_no_template_or_module_writes_its_own_date_format():
    offenders = {
        str(path.relative_to(ROOT)): sorted(found)
        for path in app_sources()
        if (found := literal_formats(path.read_text(encoding="utf-8")))
        and path.relative_to(ROOT).as_posix() != SENTENCE_DATES
    }
    assert offenders == {}


def test_the_sentence_date_is_translated_not_fixed():
    source = (ROOT / SENTENCE_DATES).read_text(encoding="utf-8")
    assert literal_formats(source) == {"j F Y"}
    assert 'pgettext("date in a sentence", "j F Y")' in source


@pytest.mark.parametrize(
    ("language", "day", "moment"),
    [("en", "10 Mar 2026", "10 Mar 2026, 09:30"), ("es", "10 mar 2026", "10 mar 2026, 09:30")],
)
def test_the_patient_page_writes_dates_in_the_therapists_language(
    therapist_client, therapist, patient, item, language, day, moment
):
    therapist.therapist.language = language
    therapist.therapist.save(update_fields=["language"])
    record_symptom_log(
        patient=patient,
        item=item,
        pain=3,
        location="central",
        during="no_effect",
        after="no_worse",
        sets_done=1,
        repetitions_done=10,
        logged_at=datetime(2026, 3, 10, 9, 30, tzinfo=UTC),
    )

    html = therapist_client.get(f"/patients/{patient.pk}/").content.decode()

    assert day in html
    assert moment in html
    assert "March 10" not in html
    assert "Mar. 10" not in html
