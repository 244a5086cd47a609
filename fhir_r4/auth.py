"""Which clinic a FHIR request acts for: the clinic of its API key or of its SMART
access token; what that credential may read; and how often it may call.

The key model still lives in the REST API app (`api.models`); this reads it and
nothing else of that app, so the FHIR surface shares the keys, not the views.
SMART tokens (`fhir_r4.models.SmartAccessToken`) answer the same questions: their
`clinic`, and `allows(resource_type)` from their scopes."""

from __future__ import annotations

from django.http import HttpRequest
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from api.models import KEY_PATTERN, ClinicAPIKey

from .models import SmartAccessToken

Credential = ClinicAPIKey | SmartAccessToken

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
        credential = request.auth
        if isinstance(credential, SmartAccessToken):
            ident = f"smart-{credential.client.client_id}"
        else:
            ident = f"key-{credential.prefix}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


def smart_token(request: HttpRequest) -> SmartAccessToken | None:
    """The live SMART access token the request bears, if it bears one."""
    scheme, _sep, raw = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    raw = raw.strip()
    if scheme.lower() != "bearer" or not raw or KEY_PATTERN.fullmatch(raw):
        return None
    return SmartAccessToken.objects.find(raw)


def request_key(request: HttpRequest) -> Credential:
    """The usable API key or SMART access token the request sends; also counts the
    request against its budget."""
    scheme, _sep, raw_key = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme.lower() not in SCHEMES:
        raise NotAuthenticated(
            "Send a clinic API key (Authorization: Api-Key <key>) "
            "or a SMART access token (Authorization: Bearer <token>)."
        )
    credential: Credential | None = ClinicAPIKey.objects.find(raw_key.strip())
    if credential is None:
        credential = smart_token(request)
    if credential is None:
        raise NotAuthenticated("Invalid, revoked or expired API key or access token.")
    request.auth = credential
    throttle = KeyRateThrottle()
    if not throttle.allow_request(request, None):
        raise Throttled(max(1, round(throttle.wait() or 1)))
    if isinstance(credential, ClinicAPIKey):
        credential.record_use()
    return credential


def allows(credential: Credential, resource_type: str) -> bool:
    """Whether the credential may read this resource type: an API key reads all its
    clinic's data; a SMART token what its scopes name."""
    return credential.allows(resource_type) if isinstance(credential, SmartAccessToken) else True


def owner_label(credential: Credential) -> str:
    """Names the credential, for what only it may see again (bulk exports)."""
    if isinstance(credential, SmartAccessToken):
        return credential.client.credential_label
    return f"key:{credential.prefix}"
