"""alerts/: what therapists must look at, pulled and acknowledged by clinic systems."""

import pytest
from django.utils import timezone

from clinics.models import AuditEvent
from prescriptions.models import Alert


def make_alert(patient, **fields):
    values = {"kind": "worse", "severity": "warning", "message": "Worse after prone lying."}
    values.update(fields)
    return Alert.objects.create(patient=patient, **values)


URL = "/api/v1/alerts/"


def test_it_lists_the_clinics_alerts(api, patient, other_clinic_patient):
    mine = make_alert(patient)
    make_alert(other_clinic_patient)

    response = api.get(URL)

    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [mine.pk]
    assert rows[0]["acknowledged"] is False and rows[0]["acknowledged_by"] is None
    assert AuditEvent.objects.get(action="view", object_type="alert").detail["ids"] == [mine.pk]


def test_it_filters_by_acknowledged_and_patient(api, patient, other_patient, therapist):
    open_alert = make_alert(patient)
    seen = make_alert(patient, kind="peripheralization")
    seen.acknowledge(by=therapist)
    theirs = make_alert(other_patient)

    def ids(**query):
        return [row["id"] for row in api.get(URL, query).json()["results"]]

    assert ids(acknowledged="false") == [open_alert.pk, theirs.pk]
    assert ids(acknowledged="true") == [seen.pk]
    assert ids(acknowledged="false", patient=patient.pk) == [open_alert.pk]
    assert ids() == [open_alert.pk, seen.pk, theirs.pk]


@pytest.mark.parametrize("query", [{"acknowledged": "maybe"}, {"patient": "1e3"}])
def test_a_bad_filter_is_a_400(api, query):
    response = api.get(URL, query)

    assert response.status_code == 400
    assert set(response.json()["errors"]) == set(query)


def test_acknowledging_marks_the_alert_seen(api, patient):
    alert = make_alert(patient)

    response = api.post(f"{URL}{alert.pk}/acknowledge/")

    assert response.status_code == 200
    assert response.json()["acknowledged"] is True
    assert response.json()["acknowledged_at"] is not None
    alert.refresh_from_db()
    assert alert.acknowledged_at is not None and alert.acknowledged_by is None
    event = AuditEvent.objects.get(action="update", object_type="alert")
    assert event.actor_label == "api-key:EHR sync" and event.patient_id == patient.pk


def test_acknowledging_twice_keeps_the_first(api, patient, therapist):
    alert = make_alert(patient)
    alert.acknowledge(by=therapist)
    first = alert.acknowledged_at

    response = api.post(f"{URL}{alert.pk}/acknowledge/")

    assert response.status_code == 200
    assert response.json()["acknowledged_by"] == "tess"
    alert.refresh_from_db()
    assert alert.acknowledged_at == first
    assert not AuditEvent.objects.filter(action="update").exists()


def test_a_therapist_session_acknowledges_as_themself(therapist_client, therapist, patient):
    alert = make_alert(patient)

    response = therapist_client.post(f"{URL}{alert.pk}/acknowledge/")

    assert response.status_code == 200
    assert response.json()["acknowledged_by"] == "tess"


def test_another_clinics_alert_is_404(other_api, patient):
    alert = make_alert(patient)

    assert other_api.get(f"{URL}{alert.pk}/").status_code == 404
    assert other_api.post(f"{URL}{alert.pk}/acknowledge/").status_code == 404
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


def test_a_read_only_key_cannot_acknowledge(read_only_api, patient):
    alert = make_alert(patient)

    assert read_only_api.post(f"{URL}{alert.pk}/acknowledge/").status_code == 403
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


def test_a_revoked_key_gets_401(client_with_revoked_key, patient):
    alert = make_alert(patient)

    assert client_with_revoked_key.get(URL).status_code == 401
    assert client_with_revoked_key.post(f"{URL}{alert.pk}/acknowledge/").status_code == 401


@pytest.mark.parametrize("page_size", [5, 50])
def test_listing_costs_the_same_queries_whatever_the_page_size(
    api, patient, therapist, page_size, django_assert_num_queries
):
    # One open alert per kind: the older ones were acknowledged.
    Alert.objects.bulk_create(
        Alert(
            patient=patient,
            kind="worse",
            severity="warning",
            message=str(n),
            acknowledged_by=therapist,
            acknowledged_at=timezone.now(),
        )
        for n in range(54)
    )
    Alert.objects.create(patient=patient, kind="worse", severity="warning", message="open")
    api.get("/api/v1/exercises/")

    # key, page (no count: pages by cursor; with who acknowledged and the exercise),
    # grouped logs, audit
    with django_assert_num_queries(4):  # + the audit event
        response = api.get(URL, {"page_size": page_size})
    assert len(response.json()["results"]) == page_size
