# ruff: noqa: S603  (manage.py of this checkout; SQL over names this module makes)
"""The machine's PostgreSQL and Redis as the run uses them, from outside Django: the
seeded template, the run's own database and Redis database, and the queue's progress."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import time
from datetime import datetime
from urllib.parse import urlsplit, urlunsplit

from . import LOGIN_FAILURE_LIMIT, POSTGRES, PYTHON, REDIS, ROOT, say
from .network import RUN_NAME, run_is_alive

SEED = ["seed_demo", "--patients", "300", "--days", "5"]
TEMPLATE = "centra_cluster_template_"
# The work the workers' schedulers queue by themselves, every minute or so: not the
# run's, so the queue counts as drained while one of them is waiting.
RECURRING = (
    "reminders.tasks.scan_reminders",
    "clinics.tasks.seal_audit_chains",
    "clinics.tasks.write_audit_checkpoints",
    "prescriptions.tasks.escalate_urgent_alerts",
    "prescriptions.tasks.check_inactivity",
    "integrations.tasks.deliver_due_webhooks",
)


def database_url(name: str, host: str = "") -> str:
    parts = urlsplit(POSTGRES)
    if host:
        netloc = parts.netloc.rsplit("@", 1)
        credentials = f"{netloc[0]}@" if len(netloc) == 2 else ""
        parts = parts._replace(netloc=f"{credentials}{host}")
    return urlunsplit(parts._replace(path=f"/{name}"))


def sql(query: str, params: dict | None = None, database: str = "") -> list[tuple]:
    import psycopg

    url = database_url(database) if database else POSTGRES
    with psycopg.connect(url, autocommit=True) as connection:
        cursor = connection.execute(query, params)
        return cursor.fetchall() if cursor.description else []


def databases(like: str) -> list[str]:
    return [row[0] for row in sql("SELECT datname FROM pg_database WHERE datname LIKE %s", [like])]


def drop(name: str) -> None:
    sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def drop_leftovers() -> list[str]:
    """The databases of runs killed before they could drop them (and their half-built
    templates)."""
    dropped = []
    for name in databases("centra_cluster_%"):
        tag = name.rsplit("_", 1)[-1]
        found = RUN_NAME.match(tag)
        if found and not run_is_alive(int(found.group(1))):
            drop(name)
            dropped.append(name)
    return dropped


def seeded_template(tag: str) -> str:
    """A database migrated and seeded once for this code, kept as the template each run
    copies (migrating and seeding take minutes; a copy, seconds). Named after a hash of
    the migrations and the seed, so changed code makes a new one (and drops the old).
    Built under this run's name and renamed when complete: an interrupted build is never
    used, and two runs building at once do not drop each other's."""
    digest = hashlib.sha256(" ".join(SEED).encode())
    sources = [
        *sorted(ROOT.glob("*/migrations/*.py")),
        ROOT / "dashboard" / "management" / "commands" / "seed_demo.py",
    ]
    for path in sources:
        digest.update(path.read_bytes())
    name = f"{TEMPLATE}{digest.hexdigest()[:12]}"
    built = [found for found in databases(TEMPLATE + "%") if not re.search(r"_ct\d+$", found)]
    if name in built:
        return name
    for old in built:
        drop(old)
    say("migrating and seeding a template database (once for this code)")
    building = f"{name}_{tag}"
    drop(building)
    sql(f'CREATE DATABASE "{building}"')
    env = django_env(DATABASE_URL=database_url(building))
    manage(env, "migrate", "-v0")
    manage(env, *SEED)
    if name in databases(name):  # another run built it meanwhile
        drop(building)
    else:
        sql(f'ALTER DATABASE "{building}" RENAME TO "{name}"')
    return name


def django_env(**extra: str) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", ""),
        "LANG": "C.UTF-8",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "CENTRA_ENV": "development",
        "DEBUG": "0",
        "LOGIN_FAILURE_LIMIT": str(LOGIN_FAILURE_LIMIT),
        "API_THROTTLE_RATE": "1000000/min",
        "PYTHONUNBUFFERED": "1",
        **extra,
    }


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [PYTHON, "manage.py", *args], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL
    )


class RedisDatabase:
    """A Redis database of this run's own: the first of 15 down to 8 that is empty,
    claimed with a key (SET NX) so that a second run, or a test run (which counts up
    from database 5), does not share it. Emptied when released."""

    KEY = "centra-cluster-run"

    def __init__(self, tag: str) -> None:
        import redis

        for number in range(15, 7, -1):
            client = redis.Redis.from_url(f"redis://{REDIS}/{number}")
            if client.set(self.KEY, tag, nx=True, ex=3600):
                if client.dbsize() == 1:
                    self.number, self.client = number, client
                    return
                client.delete(self.KEY)
            elif (owner := client.get(self.KEY)) and not run_is_alive(
                int(RUN_NAME.match(owner.decode()).group(1))
            ):
                client.flushdb()  # a killed run's: free again on the next run
        raise RuntimeError(f"no empty Redis database among 8 to 15 on {REDIS}")

    def release(self) -> None:
        self.client.flushdb()


def pending_tasks(database: str, until: datetime) -> list[str]:
    """The tasks not finished yet, but the recurring ones queued after `until`."""
    rows = sql(
        "SELECT task_path FROM django_tasks_database_dbtaskresult "
        "WHERE status IN ('READY', 'RUNNING') "
        "AND (enqueued_at <= %(until)s OR NOT task_path = ANY(%(recurring)s))",
        {"until": until, "recurring": list(RECURRING)},
        database,
    )
    return [row[0] for row in rows]


def reminders_sent(database: str, patients: list[int]) -> int:
    return sql(
        "SELECT count(*) FROM reminders_sentreminder WHERE patient_id = ANY(%s)",
        [patients],
        database,
    )[0][0]


def wait_for(what: str, remaining, *, first_deadline: float, stall: float) -> None:
    """Poll `remaining()` (how much is left: 0 when done) until it is 0. Gives up after
    `first_deadline` (monotonic), later while the count keeps going down: each drop
    grants `stall` more seconds. So a slow, loaded machine is waited for, a stuck run is
    not."""
    deadline, best = first_deadline, None
    while True:
        left = remaining()
        if not left:
            return
        if best is None or left < best:
            best = left
            deadline = max(deadline, time.monotonic() + stall)
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what}: {left} left, no progress for {stall:.0f} s")
        time.sleep(1)
