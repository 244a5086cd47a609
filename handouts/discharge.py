"""The discharge summary PDF of an episode of care, in the handout's look.

Two versions: one for the patient (plain words) and one for the referring doctor
(MDT terms, the program versions in full). The data comes from
`prescriptions.outcomes.episode_summary`; this module only lays it out.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format

from prescriptions.models import Episode
from prescriptions.outcomes import episode_summary

from .handout import HandoutRenderError, clinic_letterhead
from .pdf import IMAGE_DPI, _fetcher, _font_config, _stylesheet

PATIENT, DOCTOR = "patient", "doctor"
AUDIENCES = (PATIENT, DOCTOR)
TEMPLATE = "handouts/discharge.html"


def discharge_context(episode: Episode, audience: str) -> dict[str, Any]:
    patient = episode.patient
    language = patient.preferred_language if audience == PATIENT else translation.get_language()
    summary = episode_summary(episode)
    return {
        **clinic_letterhead(patient.clinic),
        "audience": audience,
        "language": language or "en",
        "page_size": "letter" if patient.clinic.paper_size == "LETTER" else "A4",
        "clinic": patient.clinic,
        "patient": patient,
        "summary": summary,
        "ended_by": episode.ended_by.get_full_name() or episode.ended_by.get_username()
        if episode.ended_by
        else "",
        "made_on": date_format(timezone.localdate(), "DATE_FORMAT"),
    }


def discharge_pdf(episode: Episode, audience: str) -> bytes:
    context = discharge_context(episode, audience)
    with translation.override(context["language"]):
        html = render_to_string(TEMPLATE, context)
    from weasyprint import HTML

    try:
        return HTML(string=html, url_fetcher=_fetcher()).write_pdf(
            stylesheets=[_stylesheet()],
            font_config=_font_config(),
            dpi=IMAGE_DPI,
            pdf_tags=True,
        )
    except Exception as exc:
        raise HandoutRenderError("The PDF renderer failed.") from exc
