"""`sessions/` and `outcome-measures/` follow the change log like `symptom-logs/`: a
run from `cursor=`, then each run from the `Next-Sync-Since` of the one before,
returns what was stored since, once."""

import json
import urllib.request
from datetime import date

import pytest
from django.db import connection

from prescriptions.models import ExerciseSession
from prescriptions.outcomes import record_outcome_measure
from prescriptions.services import record_red_flag_check
from tests.api.test_sessions import SESSIONS, body

# On PostgreSQL the token moves as transactions commit: commit like a server does.
pytestmark = pytest.mark.django_db(transaction=connection.vendor == "postgresql")

MEASURES = "/api/v1/outcome-measures/"


def sync_run(api, url, token=None):
    params = {"page_size": 2, **({"since": token} if token else {"cursor": ""})}
    response = api.get(url, params)
    ids, tokens = [], set()
    while True:
        assert response.status_code == 200, response.content
        payload = response.json()
        tokens.add(response["Next-Sync-Since"])
        ids += [row["id"] for row in payload["results"]]
        if not payload["next"]:
            break
        response = api.get(payload["next"])
    assert len(tokens) == 1
    return ids, tokens.pop()


def test_a_session_sync_returns_each_new_session_once(api, prescription):
    first = [api.post(SESSIONS, body(prescription), format="json").json()["id"] for _ in range(3)]

    seen, token = sync_run(api, SESSIONS)
    assert seen == first
    assert sync_run(api, SESSIONS, token)[0] == []

    newest = api.post(SESSIONS, body(prescription), format="json").json()["id"]
    again, _next_token = sync_run(api, SESSIONS, token)
    assert again == [newest]


def test_sessions_without_a_token_keep_their_numbered_pages(api, prescription):
    api.post(SESSIONS, body(prescription), format="json")

    plain = api.get(SESSIONS).json()
    by_time = api.get(SESSIONS, {"since": "2000-01-01T00:00:00Z"}).json()

    assert plain["count"] == 1
    assert [row["id"] for row in by_time["results"]] == [ExerciseSession.objects.get().pk]
    assert api.get(SESSIONS, {"since": "c-1"}).status_code == 400


def test_an_outcome_measure_sync_returns_each_new_measure_once(api, patient):
    def measure(change):
        return record_outcome_measure(
            patient=patient, instrument="groc", answers={"change": change}, source="api"
        )[0].pk

    first = [measure(change) for change in (1, 2, 3)]

    seen, token = sync_run(api, MEASURES)
    assert sorted(seen) == first
    assert sync_run(api, MEASURES, token)[0] == []

    newest = measure(4)
    assert sync_run(api, MEASURES, token)[0] == [newest]


def test_a_clinic_system_syncs_sessions_over_http(live_server, api_key, prescription):
    headers = {"Authorization": f"Api-Key {api_key[1]}", "Content-Type": "application/json"}

    def call(path, data=None):
        request = urllib.request.Request(
            f"{live_server.url}{path}",
            data=json.dumps(data).encode() if data is not None else None,
            headers=headers,
            method="POST" if data is not None else "GET",
        )
        with urllib.request.urlopen(request) as answer:
            return json.load(answer), answer.headers

    first, _ = call(SESSIONS, body(prescription))
    listed, answer_headers = call(f"{SESSIONS}?cursor=")
    token = answer_headers["Next-Sync-Since"]
    assert [row["id"] for row in listed["results"]] == [first["id"]]

    second, _ = call(SESSIONS, body(prescription))
    changed, _ = call(f"{SESSIONS}?since={token}")
    assert [row["id"] for row in changed["results"]] == [second["id"]]


def test_a_red_flag_check_sync_returns_a_check_again_when_answers_are_added(api, patient):
    checks = "/api/v1/red-flag-checks/"
    check, _alerts = record_red_flag_check(
        patient=patient, asked=["fever"], answered_yes=[], on=date(2026, 3, 2)
    )

    seen, token = sync_run(api, checks)
    assert seen == [check.pk]
    assert sync_run(api, checks, token)[0] == []

    record_red_flag_check(
        patient=patient, asked=["night_pain"], answered_yes=[], on=date(2026, 3, 2)
    )
    again, _next_token = sync_run(api, checks, token)
    assert again == [check.pk]
    assert api.get(checks).json()["count"] == 1
