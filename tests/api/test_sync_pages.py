"""Sync endpoints page by cursor: `next` links, no total count, stable while rows arrive."""

import pytest

from api.pagination import MAX_PAGE_SIZE
from clinics.models import AuditEvent
from patients.models import Patient
from prescriptions.models import Alert, SymptomLog
from tests.factories import make_patient


@pytest.fixture
def item(prescription):
    return prescription.items.order_by("position").first()


def _logs(item, count):
    return SymptomLog.objects.bulk_create(
        SymptomLog(
            patient=item.prescription.patient,
            item=item,
            pain=2,
            location="central",
            during="decrease",
            after="better",
            sets_done=1,
            repetitions_done=10,
        )
        for _ in range(count)
    )


def _follow(api, url, params, *, between_pages=None):
    """Every id of every page, following `next` links to the end."""
    seen = []
    response = api.get(url, params)
    while True:
        assert response.status_code == 200
        body = response.json()
        assert "count" not in body
        seen += [row["id"] for row in body["results"]]
        if not body["next"]:
            return seen
        if between_pages:
            between_pages()
        response = api.get(body["next"])


def test_symptom_logs_come_in_cursor_pages_with_a_next_link(api, item):
    logs = _logs(item, 7)
    body = api.get("/api/v1/symptom-logs/", {"page_size": 3}).json()
    assert [row["id"] for row in body["results"]] == [log.pk for log in logs[:3]]
    assert body["next"].startswith("http://testserver/api/v1/symptom-logs/?cursor=")
    assert body["previous"] is None
    assert "count" not in body


def test_following_next_reads_every_log_once_while_new_ones_arrive(api, item):
    before = [log.pk for log in _logs(item, 10)]
    added = []

    def a_log_arrives():
        added.append(_logs(item, 1)[0].pk)

    seen = _follow(api, "/api/v1/symptom-logs/", {"page_size": 3}, between_pages=a_log_arrives)

    assert len(seen) == len(set(seen)), "no log twice"
    assert set(before) <= set(seen), "no log skipped"
    assert seen == sorted(seen)
    assert set(seen) <= set(before + added)


@pytest.mark.hazard("H-11")
def test_following_next_reads_every_alert_once_while_new_ones_arrive(api, clinic):
    patients = [make_patient(clinic, first_name=f"P{n}", last_name="Sync") for n in range(6)]
    before = [
        Alert.objects.create(patient=p, kind="worse", severity="warning", message="Worse.").pk
        for p in patients
    ]

    def an_alert_arrives():
        newcomer = make_patient(clinic, first_name="New", last_name="Comer")
        Alert.objects.create(patient=newcomer, kind="red_flag", severity="urgent", message="!")

    seen = _follow(api, "/api/v1/alerts/", {"page_size": 2}, between_pages=an_alert_arrives)

    assert len(seen) == len(set(seen))
    assert set(before) <= set(seen)


def test_a_patient_sync_pages_by_cursor_and_keeps_its_filter(api, clinic):
    Patient.objects.bulk_create(
        Patient(clinic=clinic, first_name="P", last_name=str(n)) for n in range(7)
    )
    seen = _follow(
        api, "/api/v1/patients/", {"updated_since": "2000-01-01T00:00:00Z", "page_size": 3}
    )
    assert seen == sorted(Patient.objects.values_list("pk", flat=True))


def test_numbered_pages_stay_for_clients_that_ask_for_a_page(api, item):
    logs = _logs(item, 5)
    body = api.get("/api/v1/symptom-logs/", {"page": 2, "page_size": 2}).json()
    assert body["count"] == 5
    assert [row["id"] for row in body["results"]] == [log.pk for log in logs[2:4]]


def test_the_patient_list_without_a_sync_filter_keeps_numbered_pages(api, patient):
    assert api.get("/api/v1/patients/").json()["count"] == 1


@pytest.mark.parametrize(
    "cursor",
    [
        "not-base64!",
        "cD1hYmM=",
        "bz0xJnA9MSBPUiAxPTE=",
        "bz1hYmMmcD0z",  # o=abc&p=3: an offset that is no number
        "cD0zJnI9eA==",  # p=3&r=x: a direction that is neither 0 nor 1
        "cD0zJnE9MQ==",  # p=3&q=1: a part Centra never writes
    ],
)
def test_a_cursor_not_made_by_centra_is_a_400(api, item, cursor):
    response = api.get("/api/v1/symptom-logs/", {"cursor": cursor})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"cursor"}


def test_the_page_size_is_bounded_on_cursor_pages_too(api, item):
    response = api.get("/api/v1/alerts/", {"page_size": MAX_PAGE_SIZE + 1})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"page_size"}


def test_the_audit_records_where_a_cursor_page_starts(api, item):
    logs = _logs(item, 3)
    next_link = api.get("/api/v1/symptom-logs/", {"page_size": 1}).json()["next"]
    api.get(next_link)
    event = AuditEvent.objects.filter(object_type="symptomlog").latest("id")
    assert event.detail["ids"] == [logs[1].pk]
    assert event.detail["cursor"] == str(logs[0].pk)


@pytest.mark.parametrize("path", ["/api/v1/symptom-logs/", "/api/v1/alerts/", "/api/v1/patients/"])
def test_a_blank_cursor_is_the_first_page(api, item, path):
    _logs(item, 3)

    blank = api.get(f"{path}?cursor=&page_size=2")
    first = api.get(f"{path}?page_size=2")

    assert blank.status_code == 200
    assert blank.json()["results"] == first.json()["results"]
