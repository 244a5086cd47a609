"""System checks of the REST API's deployment."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register

# Cache backends whose entries live in one process: each app server worker would
# keep its own request counts, so a key's budget would be multiplied by the workers.
PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(Tags.caches)
def throttle_cache_is_shared(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    """In production the API's request budgets must be counted in a cache every
    worker shares (Redis: set REDIS_URL)."""
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if settings.PRODUCTION and backend in PER_PROCESS_CACHES:
        return [
            Warning(
                "The API's rate limits are counted in a cache each worker process keeps "
                "to itself, so every worker grants a key its own budget.",
                hint="Set REDIS_URL so that all workers count in one shared cache.",
                id="api.W001",
            )
        ]
    return []
