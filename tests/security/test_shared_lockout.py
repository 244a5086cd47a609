"""Several processes serving one site count attempts in one place: two real Python
processes on one Redis share a lockout counter; a production start with several
processes and no shared cache is refused."""

import os
import secrets
import subprocess
import sys

from django.conf import settings

# One app process: it counts one password-reset attempt for the same address each time
# it reads a line, and answers whether that address is now over its limit.
APP_PROCESS = """
import sys
from clinics.throttle import too_many
print("ready", flush=True)
for _line in sys.stdin:
    over = too_many("password-reset", {"address": ("pat@example.org", 4)})
    print("over" if over else "ok", flush=True)
"""


def base_env(**environ: str) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PYTHONPATH": str(settings.BASE_DIR),
        **environ,
    }


def alternate(environ: dict[str, str], attempts: int) -> list[str]:
    """Two processes, both running, take turns counting one attempt each."""
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", APP_PROCESS],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=settings.BASE_DIR,
            env=environ,
        )
        for _ in range(2)
    ]
    try:
        for process in processes:
            assert process.stdout.readline().strip() == "ready"
        answers = []
        for n in range(attempts):
            process = processes[n % 2]
            process.stdin.write("attempt\n")
            process.stdin.flush()
            answers.append(process.stdout.readline().strip())
        return answers
    finally:
        for process in processes:
            process.stdin.close()
            process.wait(timeout=10)


def test_two_processes_on_one_redis_share_one_lockout_counter(redis_url):
    answers = alternate(base_env(CENTRA_ENV="development", REDIS_URL=redis_url), 6)

    # Four attempts allowed in all, however they fall on the two processes.
    assert answers == ["ok", "ok", "ok", "ok", "over", "over"]


def production_start(**environ: str) -> subprocess.CompletedProcess:
    """What every server process does first: read the settings."""
    return subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; settings.CACHES"],
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        env=base_env(
            CENTRA_ENV="production",
            ALLOWED_HOSTS="centra.example.org",
            SITE_URL="https://centra.example.org",
            SECRET_KEY=secrets.token_urlsafe(50),
            AUDIT_KEY=secrets.token_urlsafe(32),
            **environ,
        ),
    )


def test_production_with_several_processes_and_no_shared_cache_refuses_to_start():
    result = production_start(WEB_CONCURRENCY="4")

    assert result.returncode != 0
    assert "REDIS_URL must be set when more than one process serves" in result.stderr


def test_production_with_several_processes_on_redis_starts():
    result = production_start(APP_PROCESSES="8", REDIS_URL="redis://127.0.0.1:6379/5")

    assert result.returncode == 0, result.stderr
