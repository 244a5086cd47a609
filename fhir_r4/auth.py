"""Which clinic a FHIR request acts for: the clinic of its API key; and how often
that key may call.

The key model still lives in the REST API app (`api.models`); this reads it and
nothing else of that app, so the FHIR surface shares the keys, not the views."""

from __future__ import annotations

from django.http import HttpRequest
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from api.models import ClinicAPIKey

# `Api-Key` as in the REST API; `Bearer` because that is what FHIR clients send.
SCHEMES = {"api-key", "bearer"}


class NotAuthenticated(Exception):
    """No credentials, or credentials that are wrong, revoked or expired."""


class Throttled(Exception):
    def __init__(self, wait: int) -> None:
        super().__init__("Too many requests with this key; try again later.")
        self.wait = wait


class KeyRateThrottle(SimpleRateThrottle):
    """The REST API's budget per key (`API_THROTTLE_RATE`): the same cache entry,
    so a key's REST and FHIR requests count together."""

    scope = "api"

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request: HttpRequest, view: object) -> str:
        return self.cache_format % {"scope": self.scope, "ident": f"key-{request.auth.prefix}"}


def request_key(request: HttpRequest) -> ClinicAPIKey:
    """The usable key the request sends; also counts the request against its budget."""
    scheme, _sep, raw_key = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme.lower() not in SCHEMES:
        raise NotAuthenticated("Send a clinic API key: Authorization: Api-Key <key>.")
    key = ClinicAPIKey.objects.find(raw_key.strip())
    if key is None:
        raise NotAuthenticated("Invalid, revoked or expired API key.")
    request.auth = key
    throttle = KeyRateThrottle()
    if not throttle.allow_request(request, None):
        raise Throttled(max(1, round(throttle.wait() or 1)))
    key.record_use()
    return key
