"""Who is calling the API, which clinic they act for, what they may do, how often."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, permissions, throttling
from rest_framework.authentication import BaseAuthentication
from rest_framework.request import Request
from rest_framework.settings import api_settings

from clinics.client_ip import client_ip
from clinics.models import Clinic, clinic_of

from .models import ClinicAPIKey

KEYWORD = "Api-Key"


class ApiKeyAuthentication(BaseAuthentication):
    """`Authorization: Api-Key <key>`. A request with another scheme, or none,
    is left to the next authenticator (the dashboard's session)."""

    def authenticate(self, request: Request) -> tuple[AnonymousUser, ClinicAPIKey] | None:
        keyword, _sep, raw_key = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
        if keyword.lower() != KEYWORD.lower():
            return None
        key = ClinicAPIKey.objects.find(raw_key.strip())
        if key is None:
            raise exceptions.AuthenticationFailed(_("Invalid, revoked or expired API key."))
        key.record_use()
        # The key acts for its clinic, not for a person: there is no user.
        return AnonymousUser(), key

    def authenticate_header(self, request: Request) -> str:
        # Makes DRF answer 401 (with this challenge) rather than 403 to a caller
        # who sent no credentials at all.
        return f'{KEYWORD} realm="api"'


def request_clinic(request: Request) -> Clinic | None:
    """The clinic whose data this request may see: the key's, or the signed-in
    therapist's. None for anyone else (patients, staff without a clinic)."""
    if isinstance(request.auth, ClinicAPIKey):
        return request.auth.clinic
    return clinic_of(request.user)


class IsClinicMember(permissions.BasePermission):
    message = _("Only a clinic API key or a therapist of a clinic can use this API.")

    def has_permission(self, request: Request, view: Any) -> bool:
        return request_clinic(request) is not None


class WritesNeedWriteKey(permissions.BasePermission):
    message = _("This API key is read-only.")

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return not getattr(request.auth, "read_only", False)


class CredentialRateThrottle(throttling.SimpleRateThrottle):
    """One request budget per API key (or per signed-in user), shared by every
    app server through the cache. The rate is `DEFAULT_THROTTLE_RATES["api"]`."""

    scope = "api"

    def get_rate(self) -> str | None:
        # Read the setting at request time (DRF's base reads it once at import).
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if isinstance(request.auth, ClinicAPIKey):
            ident = f"key-{request.auth.prefix}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            # The address the lockout and the audit log use (PROXY_COUNT), not DRF's own.
            ident = f"ip-{client_ip(request) or 'unknown'}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


def credential_label(request: Request) -> str:
    """Names the credential behind a request, for idempotency scoping."""
    if isinstance(request.auth, ClinicAPIKey):
        return f"key:{request.auth.prefix}"
    return f"user:{request.user.pk}"
