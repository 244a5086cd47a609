"""A key's request budget is one budget, however many worker processes serve it:
counted in Redis, which every worker shares; a production start without a shared
cache warns."""

import os
import secrets
import subprocess
import sys
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache

from api.auth import CredentialRateThrottle
from api.models import create_api_key


def worker(cache):
    """What one worker process has: its own throttle reading its own cache client."""
    throttle = CredentialRateThrottle()
    throttle.cache = cache
    return throttle


def allowed(throttles, request, times: int) -> list[bool]:
    return [throttles[n % len(throttles)].allow_request(request, None) for n in range(times)]


@pytest.fixture
def key_request(clinic, therapist, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api": "4/min"},
    }
    key, _raw = create_api_key(clinic=clinic, name="EHR sync", created_by=therapist)
    return SimpleNamespace(auth=key, user=None, META={"REMOTE_ADDR": "127.0.0.1"})


def test_two_workers_on_one_redis_share_one_budget(redis_url, key_request):
    # Two clients with their own connection pools, as two processes would have.
    workers = [worker(RedisCache(redis_url, {})), worker(RedisCache(redis_url, {}))]

    assert allowed(workers, key_request, 6) == [True, True, True, True, False, False]


def test_per_process_caches_would_each_grant_the_whole_budget(key_request):
    workers = [worker(LocMemCache("one", {})), worker(LocMemCache("two", {}))]

    assert allowed(workers, key_request, 8) == [True] * 8


def deploy_check(**environ: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        env={
            "PATH": os.environ.get("PATH", ""),
            "CENTRA_ENV": "production",
            "ALLOWED_HOSTS": "centra.example.org",
            "SITE_URL": "https://centra.example.org",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "AUDIT_KEY": secrets.token_urlsafe(32),
            **environ,
        },
    )


def test_a_production_start_without_a_shared_cache_warns():
    result = deploy_check()

    assert result.returncode != 0
    assert "api.W001" in result.stderr
    assert "REDIS_URL" in result.stderr


def test_a_production_start_with_redis_does_not_warn():
    result = deploy_check(REDIS_URL="redis://127.0.0.1:6379/0")

    assert result.returncode == 0, result.stderr
    assert "api.W001" not in result.stderr + result.stdout
