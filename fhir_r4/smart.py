"""SMART Backend Services: a clinic system signs a short JWT with its private key
(`private_key_jwt`), sends it to the token endpoint with the OAuth 2.0 client
credentials grant, and gets a bearer token that lasts a few minutes.

joserfc checks the signature and the claims; nothing here is cryptography."""

from __future__ import annotations

import json
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from joserfc import jws, jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from .clients import fetch_jwks
from .models import (
    ALGORITHMS,
    SmartAccessToken,
    SmartClient,
    UsedAssertion,
    hash_token,
    scope_type,
)
from .search import SEARCHES

logger = logging.getLogger(__name__)

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
# SMART: the assertion's exp is at most five minutes ahead.
MAX_ASSERTION_SECONDS = 300
# A little tolerance for the clocks of two machines.
LEEWAY_SECONDS = 30
JWKS_CACHE_SECONDS = 300


class OAuthError(Exception):
    """An RFC 6749 section 5.2 error answer."""

    def __init__(self, error: str, description: str, status: int = 400) -> None:
        super().__init__(description)
        self.error, self.description, self.status = error, description, status


# The clinic system's keys


def key_set(client: SmartClient) -> KeySet:
    if client.jwks is not None:
        return KeySet.import_key_set(client.jwks)
    cache_key = f"smart-jwks:{client.pk}:{hash_token(client.jwks_url)}"
    jwks = cache.get(cache_key)
    if jwks is None:
        try:
            jwks = fetch_jwks(client.jwks_url)
        except ValidationError as exc:
            raise OAuthError("invalid_client", exc.messages[0], 401) from exc
        cache.set(cache_key, jwks, JWKS_CACHE_SECONDS)
    return KeySet.import_key_set(jwks)


# Scopes


def granted_scopes(requested: str, registered: list[str]) -> list[str]:
    """The requested scopes the client was registered for (`system/*.read` covers
    every `system/<Type>.read`); OAuthError if the request names one it was not."""
    wanted = requested.split()
    if not wanted:
        raise OAuthError("invalid_scope", "Ask for at least one scope, e.g. system/*.read.")
    covered = {scope_type(scope) for scope in registered} - {None}
    known = {"*", *SEARCHES}
    refused = [
        scope
        for scope in wanted
        if scope_type(scope) not in known or not ("*" in covered or scope_type(scope) in covered)
    ]
    if refused:
        raise OAuthError(
            "invalid_scope", f"This client may not have: {' '.join(sorted(set(refused)))}."
        )
    return wanted


# The token exchange


@dataclass
class IssuedToken:
    raw: str
    token: SmartAccessToken


def _assertion_client(assertion: str) -> SmartClient:
    try:
        claims = json.loads(jws.extract_compact(assertion.encode()).payload)
    except (JoseError, ValueError, TypeError) as exc:
        raise OAuthError("invalid_client", "client_assertion is not a signed JWT.", 401) from exc
    client_id = claims.get("iss") if isinstance(claims, dict) else None
    client = (
        SmartClient.objects.usable().filter(client_id=client_id).first()
        if isinstance(client_id, str)
        else None
    )
    if client is None:
        raise OAuthError("invalid_client", "Unknown or revoked client.", 401)
    return client


def issue_token(
    *, form: dict[str, str], token_url: str, now: datetime | None = None
) -> IssuedToken:
    """Check a client credentials request with a `private_key_jwt` assertion and
    store a new access token; OAuthError says what was wrong."""
    now = now or timezone.now()
    if form.get("grant_type") != "client_credentials":
        raise OAuthError("unsupported_grant_type", "Use grant_type=client_credentials.")
    if form.get("client_assertion_type") != ASSERTION_TYPE:
        raise OAuthError("invalid_request", f"client_assertion_type must be {ASSERTION_TYPE}.")
    assertion = form.get("client_assertion", "")
    if not assertion:
        raise OAuthError("invalid_request", "client_assertion is missing.")
    client = _assertion_client(assertion)
    try:
        token = jwt.decode(assertion, key_set(client), algorithms=list(ALGORITHMS))
    except JoseError as exc:
        raise OAuthError(
            "invalid_client", "The assertion's signature does not match the client's keys.", 401
        ) from exc
    claims = token.claims
    registry = jwt.JWTClaimsRegistry(
        now=int(now.timestamp()),
        leeway=LEEWAY_SECONDS,
        iss={"essential": True, "value": client.client_id},
        sub={"essential": True, "value": client.client_id},
        aud={"essential": True, "value": token_url},
        exp={"essential": True},
        jti={"essential": True},
    )
    try:
        registry.validate(claims)
    except JoseError as exc:
        raise OAuthError("invalid_client", f"The assertion was refused: {exc}", 401) from exc
    expires = claims["exp"]
    if not isinstance(expires, int | float) or expires > now.timestamp() + MAX_ASSERTION_SECONDS + (
        LEEWAY_SECONDS
    ):
        raise OAuthError(
            "invalid_client", "The assertion's exp is more than five minutes ahead.", 401
        )
    if not isinstance(claims["jti"], str) or not 0 < len(claims["jti"]) <= 255:
        raise OAuthError("invalid_client", "The assertion's jti must be a short string.", 401)
    scopes = granted_scopes(form.get("scope", ""), client.scopes)
    raw = secrets.token_urlsafe(32)
    try:
        with transaction.atomic():
            UsedAssertion.objects.filter(client=client, expires_at__lte=now).delete()
            UsedAssertion.objects.create(
                client=client,
                jti=claims["jti"],
                expires_at=datetime.fromtimestamp(expires + LEEWAY_SECONDS, tz=now.tzinfo),
            )
    except IntegrityError as exc:
        raise OAuthError("invalid_client", "This assertion (jti) was already used.", 401) from exc
    SmartAccessToken.objects.filter(client=client, expires_at__lte=now).delete()
    stored = SmartAccessToken.objects.create(
        client=client,
        token_hash=hash_token(raw),
        scopes=scopes,
        expires_at=now + timedelta(minutes=settings.SMART_TOKEN_MINUTES),
    )
    SmartClient.objects.filter(pk=client.pk).update(last_used_at=now)
    return IssuedToken(raw, stored)


# The endpoints


def token_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("fhir:smart_token"))


def _oauth_json(body: dict[str, Any], status: int = 200) -> JsonResponse:
    response = JsonResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    response["Pragma"] = "no-cache"
    return response


@csrf_exempt
def token(request: HttpRequest) -> JsonResponse:
    """`POST /fhir/R4/auth/token`, form-encoded, as SMART Backend Services sends it."""
    if request.method != "POST":
        response = _oauth_json(
            {"error": "invalid_request", "error_description": "Use POST."}, status=405
        )
        response["Allow"] = "POST"
        return response
    try:
        issued = issue_token(form=request.POST.dict(), token_url=token_url(request))
    except OAuthError as exc:
        return _oauth_json(
            {"error": exc.error, "error_description": exc.description}, status=exc.status
        )
    return _oauth_json(
        {
            "access_token": issued.raw,
            "token_type": "bearer",
            "expires_in": settings.SMART_TOKEN_MINUTES * 60,
            "scope": " ".join(issued.token.scopes),
        }
    )


def supported_scopes() -> list[str]:
    types = ["*", *SEARCHES]
    return [f"system/{name}.read" for name in types] + [f"system/{name}.rs" for name in types]


@never_cache
def smart_configuration(request: HttpRequest) -> JsonResponse:
    """`/fhir/R4/.well-known/smart-configuration`: where and how to get a token."""
    return JsonResponse(
        {
            "token_endpoint": token_url(request),
            "grant_types_supported": ["client_credentials"],
            "token_endpoint_auth_methods_supported": ["private_key_jwt"],
            "token_endpoint_auth_signing_alg_values_supported": list(ALGORITHMS),
            "scopes_supported": supported_scopes(),
            "capabilities": ["client-confidential-asymmetric", "permission-v1", "permission-v2"],
        }
    )
