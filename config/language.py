"""After sign-in, the person's own language wins over the browser's, and times are
shown in their time zone."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation

from patients.language import language_of, zone_of

# Machines read these in English; a client that wants Spanish error messages says so
# with Accept-Language, which LocaleMiddleware has already applied.
MACHINE_PREFIXES = ("/api/", "/fhir/")
PATIENT_PREFIXES = ("/portal/",)


class UserLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(MACHINE_PREFIXES):
            patient_page = request.path.startswith(PATIENT_PREFIXES)
            language = language_of(request.user, patient_first=patient_page)
            if language is not None:
                translation.activate(language)
                request.LANGUAGE_CODE = language
        return self.get_response(request)


class UserTimeZoneMiddleware:
    """Pages show times, and count "today", in the reader's zone: a patient's own (else
    their clinic's), a therapist's clinic's. Stored times stay UTC. Machines (API, FHIR)
    get UTC offsets in every timestamp and are left in the server's zone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        zone = None
        if not request.path.startswith(MACHINE_PREFIXES):
            zone = zone_of(request.user, patient_first=request.path.startswith(PATIENT_PREFIXES))
        if zone is None:
            return self.get_response(request)
        with timezone.override(zone):
            return self.get_response(request)
