"""Headers on every answer: no caching of patient data, and a Content-Security-Policy
that allows no inline script or style."""

import re

import pytest
from rest_framework.test import APIClient

from api.models import create_api_key
from tests.security.conftest import RECORD_BY_SEGMENT, Route, all_routes


def fill(route: Route, records: dict) -> str:
    """The route with its parameters replaced by ids of real records of the clinic."""
    path = route.path.replace("^", "").replace("$", "").replace("\\", "")
    segments = [s for s in re.split(r"[/^]", path) if s and not s.startswith(("<", "("))]
    segment = next((s for s in segments if s in RECORD_BY_SEGMENT), None)
    values = {
        "patient_pk": records["patient"].pk,
        "item_id": records["item"].pk,
        "log_id": records["log"].pk,
        "prefix": records["key"].prefix,
        "path": "exercises/none.png",
        "token": "not-a-token",
        "uidb64": "MQ",
        "resource_type": "Patient",
        "resource_id": records["patient"].pk,
    }
    if segment:
        values["pk"] = records[RECORD_BY_SEGMENT[segment]].pk
    for name in route.params:
        value = str(values.get(name, 1))
        path = re.sub(rf"<(?:\w+:)?{name}>|\(\?P<{name}>[^)]*\)", value, path)
    return "/" + path


def sweep(client, records) -> dict[str, object]:
    answers = {}
    for route in all_routes():
        url = fill(route, records)
        answers[url] = client.get(url)
    return answers


@pytest.fixture
def api_client(records):
    _key, secret = create_api_key(clinic=records["patient"].clinic, name="Headers")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {secret}")
    return client


@pytest.mark.parametrize("who", ["therapist", "patient", "api", "anonymous"])
def test_no_answer_of_any_url_may_be_stored_by_a_browser_or_proxy(
    who, client, records, therapist, patient, api_client
):
    if who == "therapist":
        client.force_login(therapist)
    elif who == "patient":
        client.force_login(patient.user)
    elif who == "api":
        client = api_client
    answers = sweep(client, records)

    assert len(answers) > 50
    stored = {url: r.get("Cache-Control") for url, r in answers.items()}
    assert all("no-store" in (value or "") for value in stored.values()), stored


def test_the_sweep_reaches_pages_that_show_patient_data(client, records, therapist):
    client.force_login(therapist)
    answers = sweep(client, records)
    shown = [url for url, r in answers.items() if r.status_code == 200 and b"Jones" in r.content]
    assert f"/patients/{records['patient'].pk}/" in shown
    assert len(shown) >= 4


def test_every_page_carries_a_policy_without_inline_script_or_style(therapist_client):
    policy = therapist_client.get("/patients/")["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


@pytest.mark.parametrize("who", ["therapist", "patient"])
def test_no_page_has_an_inline_script_style_or_event_handler(who, client, records, therapist):
    client.force_login(therapist if who == "therapist" else records["patient"].user)
    for url, response in sweep(client, records).items():
        if "html" not in response.get("Content-Type", "") or url.startswith("/admin/"):
            continue
        page = response.content.decode()
        for attributes in re.findall(r"<script([^>]*)>", page):
            assert 'src="' in attributes or "application/json" in attributes, url
        assert "<style" not in page, url
        assert not re.search(r"\son[a-z]+=", page), url
        assert ' style="' not in page, url
