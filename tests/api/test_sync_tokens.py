"""The sync recipe with tokens: a first run from `cursor=`, then each run from the
`Next-Sync-Since` of the one before. Each run returns what changed since, once."""

import pytest
from django.db import connection

from changelog.models import Change
from prescriptions.models import Alert
from prescriptions.services import record_symptom_log
from tests.factories import make_patient

# On PostgreSQL the token moves as transactions commit, and a test wrapped in one
# transaction never commits: there each test commits its writes like a server does.
pytestmark = pytest.mark.django_db(transaction=connection.vendor == "postgresql")

LISTS = {
    "/api/v1/patients/": "updated_since",
    "/api/v1/alerts/": "updated_since",
    "/api/v1/symptom-logs/": "since",
}


def sync_run(api, url, token=None, page_size=2):
    """One run of the recipe: ids in the order read, and the token for the next run."""
    since = LISTS[url]
    params = {"page_size": page_size, **({since: token} if token else {"cursor": ""})}
    response = api.get(url, params)
    ids, tokens = [], set()
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["next_sync_since"] == response["Next-Sync-Since"]
        tokens.add(body["next_sync_since"])
        ids += [row["id"] for row in body["results"]]
        if not body["next"]:
            break
        response = api.get(body["next"])
    assert len(tokens) == 1, "every page of a run hands out the same token"
    return ids, tokens.pop()


def log(item, **answers):
    values = {
        "pain": 3,
        "location": "central",
        "during": "no_effect",
        "after": "no_effect",
        "sets_done": 1,
        "repetitions_done": 10,
    }
    values.update(answers)
    return record_symptom_log(patient=item.prescription.patient, item=item, **values)


@pytest.mark.hazard("H-11")
def test_each_run_returns_what_changed_since_the_run_before_and_nothing_twice(
    api, clinic, patient, item, therapist
):
    others = [make_patient(clinic) for _ in range(3)]
    worse = log(item, after="worse")
    logs = [log(item).log for _ in range(3)]
    alert = worse.alerts[0]

    patients, patients_token = sync_run(api, "/api/v1/patients/")
    assert patients == sorted([patient.pk, *(other.pk for other in others)])
    alerts, alerts_token = sync_run(api, "/api/v1/alerts/")
    assert alerts == [alert.pk]
    seen_logs, logs_token = sync_run(api, "/api/v1/symptom-logs/")
    assert seen_logs == [worse.log.pk, *(each.pk for each in logs)]

    # Nothing changed: the next runs are empty.
    assert sync_run(api, "/api/v1/patients/", patients_token)[0] == []
    assert sync_run(api, "/api/v1/alerts/", alerts_token)[0] == []
    assert sync_run(api, "/api/v1/symptom-logs/", logs_token)[0] == []

    alert.acknowledge(by=therapist)
    others[1].first_name = "Patricia"
    others[1].save()
    newest = log(item).log

    changed, patients_token = sync_run(api, "/api/v1/patients/", patients_token)
    # Paula's overview changed with her log and the acknowledgement.
    assert changed == sorted([patient.pk, others[1].pk])
    acknowledged, alerts_token = sync_run(api, "/api/v1/alerts/", alerts_token)
    assert acknowledged == [alert.pk]
    assert api.get(f"/api/v1/alerts/{alert.pk}/").json()["acknowledged"] is True
    assert sync_run(api, "/api/v1/symptom-logs/", logs_token)[0] == [newest.pk]
    assert sync_run(api, "/api/v1/alerts/", alerts_token)[0] == []


def test_a_token_run_keeps_the_other_filters(api, clinic, patient, item, other_patient):
    _ids, token = sync_run(api, "/api/v1/alerts/")
    raised = log(item, after="worse").alerts[0]
    assert sync_run(api, "/api/v1/alerts/", token)[0] == [raised.pk]
    response = api.get("/api/v1/alerts/", {"updated_since": token, "patient": other_patient.pk})
    assert response.json()["results"] == []
    response = api.get("/api/v1/alerts/", {"updated_since": token, "acknowledged": "false"})
    assert [row["id"] for row in response.json()["results"]] == [raised.pk]


def test_a_numbered_page_reads_a_token_too(api, patient, item):
    _ids, token = sync_run(api, "/api/v1/symptom-logs/")
    stored = log(item).log
    body = api.get("/api/v1/symptom-logs/", {"since": token, "page": 1}).json()
    assert body["count"] == 1
    assert [row["id"] for row in body["results"]] == [stored.pk]
    assert "next_sync_since" not in body


def test_a_time_still_works_for_earlier_clients(api, patient, item):
    stored = log(item).log
    response = api.get("/api/v1/symptom-logs/", {"since": "2000-01-01T00:00:00Z"})
    assert [row["id"] for row in response.json()["results"]] == [stored.pk]


@pytest.mark.parametrize("value", ["c", "c-1", "cx12", "c1234567890123456789", "12"])
def test_a_malformed_token_is_a_400_naming_the_parameter(api, value):
    response = api.get("/api/v1/alerts/", {"updated_since": value})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"updated_since"}


def test_a_cursor_with_a_forged_watermark_is_a_400(api):
    response = api.get("/api/v1/alerts/", {"cursor": "cD0xJnc9eA=="})  # "p=1&w=x"
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"cursor"}


def test_every_write_path_leaves_a_change_even_a_bulk_update(patient, item, therapist):
    """Acknowledgements are a bulk `UPDATE`, which runs no model signal: the
    database's trigger still records the change."""
    alert = log(item, after="worse").alerts[0]
    before = Change.objects.filter(resource="alert", object_id=alert.pk).count()
    Alert.objects.filter(pk=alert.pk).update(message="seen")
    assert Change.objects.filter(resource="alert", object_id=alert.pk).count() == before + 1
