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
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from exercises.catalog import STOP_SPREADING
from exercises.models import Exercise
from prescriptions.models import Location, Prescription, RedFlag

# How many days the paper log sheet covers.
LOG_DAYS = 14

# CSS page sizes for the clinic's choice of paper.
PAGE_SIZES = {"A4": "A4", "LETTER": "letter"}


class HandoutError(Exception):
    """A handout could not be made; the message can be shown to the user."""


class EmptyHandoutError(HandoutError):
    """The program has no exercises, so there is nothing to print."""


class HandoutRenderError(HandoutError):
    """The PDF renderer failed; the cause is chained and logged by the caller."""


def handout_context(prescription: Prescription) -> dict[str, Any]:
    """Everything the handout of one program version shows, in the patient's language.

    Raises EmptyHandoutError for a program without exercises.
    """
    items = list(prescription.items.select_related("exercise").order_by("position"))
    if not items:
        raise EmptyHandoutError(
            _("This program has no exercises yet, so there is no handout to print.")
        )
    patient = prescription.patient
    clinic = patient.clinic
    language = patient.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        therapist = prescription.prescribed_by
        started = prescription.activated_at or prescription.created_at
        ended = prescription.ended_at if prescription.status == Prescription.Status.ENDED else None
        portal_url = settings.SITE_URL + "/portal/"
        return {
            "language": language,
            "paper_size": clinic.paper_size,
            "page_size": PAGE_SIZES.get(clinic.paper_size, "A4"),
            "clinic_name": clinic.name,
            "clinic_phone": clinic.phone,
            "emergency_number": clinic.emergency_number,
            "patient_name": patient.full_name,
            "therapist_name": therapist.get_full_name() or therapist.get_username(),
            "version": prescription.version,
            "status": prescription.status,
            "is_draft": prescription.status == Prescription.Status.DRAFT,
            "date": _long_date(started),
            "ended_on": _long_date(ended) if ended else "",
            "items": [_item(number, item) for number, item in enumerate(items, start=1)],
            "stop_rules": [
                _("Pain spreads away from your spine into your buttock, thigh or leg."),
                _("New numbness, pins and needles or weakness appears in a leg or foot."),
                _("The pain gets worse during an exercise and stays worse afterwards."),
            ],
            "red_flags": [str(label) for label in RedFlag.labels],
            "locations": [str(label) for label in Location.labels],
            "log_days": list(range(1, LOG_DAYS + 1)),
            "portal_url": portal_url,
            "portal_address": short_address(portal_url),
            "portal_qr_svg": portal_qr_svg(
                portal_url, _("QR code: the address of the Centra exercise portal")
            ),
        }


def _item(number: int, item: Any) -> dict[str, Any]:
    exercise = item.exercise
    path = drawing_path(exercise, item.side)
    return {
        "number": number,
        "name": exercise.name,
        "steps": item.steps,
        "dosage": _keep_parts_together(item.dosage_text),
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
    once; the built-in catalog starts every caution with the same rule."""
    text = cautions.strip()
    if text.startswith(STOP_SPREADING):
        text = text[len(STOP_SPREADING) :].strip()
    return text


def _long_date(moment: Any) -> str:
    # "12 March 2026" reads the same way on both sides of the Atlantic.
    return date_format(timezone.localtime(moment).date(), "j F Y")


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
