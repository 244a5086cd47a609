"""What a process pays before it answers its first request."""

import subprocess
import sys

from django.conf import settings

LOAD_URLS = """
import sys
import django
django.setup()
from django.urls import get_resolver
get_resolver().url_patterns  # imports every view module
print("weasyprint" in sys.modules)
"""


def test_loading_the_urls_does_not_import_weasyprint():
    result = subprocess.run(
        [sys.executable, "-c", LOAD_URLS],
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
        env={"DJANGO_SETTINGS_MODULE": "config.settings", "PATH": "", "CENTRA_ENV": "development"},
    )
    assert result.stdout.strip() == "False"


def _session_engine(**environ: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.SESSION_ENGINE)"],
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
        env={
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "PATH": "",
            "CENTRA_ENV": "development",
            **environ,
        },
    )
    return result.stdout.strip()


def test_sessions_are_cached_in_redis_when_there_is_one():
    assert _session_engine(REDIS_URL="redis://127.0.0.1:6379/0") == (
        "django.contrib.sessions.backends.cached_db"
    )


def test_sessions_stay_in_the_database_without_redis():
    assert _session_engine() == "django.contrib.sessions.backends.db"
