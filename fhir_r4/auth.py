"""Which clinic a FHIR request acts for: the clinic of its API key.

The key model still lives in the REST API app (`api.models`); this reads it and
nothing else of that app, so the FHIR surface shares the keys, not the views."""

from __future__ import annotations

from django.http import HttpRequest

from api.models import ClinicAPIKey

# `Api-Key` as in the REST API; `Bearer` because that is what FHIR clients send.
SCHEMES = {"api-key", "bearer"}


class NotAuthenticated(Exception):
    """No credentials, or credentials that are wrong, revoked or expired."""


def request_key(request: HttpRequest) -> ClinicAPIKey:
    scheme, _sep, raw_key = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme.lower() not in SCHEMES:
        raise NotAuthenticated("Send a clinic API key: Authorization: Api-Key <key>.")
    key = ClinicAPIKey.objects.find(raw_key.strip())
    if key is None:
        raise NotAuthenticated("Invalid, revoked or expired API key.")
    key.record_use()
    return key
