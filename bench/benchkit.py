"""What the benches share: a throwaway seeded database, Django set up in a fresh
process, and timing. Only the scripts in bench/ import it; the app never does.

Each bench runs in two processes: the outer one makes the database (a SQLite file
in a temporary folder, or a PostgreSQL URL given in the environment) and starts
the script again with that database in its settings to measure.
"""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.error import HTTPError
from urllib.parse import urlencode, urlsplit, urlunsplit
from urllib.request import HTTPRedirectHandler, Request, build_opener

ROOT = Path(__file__).resolve().parent.parent
MANAGE = [sys.executable, str(ROOT / "manage.py")]
# Set in the environment of the measuring process.
MEASURE_FLAG = "BENCH_MEASURE"


def base_env(**extra: str) -> dict[str, str]:
    """The environment of a bench's Django: no cache server, no request budget."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "REDIS_URL": "",
        # The benches measure speed, not the request budget of an API key.
        "API_THROTTLE_RATE": "1000000/min",
        **extra,
    }


def sqlite_env(folder: str | Path, name: str, **extra: str) -> dict[str, str]:
    """`base_env` with a SQLite file in `folder` as the database."""
    return base_env(SQLITE_PATH=str(Path(folder) / f"{name}.sqlite3"), DATABASE_URL="", **extra)


def seed(env: dict[str, str], *, patients: int, days: int) -> float:
    """Migrate the database of `env` and load the demo plus `patients` bulk patients
    with `days` days of logs; returns the seconds the load took."""
    subprocess.run([*MANAGE, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    started = time.perf_counter()
    subprocess.run(
        [*MANAGE, "seed_demo", "--patients", str(patients), "--days", str(days)],
        env=env,
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def measuring() -> bool:
    """True in the process that measures (started by `run_measure`)."""
    return bool(os.environ.get(MEASURE_FLAG))


def run_measure(script: str, env: dict[str, str], **kwargs: Any) -> subprocess.CompletedProcess:
    """Start `script` again in a fresh interpreter, with `env`, to measure."""
    return subprocess.run(
        [sys.executable, script], env={**env, MEASURE_FLAG: "1"}, check=True, cwd=ROOT, **kwargs
    )


def setup_django() -> None:
    import warnings

    import django

    # Whitenoise warns that collectstatic has not run: irrelevant to a bench.
    warnings.filterwarnings("ignore", message="No directory at")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    django.setup()


def median_ms(call: Callable[[], Any], rounds: int) -> float:
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1000


def timed(call: Callable[[], Any], *, rounds: int, warmup: int) -> tuple[float, int]:
    """The median seconds of `call` after `warmup` calls, and the queries of one call."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        call()
    seconds = median_ms(call, rounds) / 1000
    with CaptureQueriesContext(connection) as queries:
        call()
    return seconds, len(queries)


def percentile(samples: list[float], share: float) -> float:
    """The `share` (0 to 1) percentile of `samples`, nearest rank."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def postgres_url() -> str:
    """The PostgreSQL server the benches may make databases on: BENCH_POSTGRES_URL,
    else DATABASE_URL when it is PostgreSQL; empty when there is none."""
    url = os.environ.get("BENCH_POSTGRES_URL") or os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else ""


@contextmanager
def throwaway_postgres(server_url: str, suffix: str) -> Iterator[str]:
    """A new empty database on the server of `server_url`, named after that URL's
    database plus `suffix` (so that benches of two checkouts do not collide), dropped
    afterwards; yields its URL."""
    import psycopg

    parts = urlsplit(server_url)
    name = f"{parts.path.strip('/') or 'centra'}_{suffix}"
    admin = urlunsplit(parts._replace(path="/postgres"))

    def run(sql: str) -> None:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(sql)

    run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    run(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- HTTP clients (the busy hour here, and `make cluster-test`) -----------------------

CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


class NoRedirect(HTTPRedirectHandler):
    """A redirect is the answer to time (a saved log redirects), not a new request."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class Browser:
    """One virtual user on `base`: its own cookies, no redirects followed. `fetch`
    answers (status, body, seconds); status 0 means no answer (refused, dropped, timed
    out after `timeout` seconds)."""

    def __init__(
        self,
        base: str,
        headers: dict[str, str] | None = None,
        cookies: dict[str, str] | None = None,
        timeout: float = 30,
    ) -> None:
        self.base, self.timeout = base, timeout
        self.headers = dict(headers or {})
        self.cookies = dict(cookies or {})
        self.opener = build_opener(NoRedirect)

    def fetch(
        self,
        path: str,
        *,
        form: dict | None = None,
        body: dict | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, bytes, float]:
        sent = {**self.headers, **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        data = None
        if form is not None:
            data = urlencode(form, doseq=True).encode()
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            sent["Referer"] = self.base + path
        elif body is not None:
            data = json.dumps(body).encode()
            sent["Content-Type"] = "application/json"
        # Only ever a server the bench itself started.
        request = Request(self.base + path, data=data, headers=sent)  # noqa: S310
        started = time.perf_counter()
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                status, content, answer = response.status, response.read(), response.headers
        except HTTPError as error:
            status, content, answer = error.code, error.read(), error.headers
        except OSError:
            status, content, answer = 0, b"", None
        elapsed = time.perf_counter() - started
        for cookie in (answer.get_all("Set-Cookie") or []) if answer else []:
            name, _, value = cookie.split(";", 1)[0].partition("=")
            self.cookies[name.strip()] = value.strip()
        return status, content, elapsed
