"""Which language a signed-in person reads Centra in."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from clinics.models import therapist_of

from .models import patient_of


def language_of(user: Any) -> str | None:
    """The patient's preferred language, or the dashboard language a therapist chose;
    None when the browser's language should decide (anonymous, or no choice made)."""
    available = {code for code, _name in settings.LANGUAGES}
    patient = patient_of(user)
    if patient is not None:
        language = patient.preferred_language
    else:
        therapist = therapist_of(user)
        language = therapist.language if therapist is not None else ""
    return language if language in available else None
