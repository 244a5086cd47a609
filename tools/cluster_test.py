# ruff: noqa: S603, S607  (it runs ip, nginx and this Python: fixed programs, no outside input)
"""`make cluster-test`: Centra on several hosts, with one of each killed mid-run.

Each host is a network namespace of its own (`ip netns`), joined to the others by a
veth pair on a bridge made for the run: two app hosts (gunicorn), two worker hosts
(`manage.py run_worker`), an edge host (nginx in front of both app hosts, passing a
request to the other one when the first fails), and two client hosts (a clinic's
office and patients at home). PostgreSQL (a fresh database), Redis and an S3 server
(moto, as the tests use) are the machine's own, reached through the bridge.

Through the proxy it drives a bounded busy hour: therapists and patients sign in
through the forms (CSRF and all), therapists browse and download handouts, patients
log exercises and download theirs, a clinic system syncs through the API, reminders
fall due. Mid-run it kills one app host and one worker (SIGKILL), and brings the app
host back later. Then it checks:

- no answer was a 5xx (nor a dropped connection);
- every log sent was stored exactly once;
- every reminder due was sent exactly once (one email, one row), and no task was lost;
- every handout downloads from either app host;
- the sign-in pause counts wrong passwords across both app hosts as one;
- the audit log holds the clients' addresses, never the proxy's, and verifies.

It prints p50 and p95 per kind of request. It needs root (namespaces); without it,
it says so and fails. Everything it made is removed on exit, whatever the exit.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
POSTGRES = os.environ.get("CLUSTER_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
REDIS = os.environ.get("CLUSTER_REDIS", "127.0.0.1:6379")
REDIS_DB = os.environ.get("CLUSTER_REDIS_DB", "7")

BUSY_SECONDS = int(os.environ.get("CLUSTER_BUSY_SECONDS", "60"))
KILL_APP_AT, KILL_WORKER_AT, REVIVE_APP_AT = 0.3, 0.45, 0.7  # shares of the busy hour
THERAPISTS, PORTAL_PATIENTS, SYNC_CLIENTS = 2, 3, 1
REMINDER_PATIENTS = 30
LOGIN_FAILURE_LIMIT = 4
APP_PORT, EDGE_PORT = 8000, 8080
HOSTS = ["app1", "app2", "worker1", "worker2", "edge", "office", "home"]
PASSWORD = "cluster-test-password-2026"
TIMEOUT = 120
CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def say(message: str) -> None:
    print(f"[cluster] {message}", flush=True)


# --- the network ---------------------------------------------------------------------


class Network:
    """A bridge and one namespace per host, each joined to the bridge by a veth pair.
    Names carry this run's number, so two runs on one machine do not collide."""

    def __init__(self) -> None:
        run = os.getpid() % 100_000
        self.tag = f"ct{run}"
        self.bridge = f"{self.tag}br"
        # A /24 no interface of the machine uses.
        used = subprocess.run(["ip", "-4", "-o", "addr"], capture_output=True, text=True).stdout
        rng = random.Random(run)
        while True:
            prefix = f"10.{rng.randint(100, 250)}.{rng.randint(0, 255)}"
            if f" {prefix}." not in used:
                break
        self.prefix = prefix
        self.gateway = f"{prefix}.1"
        self.address = {host: f"{prefix}.{10 + n}" for n, host in enumerate(HOSTS)}
        self.made: list[str] = []

    def namespace(self, host: str) -> str:
        return f"{self.tag}-{host}"

    def up(self) -> None:
        ip("link", "add", self.bridge, "type", "bridge")
        self.made.append("bridge")
        ip("addr", "add", f"{self.gateway}/24", "dev", self.bridge)
        ip("link", "set", self.bridge, "up")
        for n, host in enumerate(HOSTS):
            space, outside, inside = self.namespace(host), f"{self.tag}o{n}", f"{self.tag}i{n}"
            ip("netns", "add", space)
            self.made.append(space)
            ip("link", "add", outside, "type", "veth", "peer", "name", inside)
            ip("link", "set", inside, "netns", space)
            ip("link", "set", outside, "master", self.bridge)
            ip("link", "set", outside, "up")
            ip("-n", space, "addr", "add", f"{self.address[host]}/24", "dev", inside)
            ip("-n", space, "link", "set", inside, "up")
            ip("-n", space, "link", "set", "lo", "up")

    def down(self) -> None:
        for made in reversed(self.made):
            if made == "bridge":
                subprocess.run(["ip", "link", "del", self.bridge], capture_output=True)
            else:
                subprocess.run(["ip", "netns", "del", made], capture_output=True)
        self.made = []

    def run_in(self, host: str, command: list[str]) -> list[str]:
        return ["ip", "netns", "exec", self.namespace(host), *command]


def ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True)


class Forwarder(threading.Thread):
    """PostgreSQL and Redis listen on the machine's loopback only: a TCP relay on the
    bridge address lets the hosts reach them."""

    def __init__(self, listen: tuple[str, int], target: tuple[str, int]) -> None:
        super().__init__(daemon=True)
        self.listen, self.target = listen, target
        self.ready = threading.Event()

    def run(self) -> None:
        asyncio.run(self.serve())

    async def serve(self) -> None:
        server = await asyncio.start_server(self.relay, *self.listen)
        self.ready.set()
        async with server:
            await server.serve_forever()

    async def relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            target_reader, target_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.close()
            return

        async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            try:
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            except OSError:
                pass
            finally:
                with contextlib.suppress(OSError):
                    sink.close()

        await asyncio.gather(pipe(reader, target_writer), pipe(target_reader, writer))


# --- processes -------------------------------------------------------------------------


class Processes:
    """Every process the run starts, each in its own process group, so that killing a
    host kills all of it (gunicorn's workers with their master)."""

    def __init__(self, logs: Path) -> None:
        self.logs = logs
        self.running: dict[str, subprocess.Popen] = {}

    def start(self, name: str, command: list[str], env: dict[str, str]) -> subprocess.Popen:
        log = open(self.logs / f"{name}.log", "ab")  # noqa: SIM115 (kept open for the process)
        process = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.running[name] = process
        return process

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        process = self.running.pop(name, None)
        if process is None or process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)

    def stop_all(self) -> None:
        for name in list(self.running):
            self.kill(name, signal.SIGTERM)


def wait_for_port(host: str, port: int, network: Network, space: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    probe = f"import socket; socket.create_connection(({host!r}, {port}), timeout=1).close()"
    while time.monotonic() < deadline:
        done = subprocess.run(network.run_in(space, [PYTHON, "-c", probe]), capture_output=True)
        if done.returncode == 0:
            return
        time.sleep(0.5)
    raise RuntimeError(f"nothing answers on {host}:{port} after {seconds:.0f} s")


def free_port(host: str) -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def nginx_config(network: Network, folder: Path) -> Path:
    upstreams = "\n".join(
        f"    server {network.address[host]}:{APP_PORT} max_fails=2 fail_timeout=3s;"
        for host in ("app1", "app2")
    )
    config = folder / "nginx.conf"
    config.write_text(
        f"""
daemon off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/nginx-error.log;
events {{ worker_connections 256; }}
http {{
  access_log off;
  client_body_temp_path {folder}/body;
  proxy_temp_path {folder}/proxy;
  fastcgi_temp_path {folder}/fastcgi;
  uwsgi_temp_path {folder}/uwsgi;
  scgi_temp_path {folder}/scgi;
  client_max_body_size 3m;
  upstream app {{
{upstreams}
  }}
  server {{
    listen {network.address["edge"]}:{EDGE_PORT};
    location / {{
      proxy_pass http://app;
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_connect_timeout 2s;
      proxy_read_timeout 120s;
      # A host that died: the request goes to the other one. A POST too, even when
      # it reached the dead host: logs carry their own key (client_token,
      # Idempotency-Key), so a write that did commit is not stored twice. An answer
      # of the app itself (a 503 included) is the answer, not a dead host.
      proxy_next_upstream error timeout non_idempotent;
      proxy_next_upstream_tries 2;
    }}
  }}
}}
"""
    )
    return config


# --- the database ----------------------------------------------------------------------


def database_url(name: str, host: str = "") -> str:
    parts = urlsplit(POSTGRES)
    if host:
        netloc = parts.netloc.rsplit("@", 1)
        credentials = f"{netloc[0]}@" if len(netloc) == 2 else ""
        parts = parts._replace(netloc=f"{credentials}{host}")
    return urlunsplit(parts._replace(path=f"/{name}"))


def admin_sql(sql: str) -> None:
    import psycopg

    with psycopg.connect(POSTGRES, autocommit=True) as connection:
        connection.execute(sql)


SEED = ["seed_demo", "--patients", "300", "--days", "5"]


def seeded_template() -> str:
    """A database migrated and seeded once for this code, kept as the template each run
    copies (migrating and seeding take minutes; a copy, seconds). Named after a hash of
    the migrations and the seed, so changed code makes a new one (and drops the old)."""
    import hashlib

    import psycopg

    digest = hashlib.sha256(" ".join(SEED).encode())
    sources = [
        *sorted(ROOT.glob("*/migrations/*.py")),
        ROOT / "dashboard" / "management" / "commands" / "seed_demo.py",
    ]
    for path in sources:
        digest.update(path.read_bytes())
    name = f"centra_cluster_template_{digest.hexdigest()[:12]}"
    with psycopg.connect(POSTGRES, autocommit=True) as connection:
        names = [
            row[0]
            for row in connection.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE 'centra_cluster_template_%'"
            )
        ]
    if name in names:
        return name
    for old in names:
        admin_sql(f'DROP DATABASE IF EXISTS "{old}" WITH (FORCE)')
    say("migrating and seeding a template database (once for this code)")
    building = f"{name}_building"
    admin_sql(f'DROP DATABASE IF EXISTS "{building}" WITH (FORCE)')
    admin_sql(f'CREATE DATABASE "{building}"')
    env = django_env(DATABASE_URL=database_url(building))
    manage(env, "migrate", "-v0")
    manage(env, *SEED, capture=True)
    # Renamed only when complete: an interrupted build is never used.
    admin_sql(f'ALTER DATABASE "{building}" RENAME TO "{name}"')
    return name


def daytime_zone() -> str:
    """A fixed-offset zone in which it is now mid-day, so reminders are in waking hours."""
    hour = time.gmtime().tm_hour
    offset = (13 - hour + 12) % 24 - 12
    return "UTC" if offset == 0 else f"Etc/GMT{'-' if offset > 0 else '+'}{abs(offset)}"


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


def manage(env: dict[str, str], *args: str, capture: bool = False) -> str:
    done = subprocess.run(
        [PYTHON, "manage.py", *args],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=capture,
        text=True,
    )
    return done.stdout if capture else ""


# --- inside Django: the data the run needs, and what it checks afterwards --------------


def setup_django() -> None:
    import warnings

    import django

    warnings.filterwarnings("ignore", message="No directory at")
    sys.path.insert(0, str(ROOT))
    django.setup()


def prepare() -> dict[str, Any]:
    """Logins with passwords for therapists and patients, an API key, reminders falling
    due during the run, and handouts queued for the workers to render."""
    setup_django()
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from api.models import create_api_key
    from clinics.models import Clinic, Therapist
    from handouts.tasks import render_handout_pdf
    from patients.models import Patient
    from prescriptions.models import NeuroSymptom, Prescription, PrescriptionItem
    from prescriptions.services import record_red_flag_check
    from reminders.models import ReminderPlan

    users = get_user_model().objects
    clinic = Clinic.objects.get(slug="riverside")
    zone = daytime_zone()
    therapists = []
    for n in range(THERAPISTS + 1):  # the last one is the lockout probe's
        user = users.create_user(f"cluster-therapist-{n}", password=PASSWORD)
        Therapist.objects.create(user=user, clinic=clinic)
        therapists.append(user.username)
    bulk = list(
        Patient.objects.for_clinic(clinic)
        .filter(external_id__startswith="BULK-", prescriptions__status="active")
        .order_by("pk")
        .values_list("pk", flat=True)[: PORTAL_PATIENTS + REMINDER_PATIENTS + 20]
    )
    portal = []
    for patient in Patient.objects.filter(pk__in=bulk[:PORTAL_PATIENTS]).order_by("pk"):
        patient.user = users.create_user(f"cluster-patient-{patient.pk}", password=PASSWORD)
        patient.save(update_fields=["user"])
        record_red_flag_check(patient=patient, answered_yes=[])
        items = PrescriptionItem.objects.filter(
            prescription__patient=patient, prescription__status="active"
        ).values_list("pk", flat=True)
        program = Prescription.objects.get(patient=patient, status="active")
        portal.append(
            {"username": patient.user.username, "items": list(items), "program": program.pk}
        )
    programs = list(
        Prescription.objects.filter(patient_id__in=bulk, status="active").values_list(
            "pk", flat=True
        )
    )
    for program in programs[: PORTAL_PATIENTS + 10]:
        render_handout_pdf.enqueue(program)
    # Reminders due in the second and third minute from now, in a zone where it is day.
    now = timezone.now()
    due = []
    reminded = Patient.objects.filter(
        pk__in=bulk[PORTAL_PATIENTS : PORTAL_PATIENTS + REMINDER_PATIENTS]
    )
    for n, patient in enumerate(reminded.order_by("pk")):
        slot = (now + timedelta(minutes=1 + n % 2)).replace(second=0, microsecond=0)
        local = slot.astimezone(_zone(zone))
        patient.time_zone = zone
        patient.email = f"patient-{patient.pk}@cluster.test"
        patient.save(update_fields=["time_zone", "email"])
        ReminderPlan.objects.update_or_create(
            patient=patient, defaults={"times": [local.strftime("%H:%M")], "by_email": True}
        )
        due.append({"patient": patient.pk, "slot": slot.isoformat(), "email": patient.email})
    _, key = create_api_key(clinic=clinic, name="cluster sync", read_only=False)
    api_items = list(
        PrescriptionItem.objects.filter(
            prescription__patient__in=bulk[PORTAL_PATIENTS + REMINDER_PATIENTS :],
            prescription__status="active",
        ).values_list("pk", flat=True)[:50]
    )
    return {
        "therapists": therapists,
        "patients": bulk,
        "portal": portal,
        "programs": programs[: PORTAL_PATIENTS + 10],
        "key": key,
        "api_items": api_items,
        "neuro": list(NeuroSymptom.values),
        "due": due,
        "started": now.isoformat(),
    }


def _zone(name: str):
    import zoneinfo

    return zoneinfo.ZoneInfo(name)


def check(setup: dict, sent: dict, proxy_address: str, client_addresses: list[str]) -> list[str]:
    """What the database says after the run: each problem found, as a sentence."""
    setup_django()
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    from clinics.models import AuditEvent
    from prescriptions.models import SymptomLog
    from reminders.models import SentReminder

    problems = []
    notes = SymptomLog.objects.filter(note__startswith="cluster-").values_list("note", flat=True)
    stored = defaultdict(int)
    for note in notes:
        stored[note] += 1
    for marker in sent["logs"]:
        if stored.get(marker, 0) != 1:
            problems.append(f"log {marker} was stored {stored.get(marker, 0)} times, not once")
    unknown = set(stored) - set(sent["logs"]) - set(sent["unanswered"])
    if unknown:
        problems.append(f"{len(unknown)} logs were stored that no client saw answered")

    for due in setup["due"]:
        rows = SentReminder.objects.filter(patient_id=due["patient"], slot=due["slot"]).count()
        if rows != 1:
            problems.append(f"the reminder of patient {due['patient']} has {rows} rows, not 1")
    mails = defaultdict(int)
    for address in sent["mails"]:
        mails[address] += 1
    for due in setup["due"]:
        if mails.get(due["email"], 0) != 1:
            problems.append(
                f"{due['email']} got {mails.get(due['email'], 0)} reminder emails, not 1"
            )

    stuck = DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).count()
    if stuck:
        problems.append(f"{stuck} tasks never finished (lost with the killed worker?)")
    failed = DBTaskResult.objects.filter(status="FAILED").values_list("task_path", flat=True)
    if failed:
        problems.append(f"tasks failed: {sorted(set(failed))}")

    since = datetime.fromisoformat(setup["started"])
    ips = set(
        AuditEvent.objects.filter(at__gte=since, ip__isnull=False).values_list("ip", flat=True)
    )
    if proxy_address in ips:
        problems.append(f"the audit log holds the proxy's address {proxy_address}")
    if not ips or not ips <= set(client_addresses):
        problems.append(
            f"the audit log's addresses {sorted(ips)} are not the clients' {client_addresses}"
        )
    out = __import__("io").StringIO()
    try:
        call_command("verify_audit", stdout=out)
    except Exception as error:  # the command's own report says what broke
        problems.append(f"verify_audit: {error}: {out.getvalue()[-500:]}")
    return problems


def handouts_rendered() -> bool:
    setup_django()
    from django_tasks_db.models import DBTaskResult

    renders = DBTaskResult.objects.filter(task_path__endswith="render_handout_pdf")
    return not renders.filter(status__in=["READY", "RUNNING"]).exists()


def queue_drained(setup: dict) -> bool:
    setup_django()
    from django_tasks_db.models import DBTaskResult

    from reminders.models import SentReminder

    sent = SentReminder.objects.filter(patient_id__in=[due["patient"] for due in setup["due"]])
    busy = DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).exclude(
        task_path__endswith="seal_audit_chains"
    )
    return sent.count() >= len(setup["due"]) and not busy.exists()


# --- the clients -----------------------------------------------------------------------


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class Client:
    """One browser or API client: its own cookies; each request timed by kind."""

    def __init__(self, base: str, results: dict, headers: dict[str, str] | None = None) -> None:
        self.base, self.results = base, results
        self.headers = headers or {}
        self.cookies: dict[str, str] = {}
        self.opener = urllib.request.build_opener(NoRedirect)

    def request(
        self,
        kind: str,
        path: str,
        *,
        form: dict | None = None,
        body: dict | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, bytes]:
        sent = {**self.headers, **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if form is not None:
            data = urllib.parse.urlencode(form, doseq=True).encode()
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            sent["Referer"] = self.base + path
        elif body is not None:
            data = json.dumps(body).encode()
            sent["Content-Type"] = "application/json"
        # Only ever the proxy or the app hosts of this run.
        request = urllib.request.Request(self.base + path, data=data, headers=sent)  # noqa: S310
        started = time.perf_counter()
        try:
            with self.opener.open(request, timeout=TIMEOUT) as response:
                status, content, answer = response.status, response.read(), response.headers
        except urllib.error.HTTPError as error:
            status, content, answer = error.code, error.read(), error.headers
        except OSError:
            status, content, answer = 0, b"", None
        elapsed = time.perf_counter() - started
        for cookie in (answer.get_all("Set-Cookie") or []) if answer else []:
            name, _, value = cookie.split(";", 1)[0].partition("=")
            self.cookies[name.strip()] = value.strip()
        self.results["samples"][kind].append(elapsed)
        if status == 0 or status >= 500:
            self.results["failures"].append(f"{kind} {path}: {status or 'no answer'}")
        return status, content

    def sign_in(self, username: str) -> int:
        _status, page = self.request("sign-in form", "/accounts/login/")
        token = CSRF_FIELD.search(page)
        form = {
            "csrfmiddlewaretoken": token.group(1).decode() if token else "",
            "username": username,
            "password": PASSWORD if not username.startswith("!") else "wrong-password",
        }
        if username.startswith("!"):
            form["username"] = username[1:]
        status, _ = self.request("sign-in sent", "/accounts/login/", form=form)
        return status


def therapist_user(client: Client, setup: dict, n: int, until: float) -> None:
    if client.sign_in(setup["therapists"][n]) != 302:
        client.results["failures"].append(f"therapist {n} could not sign in")
        return
    patients, sorts = setup["patients"], ("name", "recent_log", "no_recent_log", "newest")
    round_ = 0
    while time.monotonic() < until:
        client.request("therapist: patient list", f"/patients/?sort={sorts[round_ % 4]}")
        client.request(
            "therapist: patient page", f"/patients/{patients[(n * 7 + round_) % len(patients)]}/"
        )
        program = setup["programs"][(n + round_) % len(setup["programs"])]
        status, pdf = client.request("therapist: handout", f"/programs/{program}/handout.pdf")
        if status == 200 and not pdf.startswith(b"%PDF"):
            client.results["failures"].append(f"handout {program} is not a PDF")
        round_ += 1


def portal_user(client: Client, setup: dict, n: int, until: float) -> None:
    portal = setup["portal"][n]
    if client.sign_in(portal["username"]) != 302:
        client.results["failures"].append(f"patient {n} could not sign in")
        return
    round_ = 0
    while time.monotonic() < until:
        client.request("patient: today", "/portal/")
        item = portal["items"][round_ % len(portal["items"])]
        _status, page = client.request("patient: log form", f"/portal/exercises/{item}/log/")
        token = CSRF_FIELD.search(page)
        marker = f"cluster-portal-{n}-{round_}"
        form = {
            "csrfmiddlewaretoken": token.group(1).decode() if token else "",
            "sets_done": "1",
            "repetitions_done": "10",
            "pain": "3",
            "location": "central",
            "during": "no_effect",
            "after": "no_effect",
            "note": marker,
            "client_token": marker,
            **{f"neuro_{code}": "no" for code in setup["neuro"]},
        }
        status, _ = client.request("patient: log sent", f"/portal/exercises/{item}/log/", form=form)
        client.results["logs" if status == 302 else "unanswered"].append(marker)
        if round_ % 3 == 0:
            status, pdf = client.request(
                "patient: handout", f"/programs/{portal['program']}/handout.pdf"
            )
            if status == 200 and not pdf.startswith(b"%PDF"):
                client.results["failures"].append(f"handout {portal['program']} is not a PDF")
        round_ += 1


def sync_user(client: Client, setup: dict, n: int, until: float) -> None:
    since = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    items, round_ = setup["api_items"], 0
    while time.monotonic() < until:
        client.request("api: symptom-log page", "/api/v1/symptom-logs/?page_size=100")
        query = urllib.parse.urlencode({"updated_since": since})
        client.request("api: changed patients", f"/api/v1/patients/?{query}")
        marker = f"cluster-api-{n}-{round_}"
        status, _ = client.request(
            "api: log sent",
            "/api/v1/symptom-logs/",
            headers={"Idempotency-Key": marker},
            body={
                "item": items[(n * 13 + round_) % len(items)],
                "sets_done": 1,
                "repetitions_done": 10,
                "pain": 3,
                "location": "central",
                "during": "no_effect",
                "after": "no_effect",
                "note": marker,
            },
        )
        client.results["logs" if status == 201 else "unanswered"].append(marker)
        round_ += 1


def drive(role: str, base: str, setup: dict, seconds: float) -> dict:
    """Run one client host's users until the time is up; their results as JSON."""
    results: dict[str, Any] = {
        "samples": defaultdict(list),
        "failures": [],
        "logs": [],
        "unanswered": [],
    }
    until = time.monotonic() + seconds
    threads = []
    if role == "office":
        for n in range(THERAPISTS):
            threads.append(
                threading.Thread(
                    target=therapist_user, args=(Client(base, results), setup, n, until)
                )
            )
        api = {"Authorization": f"Api-Key {setup['key']}", "Accept": "application/json"}
        for n in range(SYNC_CLIENTS):
            threads.append(
                threading.Thread(
                    target=sync_user, args=(Client(base, results, api), setup, n, until)
                )
            )
    else:
        for n in range(PORTAL_PATIENTS):
            threads.append(
                threading.Thread(target=portal_user, args=(Client(base, results), setup, n, until))
            )
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def lockout_probe(hosts: list[str], setup: dict) -> list[str]:
    """Wrong passwords spread over both app hosts, straight (no proxy): the account is
    paused after LOGIN_FAILURE_LIMIT of them in all, on both hosts."""
    results: dict[str, Any] = {"samples": defaultdict(list), "failures": []}
    username = setup["therapists"][-1]
    problems = []
    for n in range(LOGIN_FAILURE_LIMIT):
        status = Client(hosts[n % 2], results).sign_in("!" + username)
        if status == 302:
            problems.append("a wrong password signed in")
    for host in hosts:
        status = Client(host, results).sign_in(username)
        if status != 429:
            problems.append(
                f"after {LOGIN_FAILURE_LIMIT} wrong passwords over both hosts, the right one "
                f"on {host} answered {status}, not the pause (429)"
            )
    return problems + results["failures"]


def handouts_on_each_host(hosts: list[str], setup: dict) -> list[str]:
    results: dict[str, Any] = {"samples": defaultdict(list), "failures": []}
    problems = []
    for host in hosts:
        client = Client(host, results)
        if client.sign_in(setup["therapists"][0]) != 302:
            problems.append(f"no sign-in on {host}")
            continue
        for program in setup["programs"]:
            status, pdf = client.request("handout", f"/programs/{program}/handout.pdf")
            if status != 200 or not pdf.startswith(b"%PDF"):
                problems.append(f"the handout of program {program} on {host}: {status}")
    return problems + results["failures"]


# --- the run ---------------------------------------------------------------------------


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def emails_sent(folder: Path) -> list[str]:
    """The recipient of each reminder email the workers wrote (file backend)."""
    found = []
    for path in folder.glob("*/*.log"):
        for line in path.read_text(errors="replace").splitlines():
            if line.startswith("To: ") and line.endswith("@cluster.test"):
                found.append(line[4:].strip())
    return found


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

    def stop(signum: int, _frame: Any) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        return run(network, processes, folder, database, started)
    finally:
        processes.stop_all()
        network.down()
        with contextlib.suppress(Exception):
            admin_sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        if os.environ.get("CLUSTER_KEEP_LOGS"):
            say(f"logs kept in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


def run(network: Network, processes: Processes, folder: Path, database: str, started: float) -> int:
    say(
        f"hosts on {network.prefix}.0/24: "
        + ", ".join(f"{h} {a}" for h, a in network.address.items())
    )
    network.up()
    gateway = network.gateway
    pg_port, redis_port, s3_port = free_port(gateway), free_port(gateway), free_port(gateway)
    pg_host = urlsplit(POSTGRES)
    for listen, target in (
        ((gateway, pg_port), (pg_host.hostname or "127.0.0.1", pg_host.port or 5432)),
        ((gateway, redis_port), (REDIS.split(":")[0], int(REDIS.split(":")[1]))),
    ):
        relay = Forwarder(listen, target)
        relay.start()
        relay.ready.wait(5)
    processes.start(
        "s3", [PYTHON, "-m", "moto.server", "-H", gateway, "-p", str(s3_port)], django_env()
    )

    admin_sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    admin_sql(f'CREATE DATABASE "{database}" TEMPLATE "{seeded_template()}"')
    local = django_env(DATABASE_URL=database_url(database))
    say(f"database ready after {time.monotonic() - started:.0f} s")
    import boto3
    import redis

    redis.Redis.from_url(f"redis://{REDIS}/{REDIS_DB}").flushdb()
    bucket = f"centra-{network.tag}"
    wait_for_port(gateway, s3_port, network, "edge", 30)
    boto3.client(
        "s3",
        endpoint_url=f"http://{gateway}:{s3_port}",
        region_name="us-east-1",
        aws_access_key_id="cluster",
        aws_secret_access_key="cluster-secret",
    ).create_bucket(Bucket=bucket)

    hosts_env = django_env(
        DATABASE_URL=database_url(database, f"{gateway}:{pg_port}"),
        REDIS_URL=f"redis://{gateway}:{redis_port}/{REDIS_DB}",
        S3_BUCKET=bucket,
        S3_ENDPOINT_URL=f"http://{gateway}:{s3_port}",
        S3_REGION="us-east-1",
        S3_ACCESS_KEY_ID="cluster",
        S3_SECRET_ACCESS_KEY="cluster-secret",
        PROXY_COUNT="1",
        ALLOWED_HOSTS=",".join(
            [network.address["edge"], network.address["app1"], network.address["app2"]]
        ),
        SITE_URL=f"http://{network.address['edge']}:{EDGE_PORT}",
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        TASK_RETRY_SECONDS="2",
        # The killed worker's task goes back to the queue within the run.
        TASK_ABANDONED_SECONDS="15",
        DB_CONN_MAX_AGE="0",
    )
    out = subprocess.run(
        [PYTHON, __file__, "--prepare"],
        env=local,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    setup = json.loads(out.strip().splitlines()[-1])
    setup_file = folder / "setup.json"
    setup_file.write_text(json.dumps(setup))

    def app(host: str) -> None:
        processes.start(
            host,
            network.run_in(
                host,
                [
                    GUNICORN,
                    "config.wsgi:application",
                    "--workers",
                    "2",
                    "--bind",
                    f"{network.address[host]}:{APP_PORT}",
                    "--log-level",
                    "warning",
                    # A handout rendered while the machine is busy may take a while.
                    "--timeout",
                    "120",
                ],
            ),
            hosts_env,
        )

    def worker(host: str) -> None:
        mail = folder / "mail" / host
        mail.mkdir(parents=True, exist_ok=True)
        processes.start(
            host,
            network.run_in(host, [PYTHON, "manage.py", "run_worker", "--no-reload"]),
            {**hosts_env, "EMAIL_FILE_PATH": str(mail)},
        )

    for host in ("app1", "app2"):
        app(host)
    for host in ("worker1", "worker2"):
        worker(host)
    processes.start(
        "edge",
        network.run_in(
            "edge", [NGINX, "-c", str(nginx_config(network, folder)), "-p", str(folder)]
        ),
        django_env(),
    )
    for host in ("app1", "app2"):
        wait_for_port(network.address[host], APP_PORT, network, "edge", 90)
    wait_for_port(network.address["edge"], EDGE_PORT, network, "office", 30)
    # The handouts queued at activation are rendered before the busy hour, as they
    # would be long before patients ask for them.
    deadline = time.monotonic() + 90
    rendered = [PYTHON, __file__, "--rendered", str(setup_file)]
    while time.monotonic() < deadline:
        if subprocess.run(rendered, env=local, cwd=ROOT, capture_output=True).returncode == 0:
            break
        time.sleep(2)
    say(f"ready after {time.monotonic() - started:.0f} s; the busy hour runs {BUSY_SECONDS} s")

    proxy = f"http://{network.address['edge']}:{EDGE_PORT}"
    drivers = {
        role: subprocess.Popen(
            network.run_in(
                role, [PYTHON, __file__, "--drive", role, proxy, str(setup_file), str(BUSY_SECONDS)]
            ),
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
            env=django_env(),
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
    results = {
        role: json.loads(driver.communicate()[0].strip().splitlines()[-1])
        for role, driver in drivers.items()
    }

    say("waiting for the reminders and the queue")
    deadline = time.monotonic() + 120
    drained_check = [PYTHON, __file__, "--drained", str(setup_file)]
    while time.monotonic() < deadline:
        if subprocess.run(drained_check, env=local, cwd=ROOT, capture_output=True).returncode == 0:
            break
        time.sleep(3)
    wait_for_port(network.address["app1"], APP_PORT, network, "office", 60)
    hosts = [f"http://{network.address[h]}:{APP_PORT}" for h in ("app1", "app2")]
    probe = subprocess.run(
        network.run_in("office", [PYTHON, __file__, "--after", str(setup_file), *hosts]),
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=django_env(),
    )
    problems = (
        json.loads(probe.stdout.strip().splitlines()[-1])
        if probe.returncode == 0
        else [probe.stderr[-1000:]]
    )
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
            __file__,
            "--check",
            str(setup_file),
            str(folder / "sent.json"),
            network.address["edge"],
            network.address["office"],
            network.address["home"],
        ],
        env=local,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    problems += (
        json.loads(checked.stdout.strip().splitlines()[-1])
        if checked.returncode == 0
        else [checked.stderr[-2000:]]
    )

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
    say(f"done in {time.monotonic() - started:.0f} s")
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prepare", action="store_true")
    parser.add_argument("--drive", nargs=4, metavar=("ROLE", "BASE", "SETUP", "SECONDS"))
    parser.add_argument("--drained", metavar="SETUP")
    parser.add_argument("--rendered", metavar="SETUP")
    parser.add_argument("--after", nargs="+", metavar="SETUP HOSTS")
    parser.add_argument("--check", nargs="+", metavar="SETUP SENT PROXY CLIENTS")
    options = parser.parse_args()
    if options.prepare:
        print(json.dumps(prepare()))
    elif options.drive:
        role, base, setup, seconds = options.drive
        print(json.dumps(drive(role, base, json.loads(Path(setup).read_text()), float(seconds))))
    elif options.rendered:
        return 0 if handouts_rendered() else 1
    elif options.drained:
        return 0 if queue_drained(json.loads(Path(options.drained).read_text())) else 1
    elif options.after:
        setup = json.loads(Path(options.after[0]).read_text())
        hosts = options.after[1:]
        print(json.dumps(lockout_probe(hosts, setup) + handouts_on_each_host(hosts, setup)))
    elif options.check:
        setup_path, sent_path, proxy, *clients = options.check
        setup, sent = (json.loads(Path(p).read_text()) for p in (setup_path, sent_path))
        print(json.dumps(check(setup, sent, proxy, clients)))
    else:
        return orchestrate()
    return 0


if __name__ == "__main__":
    sys.exit(main())
