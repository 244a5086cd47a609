"""What a printed handout says, gathered apart from how it is laid out.

`handout_context(prescription)` returns plain data (strings, numbers, lists):
the template turns it into HTML and `handouts.pdf` into a PDF. Because the
context is plain data, a hash of it is also the cache key of the PDF.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.utils import timezone, translation
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import pgettext

from clinics.dates import long_date
from exercises.catalog import STOP_SPREADING
from exercises.catalog_es import STOP_SPREADING as STOP_SPREADING_ES
from exercises.models import Exercise
from prescriptions import red_flags
from prescriptions.adherence import item_sessions
from prescriptions.models import (
    AfterResponse,
    DuringResponse,
    Location,
    NeuroSymptom,
    Prescription,
)

# How many lines each exercise gets on the paper log sheet: one week of one line a day.
LOG_LINES = 7
# Day columns of the weekly schedule and of the daily check.
WEEK_DAYS = 7
# The most tick boxes a day cell of the schedule holds; "every 2 hours" is
# ticked over the patient's waking hours, not around the clock.
MAX_SESSIONS = 8

# Who the handout is printed for: its footer speaks to them.
PATIENT = "patient"
THERAPIST = "therapist"
READERS = (PATIENT, THERAPIST)

# The answers of the paper-entry form, in the order its lists show them, with
# the words the portal uses for the patient (the same msgids as portal.forms).
DURING_WORDS = {
    DuringResponse.PRODUCE: _lazy("It brought the pain on"),
    DuringResponse.ABOLISH: _lazy("The pain went away"),
    DuringResponse.INCREASE: _lazy("The pain got stronger"),
    DuringResponse.DECREASE: _lazy("The pain eased"),
    DuringResponse.CENTRALIZE: _lazy("The pain moved towards my spine"),
    DuringResponse.PERIPHERALIZE: _lazy("The pain spread further down my leg or into my buttock"),
    DuringResponse.NO_EFFECT: _lazy("No change"),
}
AFTER_WORDS = {
    AfterResponse.BETTER: _lazy("Better than before the exercise"),
    AfterResponse.WORSE: _lazy("Worse than before, and it has stayed worse"),
    AfterResponse.NO_BETTER: _lazy("It eased while I did it, but it is no better now"),
    AfterResponse.NO_WORSE: _lazy("It hurt more while I did it, but it is no worse now"),
    AfterResponse.NO_EFFECT: _lazy("No change at all"),
}

# CSS page sizes for the clinic's choice of paper.
PAGE_SIZES = {"A4": "A4", "LETTER": "letter"}


class HandoutError(Exception):
    """A handout could not be made; the message can be shown to the user."""


class EmptyHandoutError(HandoutError):
    """The program has no exercises, so there is nothing to print."""


class HandoutRenderError(HandoutError):
    """The PDF renderer failed; the cause is chained and logged by the caller."""


def handout_context(
    prescription: Prescription,
    *,
    large_print: bool = False,
    reader: str = PATIENT,
    language: str = "",
) -> dict[str, Any]:
    """Everything the handout of one program version shows, in the patient's language
    (or `language`, one of settings.LANGUAGES, when a copy in another is asked for).

    `large_print` sets the text at 14 pt and more instead of 11 pt; `reader` (the
    patient or a therapist) is whom the footer line speaks to.
    Raises EmptyHandoutError for a program without exercises.
    """
    items = list(prescription.items.select_related("exercise").order_by("position"))
    if not items:
        raise EmptyHandoutError(
            _("This program has no exercises yet, so there is no handout to print.")
        )
    patient = prescription.patient
    clinic = patient.clinic
    language = language or patient.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        therapist = prescription.prescribed_by
        started = prescription.activated_at or prescription.created_at
        ended = prescription.ended_at if prescription.status == Prescription.Status.ENDED else None
        portal_url = settings.SITE_URL + "/portal/"
        return {
            **clinic_letterhead(clinic),
            "language": language,
            "large_print": large_print,
            "reader": reader if reader in READERS else PATIENT,
            "paper_size": clinic.paper_size,
            "page_size": PAGE_SIZES.get(clinic.paper_size, "A4"),
            "emergency_number": clinic.emergency_number,
            "patient_name": patient.full_name,
            "therapist_name": therapist.get_full_name() or therapist.get_username(),
            "therapist_email": therapist.email,
            "version": prescription.version,
            "status": prescription.status,
            "is_draft": prescription.status == Prescription.Status.DRAFT,
            "date": _short_date(started),
            "review_on": _day(prescription.review_on) if prescription.review_on else "",
            # In a sentence ("ended on 14 December 2026"): the named long date.
            "ended_on": long_date(ended) if ended else "",
            "items": [_item(number, item, patient) for number, item in enumerate(items, start=1)],
            "stop_rules": [
                _("Pain spreads away from your spine into your buttock, thigh or leg."),
                _("New numbness, pins and needles or weakness appears in a leg or foot."),
                _("The pain gets worse during an exercise and stays worse afterwards."),
            ],
            "red_flag_tiers": red_flag_tiers(),
            "neuro_questions": [
                str(label)
                for code, label in NeuroSymptom.choices
                if code not in red_flags.NEURO_ASKED_AS_RED_FLAG
            ],
            "week_days": _week_days(),
            "locations": _codes(Location.choices, {}),
            "during_answers": _codes(DuringResponse.choices, DURING_WORDS, letters=True),
            "after_answers": _codes(AfterResponse.choices, AFTER_WORDS, letters=True),
            "log_lines": LOG_LINES,
            "portal_url": portal_url,
            "portal_address": short_address(portal_url),
            "portal_qr_svg": portal_qr_svg(
                portal_url, _("QR code: the address of the Centra exercise portal")
            ),
        }


def handout_filename(
    prescription: Prescription, *, large_print: bool = False, language: str = ""
) -> str:
    """The PDF's file name, in the language the handout is printed in (the patient's,
    or `language`): "exercise-program-paula-jones-v1.pdf",
    "programa-de-ejercicios-paula-jones-v1-letra-grande.pdf"."""
    patient = prescription.patient
    language = language or patient.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        # Translators: words of a file name: lowercase, hyphens for spaces, no accents.
        words = [pgettext("file name", "exercise-program")]
        words.append(slugify(patient.full_name) or pgettext("file name", "patient"))
        words.append(f"v{prescription.version}")
        if large_print:
            words.append(pgettext("file name", "large"))
    return "-".join(slugify(word) for word in words) + ".pdf"


def red_flag_tiers() -> list[dict[str, Any]]:
    """The red-flag questions of each tier with the tier's own advice, as the paper
    prints them: from the one table (prescriptions/red_flags.py), in the active language."""
    return [
        {
            "tier": tier,
            "heading": str(red_flags.ADVICE[tier].heading),
            "advice": str(red_flags.ADVICE[tier].advice),
            "questions": [str(question.text) for question in red_flags.questions([tier])],
            # On paper the emergency tier is asked every day, whatever the pain's reach.
            "weekly": tier == red_flags.Tier.TODAY,
        }
        for tier in red_flags.Tier.values
    ]


def _codes(
    choices: list[tuple[str, str]], words: dict[str, Any], *, letters: bool = False
) -> list[dict[str, str]]:
    """The answers of one question of the paper-entry form, in the order of its
    list, each with the short code the patient writes on the log sheet: 1, 2, 3…
    or A, B, C…. `term` is the form's own label, `words` how the patient says it."""
    answers = []
    for index, (code, label) in enumerate(choices):
        patient_words = words.get(code)
        answers.append(
            {
                "code": chr(ord("A") + index) if letters else str(index + 1),
                "words": str(patient_words) if patient_words else str(label),
                "term": str(label) if patient_words else "",
            }
        )
    return answers


def _week_days() -> list[str]:
    # Monday first, as the clinic's week runs; short names in the reader's language.
    return [str(WEEKDAYS_ABBR[day]) for day in range(WEEK_DAYS)]


def _sessions(item: Any, patient: Any) -> int:
    """How many tick boxes a day of the schedule gets for this item: the sessions the
    portal and the adherence figures count, over the patient's own waking hours."""
    sessions = item_sessions(
        times_per_day=item.times_per_day,
        every_hours=item.every_hours,
        wake_start=patient.wake_start,
        wake_end=patient.wake_end,
    )
    return min(sessions, MAX_SESSIONS)


def clinic_letterhead(clinic: Any) -> dict[str, Any]:
    """What the top of every printed page of the clinic shows (handout, discharge
    summary): its logo, name, address and how to reach it."""
    logo = _logo_path(clinic)
    return {
        "clinic_name": clinic.name,
        "clinic_phone": clinic.phone,
        "clinic_email": clinic.email,
        "clinic_website": short_address(clinic.website) if clinic.website else "",
        "clinic_address": [line.strip() for line in clinic.address.splitlines() if line.strip()],
        "clinic_logo_path": str(logo) if logo else "",
        "clinic_logo_url": logo.as_uri() if logo else "",
    }


def _logo_path(clinic: Any) -> Path | None:
    if not clinic.logo:
        return None
    try:
        path = Path(clinic.logo.path)
    except (NotImplementedError, ValueError):
        return None  # a storage without local files
    return path if path.is_file() else None


def _item(number: int, item: Any, patient: Any) -> dict[str, Any]:
    exercise = item.exercise
    path = drawing_path(exercise, item.side)
    return {
        "number": number,
        "name": exercise.name,
        "steps": item.steps,
        "dosage": _keep_parts_together(item.dosage_text),
        "sessions": _sessions(item, patient),
        "note": item.note.strip(),
        "caution": _own_caution(exercise.cautions),
        "drawing_path": str(path) if path else "",
        "drawing_url": path.as_uri() if path else "",
        "drawing_alt": _drawing_description(path) or exercise.name,
        # Part of the cache key: a corrected exercise gives a new PDF.
        "exercise_updated": exercise.updated_at.isoformat() if exercise.updated_at else "",
    }


def _keep_parts_together(dosage: str) -> str:
    """Let a narrow box wrap the dosage only between its parts ("every 2 hours"
    never splits over two lines)."""
    return ", ".join(part.replace(" ", "\N{NO-BREAK SPACE}") for part in dosage.split(", "))


def _own_caution(cautions: str) -> str:
    """What this exercise adds to the general stop rules, which the handout prints
    once; the built-in catalog starts every caution with the same rule, in each of its
    languages."""
    text = cautions.strip()
    for rule in (STOP_SPREADING, STOP_SPREADING_ES):
        if text.startswith(rule):
            return text[len(rule) :].strip()
    return text


def _short_date(moment: Any) -> str:
    return _day(timezone.localtime(moment).date())


def _day(day: Any) -> str:
    # A label's date: the language's short format ("12 mar 2026"); sentences take
    # clinics.dates.long_date ("12 de marzo de 2026").
    return date_format(day, "DATE_FORMAT")


def drawing_path(exercise: Exercise, side: str = "") -> Path | None:
    """The file on disk of the exercise's picture: the clinic's upload, else the
    built-in drawing (of `side`, for a one-sided exercise); None when there is none
    (or the file has gone)."""
    if exercise.image:
        try:
            path = Path(exercise.image.path)
        except (NotImplementedError, ValueError):
            path = None  # a storage without local files
        if path is not None and path.is_file():
            return path
    illustration = exercise.illustration_for(side)
    if illustration:
        return _static_path(illustration)
    return None


@lru_cache(maxsize=256)
def _static_path(relative: str) -> Path | None:
    found = finders.find(relative)
    if found:
        return Path(found)
    if not settings.STATIC_ROOT:
        return None
    collected = Path(settings.STATIC_ROOT) / relative
    return collected if collected.is_file() else None


def _drawing_description(path: Path | None) -> str:
    """The <desc> of an SVG drawing, read once per file version: it tells a screen
    reader what the picture shows."""
    if path is None or path.suffix.lower() != ".svg":
        return ""
    stat = path.stat()
    return _svg_description(path, stat.st_mtime_ns)


@lru_cache(maxsize=64)
def _svg_description(path: Path, mtime_ns: int) -> str:
    try:
        # Only our own static drawings get here (uploads are raster images).
        root = ElementTree.parse(path).getroot()  # noqa: S314
    except ElementTree.ParseError:
        return ""
    desc = root.find("{http://www.w3.org/2000/svg}desc")
    return " ".join((desc.text or "").split()) if desc is not None else ""


def short_address(url: str) -> str:
    """The address as people type it: no scheme, no trailing slash."""
    return url.split("://", 1)[-1].rstrip("/")


@lru_cache(maxsize=16)
def portal_qr_svg(url: str, title: str) -> str:
    """The portal address as a QR code, inline SVG markup (the same for every patient).

    The title is what a screen reader announces for it.
    """
    qr = segno.make(url, error="m", micro=False)
    return qr.svg_inline(scale=1, border=0, dark="#000", omitsize=True, title=title)
