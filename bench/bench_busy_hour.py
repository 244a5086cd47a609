"""A clinic's busy hour: a bounded mixed load against gunicorn (4 workers) on PostgreSQL.

Therapists browse the patient list and patient pages, patients log their exercises
through the portal, and a clinic system syncs through the API (symptom-log pages by
cursor, changed patients, logs posted), all at once, over loopback only. Each
virtual user makes a fixed number of rounds, so the load is bounded; the script
prints p50, p95 and the errors of each kind of request.

Needs a PostgreSQL server: BENCH_POSTGRES_URL, or DATABASE_URL when it is
PostgreSQL. A throwaway database is made there, seeded with BENCH_PATIENTS bulk
patients (1,000 unless set) and dropped afterwards; or set BENCH_DATABASE_URL to a
database already loaded with `seed_demo` (and ANALYZEd) to use that one as it is (the
bench adds portal logins, an API key, logs and audit events to it).
Run as `.venv/bin/python bench/bench_busy_hour.py`.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from benchkit import (
    CSRF_FIELD,
    ROOT,
    Browser,
    base_env,
    measuring,
    percentile,
    postgres_url,
    run_measure,
    seed,
    setup_django,
    throwaway_postgres,
)

PATIENTS = int(os.environ.get("BENCH_PATIENTS", "1000"))
DAYS = 30
WORKERS = 4
# Virtual users of each kind, and the rounds each one makes.
THERAPISTS = int(os.environ.get("BENCH_THERAPISTS", "4"))
PORTAL_PATIENTS = int(os.environ.get("BENCH_PORTAL_PATIENTS", "4"))
SYNC_CLIENTS = int(os.environ.get("BENCH_SYNC_CLIENTS", "2"))
ROUNDS = int(os.environ.get("BENCH_BUSY_ROUNDS", "15"))
TIMEOUT = 30


def prepare() -> None:
    """In the bench database: sessions for the therapists, portal logins (safety
    questions answered today) for some bulk patients, and an API key. Prints them."""
    setup_django()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    from api.models import create_api_key
    from clinics.models import Clinic
    from patients.models import Patient
    from prescriptions.models import NeuroSymptom, PrescriptionItem
    from prescriptions.services import record_red_flag_check

    def session_of(user) -> str:
        client = Client()
        client.force_login(user)
        return client.cookies[settings.SESSION_COOKIE_NAME].value

    users = get_user_model().objects
    clinic = Clinic.objects.get(slug="riverside")
    anna = users.get(username="anna")
    bulk = list(
        Patient.objects.for_clinic(clinic)
        .filter(external_id__startswith="BULK-")
        .order_by("pk")
        .values_list("pk", flat=True)[:200]
    )
    portal = []
    for number, patient in enumerate(
        Patient.objects.filter(pk__in=bulk[:PORTAL_PATIENTS]).order_by("pk")
    ):
        if patient.user is None:
            patient.user = users.create_user(f"bench-patient-{patient.pk}")
            patient.save(update_fields=["user"])
        record_red_flag_check(patient=patient, answered_yes=[])
        items = PrescriptionItem.objects.filter(
            prescription__patient=patient, prescription__status="active"
        ).values_list("pk", flat=True)
        portal.append({"session": session_of(patient.user), "items": list(items), "n": number})
    _, key = create_api_key(clinic=clinic, name="busy-hour bench", read_only=False)
    api_items = list(
        PrescriptionItem.objects.filter(
            prescription__patient__in=bulk[PORTAL_PATIENTS:], prescription__status="active"
        ).values_list("pk", flat=True)[:100]
    )
    print(
        json.dumps(
            {
                "cookie": settings.SESSION_COOKIE_NAME,
                "therapist": session_of(anna),
                "patients": bulk,
                "portal": portal,
                "key": key,
                "api_items": api_items,
                "neuro": list(NeuroSymptom.values),
            }
        )
    )


class Recorder:
    def __init__(self) -> None:
        self.samples: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.lock = threading.Lock()


class User(Browser):
    """One virtual user: its own cookies, its requests timed by kind."""

    def __init__(
        self, base: str, recorder: Recorder, headers: dict[str, str], cookies: dict[str, str]
    ) -> None:
        super().__init__(base, headers, cookies, timeout=TIMEOUT)
        self.recorder = recorder

    def request(
        self,
        kind: str,
        path: str,
        *,
        data: dict | None = None,
        json_body: dict | None = None,
        expect: int = 200,
    ) -> tuple[int, bytes]:
        """Make one request; an answer other than `expect` counts as an error."""
        status, content, elapsed = self.fetch(path, form=data, body=json_body)
        with self.recorder.lock:
            self.recorder.samples[kind].append(elapsed)
            if status != expect:
                self.recorder.errors[kind] += 1
        return status, content


# The orders the patient list offers (Patient.LIST_SORTS), and its "Next" link.
LIST_SORTS = ("name", "recent_log", "no_recent_log", "newest")
NEXT_PAGE = re.compile(rb'rel="next" href="\?([^"]+)"')


def therapist(user: User, setup: dict, seed_number: int, rounds: int) -> None:
    patients = setup["patients"]
    for n in range(rounds):
        sort = LIST_SORTS[n % len(LIST_SORTS)]
        _status, page = user.request("therapist: patient list", f"/patients/?sort={sort}")
        following = NEXT_PAGE.search(page)
        if n % 2 and following:
            query = following.group(1).decode().replace("&amp;", "&")
            user.request("therapist: patient list", f"/patients/?{query}")
        pk = patients[(seed_number * 37 + n * 11) % len(patients)]
        user.request("therapist: patient page", f"/patients/{pk}/")


def portal_patient(user: User, setup: dict, portal: dict, rounds: int) -> None:
    items = portal["items"]
    for n in range(rounds):
        user.request("patient: today", "/portal/")
        item = items[n % len(items)]
        _status, page = user.request("patient: log form", f"/portal/exercises/{item}/log/")
        token = CSRF_FIELD.search(page)
        answers = {
            "csrfmiddlewaretoken": token.group(1).decode() if token else "",
            "sets_done": "1",
            "repetitions_done": "10",
            "pain": "3",
            "location": "central",
            "during": "no_effect",
            "after": "no_effect",
            "note": "",
            "client_token": f"busy-{portal['n']}-{n}-{time.time_ns()}",
            **{f"neuro_{code}": "no" for code in setup["neuro"]},
        }
        user.request(
            "patient: log sent", f"/portal/exercises/{item}/log/", data=answers, expect=302
        )


def sync_client(user: User, setup: dict, number: int, rounds: int) -> None:
    since = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    items = setup["api_items"]
    for n in range(rounds):
        path = "/api/v1/symptom-logs/?page_size=100"
        for _page in range(3):
            status, content = user.request("api: symptom-log page", path)
            following = json.loads(content).get("next") if status == 200 else None
            if not following:
                break
            path = urllib.parse.urlsplit(following)._replace(scheme="", netloc="").geturl()
        query = urllib.parse.urlencode({"updated_since": since})
        user.request("api: changed patients", f"/api/v1/patients/?{query}")
        user.request(
            "api: log sent",
            "/api/v1/symptom-logs/",
            expect=201,
            json_body={
                "item": items[(number * 31 + n) % len(items)],
                "sets_done": 1,
                "repetitions_done": 10,
                "pain": 3,
                "location": "central",
                "during": "no_effect",
                "after": "no_effect",
            },
        )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(env: dict[str, str]):
    """gunicorn with WORKERS workers on a free loopback port; yields its base URL."""
    port = free_port()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "config.wsgi:application",
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{port}",
            "--preload",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=5):  # noqa: S310
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.3)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def drive(base: str, setup: dict, rounds: int) -> tuple[Recorder, float]:
    recorder = Recorder()
    session = {setup["cookie"]: setup["therapist"]}
    threads = [
        threading.Thread(
            target=therapist, args=(User(base, recorder, {}, session), setup, n, rounds)
        )
        for n in range(THERAPISTS)
    ]
    for portal in setup["portal"]:
        cookies = {setup["cookie"]: portal["session"]}
        threads.append(
            threading.Thread(
                target=portal_patient,
                args=(User(base, recorder, {}, cookies), setup, portal, rounds),
            )
        )
    api = {"Authorization": f"Api-Key {setup['key']}", "Accept": "application/json"}
    threads += [
        threading.Thread(target=sync_client, args=(User(base, recorder, api, {}), setup, n, rounds))
        for n in range(SYNC_CLIENTS)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return recorder, time.perf_counter() - started


def busy_hour(env: dict[str, str]) -> None:
    out = run_measure(__file__, env, capture_output=True, text=True).stdout
    setup = json.loads(out.strip().splitlines()[-1])
    server_env = {**env, "DEBUG": "0"}
    with gunicorn(server_env) as base:
        # One untimed round first: each worker loads its templates and connects.
        drive(base, setup, 1)
        recorder, seconds = drive(base, setup, ROUNDS)
    total = sum(len(samples) for samples in recorder.samples.values())
    print(
        f"Busy hour: {THERAPISTS} therapists, {len(setup['portal'])} portal patients, "
        f"{SYNC_CLIENTS} sync clients, {ROUNDS} rounds each; gunicorn {WORKERS} workers "
        f"on PostgreSQL; {total} requests in {seconds:.1f} s ({total / seconds:.0f} req/s)"
    )
    print(f"  {'request':<26} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7}")
    for kind in sorted(recorder.samples):
        samples = recorder.samples[kind]
        print(
            f"  {kind:<26} {len(samples):5d} {percentile(samples, 0.5) * 1000:8.1f} "
            f"{percentile(samples, 0.95) * 1000:8.1f} {recorder.errors[kind]:7d}"
        )


def main() -> None:
    if measuring():
        prepare()
        return
    loaded = os.environ.get("BENCH_DATABASE_URL", "")
    if loaded:
        busy_hour(base_env(DATABASE_URL=loaded))
        return
    server = postgres_url()
    if not server:
        print("Busy hour: skipped, it needs PostgreSQL (set BENCH_POSTGRES_URL)")
        return
    with throwaway_postgres(server, "bench_busy") as url:
        env = base_env(DATABASE_URL=url)
        seed(env, patients=PATIENTS, days=DAYS)
        busy_hour(env)


if __name__ == "__main__":
    main()
