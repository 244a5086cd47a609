"""The SMART client registry: a clinic administrator registers a clinic system with
its public keys (inline, or a JWKS URL the server fetches) and the scopes it may
ask for. The dashboard's page calls `register_client`; the token endpoint reads the
keys through `fetch_jwks`."""

from __future__ import annotations

import ipaddress
import json
import socket
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from clinics.models import Clinic

from .models import SmartClient, new_client_id, public_jwks
from .search import SEARCHES

JWKS_MAX_BYTES = 64 * 1024


def scope_choices() -> list[str]:
    """The scopes a client may be registered for: every type, or one type, read-only
    (the FHIR API does not write, so there is no write scope to give)."""
    return ["system/*.read", *(f"system/{name}.read" for name in SEARCHES)]


def check_jwks_url(url: str) -> None:
    """Refuse a JWKS URL the server must not fetch: not https, or a host that resolves
    to a private, loopback or link-local address (unless SMART_JWKS_ALLOW_PRIVATE)."""
    parts = urlsplit(url)
    allow_private = settings.SMART_JWKS_ALLOW_PRIVATE
    if parts.scheme != "https" and not (allow_private and parts.scheme == "http"):
        raise ValidationError(_("The key set URL must start with https://."))
    if not parts.hostname:
        raise ValidationError(_("The key set URL has no host."))
    if allow_private:
        return
    try:
        found = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError) as exc:
        raise ValidationError(_("The key set URL's host cannot be found.")) from exc
    for *_rest, address in found:
        ip = ipaddress.ip_address(address[0])
        if not ip.is_global:
            raise ValidationError(_("The key set URL names a private or local address."))


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # A redirect could lead to an address check_jwks_url never saw.
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def fetch_jwks(url: str) -> dict[str, Any]:
    """The public key set at `url`; ValidationError when it cannot be had."""
    check_jwks_url(url)
    opener = urllib.request.build_opener(_NoRedirects)
    # check_jwks_url let through https (or http where private addresses are allowed) only.
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310
    try:
        with opener.open(request, timeout=5) as answer:
            body = answer.read(JWKS_MAX_BYTES + 1)
    except OSError as exc:
        raise ValidationError(_("The key set URL could not be read.")) from exc
    if len(body) > JWKS_MAX_BYTES:
        raise ValidationError(_("The key set at that URL is too large."))
    try:
        return public_jwks(json.loads(body))
    except ValueError as exc:
        raise ValidationError(_("The key set URL does not answer a JSON key set.")) from exc


def register_client(
    *,
    clinic: Clinic,
    name: str,
    scopes: list[str],
    jwks: Any = None,
    jwks_url: str = "",
    created_by: Any = None,
) -> SmartClient:
    """A new client of `clinic`. Exactly one of `jwks` (a key set, as JSON text or
    parsed) and `jwks_url`; a URL is fetched now, so a wrong one is refused at once
    (outside any transaction: one row is written, after the fetch)."""
    if bool(jwks) == bool(jwks_url):
        raise ValidationError(_("Give either the key set or its URL, not both."))
    if jwks_url:
        fetch_jwks(jwks_url)
        key_set = None
    else:
        key_set = public_jwks(jwks)
    unknown = sorted(set(scopes) - set(scope_choices()))
    if unknown or not scopes:
        raise ValidationError(_("Choose at least one of the offered scopes."))
    return SmartClient.objects.create(
        clinic=clinic,
        name=name,
        client_id=new_client_id(),
        jwks=key_set,
        jwks_url=jwks_url,
        scopes=sorted(set(scopes)),
        created_by=created_by,
    )
