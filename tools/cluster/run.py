# ruff: noqa: S603  (it runs ip, nginx and this Python: fixed programs, no outside input)
"""The run: the hosts started in their namespaces, the busy hour driven from the client
hosts with one app host and one worker killed, then the checks and the report."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchkit import percentile

from . import (
    APP_PORT,
    BUSY_SECONDS,
    EDGE_PORT,
    KILL_APP_AT,
    KILL_WORKER_AT,
    POSTGRES,
    PYTHON,
    REDIS,
    REVIVE_APP_AT,
    ROOT,
    SCRIPT,
    TASK_ABANDONED_SECONDS,
    say,
)
from .database import (
    RedisDatabase,
    database_url,
    django_env,
    drop,
    drop_leftovers,
    pending_tasks,
    reminders_sent,
    seeded_template,
    sql,
    wait_for,
)
from .hosts import (
    GUNICORN,
    NGINX,
    STALL_SECONDS,
    Processes,
    free_port,
    listening,
    nginx_config,
    wait_answering,
)
from .network import Forwarder, Network, sweep_leftovers


def emails_sent(folder: Path) -> list[str]:
    """The recipient of each reminder email the workers wrote (file backend)."""
    found = []
    for path in folder.glob("*/*.log"):
        for line in path.read_text(errors="replace").splitlines():
            if line.startswith("To: ") and line.endswith("@cluster.test"):
                found.append(line[4:].strip())
    return found


def last_json(text: str) -> Any:
    return json.loads(text.strip().splitlines()[-1])


def orchestrate() -> int:
    if os.geteuid() != 0:
        say(
            "needs root: it makes network namespaces and veth pairs (ip netns). "
            "Run it as root (CI does)."
        )
        return 2
    for tool in ("ip", NGINX):
        if not shutil.which(tool) and not os.path.exists(tool):
            say(f"needs {tool}")
            return 2
    started = time.monotonic()
    folder = Path(tempfile.mkdtemp(prefix="centra-cluster-"))
    network = Network()
    processes = Processes(folder)
    database = f"centra_cluster_{network.tag}"
    redis_database = None

    def stop(signum: int, _frame: Any) -> None:
        raise SystemExit(128 + signum)

    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, stop)
    try:
        leftovers = sweep_leftovers() + drop_leftovers()
        if leftovers:
            say(f"removed what killed runs left: {', '.join(leftovers)}")
        redis_database = RedisDatabase(network.tag)
        return run(network, processes, folder, database, redis_database.number, started)
    finally:
        processes.stop_all()
        network.down()
        with contextlib.suppress(Exception):
            drop(database)
        if redis_database is not None:
            with contextlib.suppress(Exception):
                redis_database.release()
        if os.environ.get("CLUSTER_KEEP_LOGS"):
            say(f"logs kept in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


def run(
    network: Network,
    processes: Processes,
    folder: Path,
    database: str,
    redis_number: int,
    started: float,
) -> int:
    def since() -> str:
        return f"{time.monotonic() - started:.0f} s"

    say(
        f"hosts on {network.prefix}.0/24: "
        + ", ".join(f"{h} {a}" for h, a in network.address.items())
    )
    network.up()
    gateway = network.gateway
    pg_server = urlsplit_host(POSTGRES)
    pg_relay = Forwarder(gateway, pg_server).started()
    redis_host, redis_port = REDIS.rsplit(":", 1)
    redis_relay = Forwarder(gateway, (redis_host, int(redis_port))).started()
    s3_port = free_port(gateway)
    processes.start(
        "s3", [PYTHON, "-m", "moto.server", "-H", gateway, "-p", str(s3_port)], django_env()
    )
    drop(database)
    sql(f'CREATE DATABASE "{database}" TEMPLATE "{seeded_template(network.tag)}"')
    local = django_env(DATABASE_URL=database_url(database))
    say(f"database ready after {since()}")

    bucket = f"centra-{network.tag}"
    wait_for(
        "the S3 server",
        lambda: listening(gateway, s3_port),
        first_deadline=time.monotonic() + STALL_SECONDS,
        stall=STALL_SECONDS,
    )
    import boto3

    boto3.client(
        "s3",
        endpoint_url=f"http://{gateway}:{s3_port}",
        region_name="us-east-1",
        aws_access_key_id="cluster",
        aws_secret_access_key="cluster-secret",
    ).create_bucket(Bucket=bucket)

    address = network.address
    hosts_env = django_env(
        DATABASE_URL=database_url(database, f"{gateway}:{pg_relay.port}"),
        REDIS_URL=f"redis://{gateway}:{redis_relay.port}/{redis_number}",
        S3_BUCKET=bucket,
        S3_ENDPOINT_URL=f"http://{gateway}:{s3_port}",
        S3_REGION="us-east-1",
        S3_ACCESS_KEY_ID="cluster",
        S3_SECRET_ACCESS_KEY="cluster-secret",
        PROXY_COUNT="1",
        ALLOWED_HOSTS=",".join([address["edge"], address["app1"], address["app2"]]),
        SITE_URL=f"http://{address['edge']}:{EDGE_PORT}",
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        TASK_RETRY_SECONDS="2",
        # The killed worker's task goes back to the queue within the run.
        TASK_ABANDONED_SECONDS=str(TASK_ABANDONED_SECONDS),
        DB_CONN_MAX_AGE="0",
    )

    def app(host: str) -> None:
        command = [
            GUNICORN,
            "config.wsgi:application",
            "--preload",
            "--workers",
            "2",
            "--bind",
            f"{address[host]}:{APP_PORT}",
            "--log-level",
            "warning",
            # A handout rendered while the machine is busy may take a while.
            "--timeout",
            "120",
        ]
        processes.start(host, network.run_in(host, command), hosts_env)

    def worker(host: str) -> None:
        mail = folder / "mail" / host
        mail.mkdir(parents=True, exist_ok=True)
        command = [PYTHON, "manage.py", "run_worker", "--no-reload"]
        processes.start(
            host, network.run_in(host, command), {**hosts_env, "EMAIL_FILE_PATH": str(mail)}
        )

    # The hosts start while the run's users and data are made (in a Django of its own).
    for host in ("app1", "app2"):
        app(host)
    for host in ("worker1", "worker2"):
        worker(host)
    config = nginx_config(network, folder)
    processes.start(
        "edge", network.run_in("edge", [NGINX, "-c", str(config), "-p", str(folder)]), django_env()
    )
    prepared = subprocess.run(
        [PYTHON, str(SCRIPT), "--prepare"],
        env=local,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    setup = last_json(prepared.stdout)
    say(f"users and data made after {since()}")
    setup_file = folder / "setup.json"
    setup_file.write_text(json.dumps(setup))
    for host in ("app1", "app2"):
        wait_answering(f"http://{address[host]}:{APP_PORT}/healthz", processes, host)
    wait_answering(f"http://{address['edge']}:{EDGE_PORT}/healthz", processes, "edge")
    say(f"app hosts and proxy answering after {since()}")
    # The handouts queued at activation are rendered before the busy hour, as they
    # would be long before patients ask for them.
    wait_for(
        "handouts rendered before the busy hour",
        lambda: sum(
            path.endswith("render_handout_pdf")
            for path in pending_tasks(database, datetime.now(UTC))
        ),
        first_deadline=time.monotonic() + STALL_SECONDS,
        stall=STALL_SECONDS,
    )
    say(f"ready after {since()}; the busy hour runs {BUSY_SECONDS} s")

    proxy = f"http://{address['edge']}:{EDGE_PORT}"
    drivers = {
        role: processes.start(
            f"driver-{role}",
            network.run_in(
                role,
                [PYTHON, str(SCRIPT), "--drive", role, proxy, str(setup_file), str(BUSY_SECONDS)],
            ),
            django_env(),
            output=True,
        )
        for role in ("office", "home")
    }
    busy_started = time.monotonic()
    events = [
        (KILL_APP_AT, "killing app host app1", lambda: processes.kill("app1")),
        (KILL_WORKER_AT, "killing worker host worker1", lambda: processes.kill("worker1")),
        (REVIVE_APP_AT, "app host app1 starts again", lambda: app("app1")),
    ]
    for share, message, action in events:
        time.sleep(max(0.0, busy_started + share * BUSY_SECONDS - time.monotonic()))
        say(message)
        action()
    results = {}
    for role, driver in drivers.items():
        out, _ = driver.communicate(timeout=BUSY_SECONDS + 300)
        results[role] = last_json(out)
    busy_ended = datetime.now(UTC)

    problems: list[str] = []
    say(f"busy hour over after {since()}; waiting for the reminders and the queue")
    patients = [due["patient"] for due in setup["due"]]
    last_slot = max(datetime.fromisoformat(due["slot"]) for due in setup["due"])
    # A task the killed worker held goes back to the queue at the first scheduler minute
    # after TASK_ABANDONED_SECONDS.
    allowance = max(0.0, (last_slot - busy_ended).total_seconds()) + TASK_ABANDONED_SECONDS + 60

    def left() -> int:
        unsent = max(0, len(patients) - reminders_sent(database, patients))
        return unsent + len(pending_tasks(database, busy_ended))

    try:
        wait_for(
            "the reminders and the queue",
            left,
            first_deadline=time.monotonic() + allowance + STALL_SECONDS,
            stall=STALL_SECONDS,
        )
    except RuntimeError as error:
        problems.append(f"{error}; unfinished: {sorted(set(pending_tasks(database, busy_ended)))}")
    wait_answering(f"http://{address['app1']}:{APP_PORT}/healthz", processes, "app1")
    say(f"queue drained after {since()}; probing the app hosts and checking the database")
    hosts = [f"http://{address[h]}:{APP_PORT}" for h in ("app1", "app2")]
    probe = subprocess.run(
        network.run_in("office", [PYTHON, str(SCRIPT), "--after", str(setup_file), *hosts]),
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=django_env(),
    )
    problems += last_json(probe.stdout) if probe.returncode == 0 else [probe.stderr[-1000:]]
    for role, result in results.items():
        problems += [f"{role}: {failure}" for failure in result["failures"]]
    sent = {
        "logs": results["office"]["logs"] + results["home"]["logs"],
        "unanswered": results["office"]["unanswered"] + results["home"]["unanswered"],
        "mails": emails_sent(folder / "mail"),
    }
    (folder / "sent.json").write_text(json.dumps(sent))
    checked = subprocess.run(
        [
            PYTHON,
            str(SCRIPT),
            "--check",
            str(setup_file),
            str(folder / "sent.json"),
            address["edge"],
            address["office"],
            address["home"],
        ],
        env=local,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if checked.returncode == 0:
        found = last_json(checked.stdout)
        problems += found["problems"]
        for note in found["notes"]:
            say(note)
    else:
        problems.append(checked.stderr[-2000:])
    report(results, sent, setup)
    say(f"done in {since()}")
    if problems:
        print("\nFAILED:")
        for problem in problems:
            print(f"  - {problem}")
        return 1
    print(
        "\nOK: no 5xx, nothing lost or doubled, handouts on both hosts, one lockout, "
        "clients' addresses audited"
    )
    return 0


def urlsplit_host(url: str) -> tuple[str, int]:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return parts.hostname or "127.0.0.1", parts.port or 5432


def report(results: dict, sent: dict, setup: dict) -> None:
    samples: dict[str, list[float]] = defaultdict(list)
    for result in results.values():
        for kind, values in result["samples"].items():
            samples[kind] += values
    total = sum(len(v) for v in samples.values())
    print(
        f"\nBusy hour through nginx: {total} requests in {BUSY_SECONDS} s, "
        "app1 and worker1 killed mid-run"
    )
    print(f"  {'request':<26} {'n':>5} {'p50 ms':>8} {'p95 ms':>8}")
    for kind in sorted(samples):
        values = samples[kind]
        p50, p95 = percentile(values, 0.5) * 1000, percentile(values, 0.95) * 1000
        print(f"  {kind:<26} {len(values):5d} {p50:8.1f} {p95:8.1f}")
    print(
        f"  logs stored {len(sent['logs'])}, reminders due {len(setup['due'])}, "
        f"reminder emails {len(sent['mails'])}"
    )
