"""A clinic system's side of SMART Backend Services, for the tests: a key pair, a
signed client assertion, and the token request."""

from __future__ import annotations

import time
import uuid
from typing import Any

from joserfc import jwt
from joserfc.jwk import ECKey, RSAKey

TOKEN_PATH = "/fhir/R4/auth/token"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


def new_key(alg: str = "ES384") -> ECKey | RSAKey:
    if alg == "RS384":
        return RSAKey.generate_key(2048, parameters={"kid": "rsa-1", "alg": "RS384"})
    return ECKey.generate_key("P-384", parameters={"kid": "ec-1", "alg": "ES384"})


def public_jwks(*keys: ECKey | RSAKey) -> dict[str, Any]:
    return {"keys": [key.as_dict(private=False) for key in keys]}


def assertion(
    key: ECKey | RSAKey,
    client_id: str,
    audience: str,
    *,
    lifetime: int = 240,
    issued: float | None = None,
    jti: str | None = None,
    **claims: Any,
) -> str:
    now = int(issued if issued is not None else time.time())
    body = {
        "iss": client_id,
        "sub": client_id,
        "aud": audience,
        "exp": now + lifetime,
        "jti": jti or uuid.uuid4().hex,
        **claims,
    }
    alg = "RS384" if isinstance(key, RSAKey) else "ES384"
    return jwt.encode({"alg": alg, "kid": key.kid, "typ": "JWT"}, body, key, algorithms=[alg])


def token_form(signed: str, scope: str = "system/*.read") -> dict[str, str]:
    return {
        "grant_type": "client_credentials",
        "scope": scope,
        "client_assertion_type": ASSERTION_TYPE,
        "client_assertion": signed,
    }
