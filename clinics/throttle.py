"""Counting attempts per address and per IP in the shared cache.

Used where a request sends email or tries a secret (password reset, portal
activation): too many in an hour are refused with a plain message. The count
lives in the cache (Redis when several app servers run), so it is shared.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.http import HttpRequest

from .client_ip import client_ip as request_ip

WINDOW_SECONDS = 60 * 60


def client_ip(request: HttpRequest) -> str:
    # The same address the lockout and the audit log use (PROXY_COUNT).
    return request_ip(request) or "unknown"


def _key(scope: str, value: str) -> str:
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"throttle:{scope}:{digest}"


def too_many(scope: str, values: dict[str, tuple[str, int]]) -> bool:
    """Count one attempt for each (name: (value, limit)) and say whether any of them
    is over its limit for the current hour. Every attempt counts, refused or not,
    so hammering keeps the door shut."""
    over = False
    for name, (value, limit) in values.items():
        if not value:
            continue
        key = _key(f"{scope}:{name}", value)
        cache.add(key, 0, timeout=WINDOW_SECONDS)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=WINDOW_SECONDS)
            count = 1
        over = over or count > limit
    return over
