"""Which language, and which time zone, a signed-in person reads Centra in."""

from __future__ import annotations

import zoneinfo
from typing import Any

from django.conf import settings

from clinics.models import therapist_of

from .models import patient_of


def language_of(user: Any, *, patient_first: bool = True) -> str | None:
    """The patient's preferred language, or the dashboard language a therapist chose;
    None when the browser's language should decide (anonymous, or no choice made).

    `patient_first` only orders the two lookups: ask first for the role the page
    serves, whose lookup the page makes anyway (Django caches it on the user)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    available = {code for code, _name in settings.LANGUAGES}
    for lookup in (_patient_language, _therapist_language)[:: 1 if patient_first else -1]:
        language = lookup(user)
        if language is not None:
            return language if language in available else None
    return None


def _patient_language(user: Any) -> str | None:
    patient = patient_of(user)
    return patient.preferred_language if patient is not None else None


def _therapist_language(user: Any) -> str | None:
    therapist = therapist_of(user)
    return therapist.language if therapist is not None else None


def zone_of(user: Any, *, patient_first: bool = True) -> zoneinfo.ZoneInfo | None:
    """The time zone a person reads times in: a patient their own (else their clinic's),
    a therapist their clinic's; None for anyone else (the server's zone).
    `patient_first` as in `language_of`."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    for lookup in (_patient_zone, _therapist_zone)[:: 1 if patient_first else -1]:
        zone = lookup(user)
        if zone is not None:
            return zone
    return None


def _patient_zone(user: Any) -> zoneinfo.ZoneInfo | None:
    patient = patient_of(user)
    return patient.zone if patient is not None else None


def _therapist_zone(user: Any) -> zoneinfo.ZoneInfo | None:
    therapist = therapist_of(user)
    return therapist.clinic.zone if therapist is not None else None
