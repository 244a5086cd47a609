"""The client hosts' users (run inside a client host's namespace): therapists, patients
and a clinic system, through the proxy; and the probes of the app hosts after the run."""

from __future__ import annotations

import threading
import time
import urllib.parse
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

from bench_busy_hour import LIST_SORTS
from benchkit import CSRF_FIELD, Browser

from . import LOGIN_FAILURE_LIMIT, PASSWORD, PORTAL_PATIENTS, SYNC_CLIENTS, THERAPISTS

# Long enough for a handout rendered while the machine is loaded; a request without an
# answer by then counts as a failure.
TIMEOUT = 120


class Client(Browser):
    """One browser or API client: its own cookies; each request timed by kind, and each
    5xx or request without an answer recorded as a failure."""

    def __init__(self, base: str, results: dict, headers: dict[str, str] | None = None) -> None:
        super().__init__(base, headers, timeout=TIMEOUT)
        self.results = results

    def request(
        self,
        kind: str,
        path: str,
        *,
        form: dict | None = None,
        body: dict | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, bytes]:
        status, content, elapsed = self.fetch(path, form=form, body=body, headers=headers)
        self.results["samples"][kind].append(elapsed)
        if status == 0 or status >= 500:
            self.results["failures"].append(f"{kind} {path}: {status or 'no answer'}")
        return status, content

    def sign_in(self, username: str) -> int:
        """Through the form, with its CSRF token; "!name" sends a wrong password."""
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
    patients = setup["patients"]
    round_ = 0
    while time.monotonic() < until:
        client.request(
            "therapist: patient list", f"/patients/?sort={LIST_SORTS[round_ % len(LIST_SORTS)]}"
        )
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
