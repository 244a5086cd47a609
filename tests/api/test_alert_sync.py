"""A clinic system keeps its copy of the alerts up to date: new alerts, and alerts a
therapist acknowledged since the last sync, even when the log behind an alert is
dated days back (a paper sheet typed in late, a clinic app syncing late)."""

from datetime import timedelta
from urllib.parse import quote

import pytest
from django.utils import timezone

from prescriptions.services import record_symptom_log
from tests.api.logs import answers
from tests.fhir.conftest import client_with
from tests.fhir.validation import entries, fhir_get

URL = "/api/v1/alerts/"


def _worse_log(patient, item, *, days_ago: float):
    fields = {**answers(item, after="worse", pain=6), "item": item}
    fields["logged_at"] = timezone.now() - timedelta(days=days_ago)
    return record_symptom_log(patient=patient, **fields)


def _ids(api, **query):
    response = api.get(URL, query)
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


@pytest.mark.hazard("H-11")
def test_updated_since_finds_an_alert_raised_now_by_a_log_dated_days_back(api, patient, item):
    last_sync = timezone.now() - timedelta(minutes=1)
    alert = _worse_log(patient, item, days_ago=3).alerts[0]
    assert alert.last_seen_at < last_sync  # seen three days back, raised just now

    assert _ids(api, updated_since=last_sync.isoformat()) == [alert.pk]
    row = api.get(f"{URL}{alert.pk}/").json()
    assert row["updated_at"] >= last_sync.isoformat().replace("+00:00", "Z")[:19]


@pytest.mark.hazard("H-11")
def test_updated_since_brings_back_an_old_alert_once_it_is_acknowledged(
    api, patient, item, therapist, frozen_clock
):
    alert = _worse_log(patient, item, days_ago=0).alerts[0]
    frozen_clock.shift(timedelta(hours=2))
    last_sync = timezone.now()
    assert _ids(api, updated_since=last_sync.isoformat()) == []

    frozen_clock.shift(timedelta(minutes=5))
    alert.acknowledge(by=therapist)

    assert _ids(api, updated_since=last_sync.isoformat()) == [alert.pk]
    assert _ids(api, updated_since=last_sync.isoformat(), acknowledged="true") == [alert.pk]


def test_updated_since_finds_a_repeat_from_a_log_dated_days_back(api, patient, item, frozen_clock):
    alert = _worse_log(patient, item, days_ago=0).alerts[0]
    frozen_clock.shift(timedelta(hours=2))
    last_sync = timezone.now()
    frozen_clock.shift(timedelta(minutes=5))
    # A paper sheet typed in late: the same warning, three days back, joins the alert.
    assert _worse_log(patient, item, days_ago=3).alerts[0].pk == alert.pk

    assert _ids(api, updated_since=last_sync.isoformat()) == [alert.pk]
    assert api.get(f"{URL}{alert.pk}/").json()["count"] == 2


def test_updated_since_pages_by_cursor(api, patient, item):
    response = api.get(URL, {"updated_since": "2020-01-01T00:00:00Z", "page_size": 1})
    assert "count" not in response.json()


def test_a_bad_updated_since_is_a_400(api):
    response = api.get(URL, {"updated_since": "yesterday"})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"updated_since"}


@pytest.mark.hazard("H-11")
def test_fhir_flags_raised_by_a_log_dated_days_back_are_after_the_sync_cursor(
    api_key, patient, item
):
    fhir = client_with(api_key[1])
    last_sync = (timezone.now() - timedelta(minutes=1)).isoformat()
    alert = _worse_log(patient, item, days_ago=3).alerts[0]

    changed = entries(fhir_get(fhir, f"/fhir/R4/Flag?_lastUpdated=gt{quote(last_sync)}"))

    assert [flag["id"] for flag in changed] == [str(alert.pk)]
    read = fhir_get(fhir, f"/fhir/R4/Flag/{alert.pk}")
    assert read["meta"]["lastUpdated"] == changed[0]["meta"]["lastUpdated"]
