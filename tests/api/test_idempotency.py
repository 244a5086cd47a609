"""Idempotency-Key: a retried POST returns the first answer instead of writing twice."""

from datetime import timedelta

import pytest

from api.models import IdempotencyRecord
from clinics.models import AuditEvent
from patients.models import Patient
from prescriptions.models import Prescription, SymptomLog

pytestmark = pytest.mark.any_hour

PATIENTS = "/api/v1/patients/"
ANN = {"first_name": "Ann", "last_name": "Lee", "external_id": "EHR-1"}


def post(client, url, data=None, key="retry-1"):
    return client.post(url, data, format="json", HTTP_IDEMPOTENCY_KEY=key)


def test_the_same_key_twice_makes_one_row_and_the_same_answer(api, clinic):
    first = post(api, PATIENTS, ANN)
    second = post(api, PATIENTS, ANN)

    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Patient.objects.filter(clinic=clinic).count() == 1
    record = IdempotencyRecord.objects.get()
    assert record.clinic == clinic and record.key == "retry-1" and record.status_code == 201


def test_the_same_key_with_another_body_is_refused(api, clinic):
    post(api, PATIENTS, ANN)

    response = post(api, PATIENTS, {**ANN, "first_name": "Anne"})

    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "idempotency_key_reused"
    assert "different request" in response.json()["detail"]
    assert list(Patient.objects.values_list("first_name", flat=True)) == ["Ann"]


def test_the_same_key_on_another_endpoint_is_refused(api, prescription):
    post(api, PATIENTS, ANN)

    response = post(api, f"/api/v1/prescriptions/{prescription.pk}/end/")

    assert response.status_code == 409
    prescription.refresh_from_db()
    assert prescription.status == "active"


def test_key_order_and_spacing_of_the_body_do_not_matter(api):
    first = api.post(
        PATIENTS,
        '{"first_name": "Ann", "last_name": "Lee"}',
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="k",
    )
    second = api.post(
        PATIENTS,
        '{"last_name":"Lee","first_name":"Ann"}',
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="k",
    )

    assert second.status_code == 201 and second.json() == first.json()
    assert Patient.objects.count() == 1


def test_keys_are_scoped_per_api_key(api, other_api, clinic, other_clinic):
    post(api, PATIENTS, ANN)
    response = post(other_api, PATIENTS, ANN)

    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response
    assert Patient.objects.filter(clinic=other_clinic).count() == 1
    assert Patient.objects.filter(clinic=clinic).count() == 1


def test_a_refused_request_is_not_remembered(api):
    refused = post(api, PATIENTS, {"first_name": "Ann"})
    corrected = post(api, PATIENTS, ANN)

    assert refused.status_code == 400
    assert corrected.status_code == 201
    assert Patient.objects.count() == 1


def test_a_key_expires_after_24_hours(api):
    post(api, PATIENTS, {"first_name": "Ann", "last_name": "Lee"})
    IdempotencyRecord.objects.update(
        created_at=IdempotencyRecord.objects.get().created_at - timedelta(hours=25)
    )

    response = post(api, PATIENTS, {"first_name": "Ann", "last_name": "Lee"})

    assert response.status_code == 201 and "Idempotent-Replayed" not in response
    assert Patient.objects.count() == 2
    assert IdempotencyRecord.objects.count() == 1


def test_a_replay_is_audited_as_a_read(api):
    post(api, PATIENTS, ANN)
    post(api, PATIENTS, ANN)

    event = AuditEvent.objects.get(object_type="idempotent_replay")
    assert event.action == "view" and event.detail["idempotency_key"] == "retry-1"


def test_without_a_key_each_post_writes(api):
    api.post(PATIENTS, {"first_name": "Ann", "last_name": "Lee"}, format="json")
    api.post(PATIENTS, {"first_name": "Ann", "last_name": "Lee"}, format="json")

    assert Patient.objects.count() == 2
    assert not IdempotencyRecord.objects.exists()


@pytest.mark.parametrize("key", ["", " padded ", "x" * 256, "tab\there", "é"])
def test_a_malformed_key_is_a_400(api, key):
    response = api.post(
        PATIENTS, ANN, format="json", HTTP_IDEMPOTENCY_KEY=key.encode().decode("latin-1")
    )

    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["errors"]
    assert not Patient.objects.exists()


def test_prescribing_twice_with_one_key_makes_one_program(api, patient):
    body = {"patient": patient.pk, "prescribed_by": "tess", "items": [{"exercise": "prone-lying"}]}

    first = post(api, "/api/v1/prescriptions/", body)
    second = post(api, "/api/v1/prescriptions/", body)

    assert second.json() == first.json()
    assert Prescription.objects.filter(patient=patient).count() == 1


def test_revising_twice_with_one_key_makes_one_version(api, prescription):
    body = {"prescribed_by": "tess", "items": [{"exercise": "prone-props"}]}
    url = f"/api/v1/prescriptions/{prescription.pk}/revise/"

    first = post(api, url, body)
    second = post(api, url, body)

    assert first.status_code == second.status_code == 201
    assert second.json()["id"] == first.json()["id"]
    assert Prescription.objects.filter(patient=prescription.patient).count() == 2


def test_ending_twice_with_one_key_answers_the_same(api, prescription):
    url = f"/api/v1/prescriptions/{prescription.pk}/end/"

    first = post(api, url)
    second = post(api, url)

    assert first.status_code == second.status_code == 200
    assert second.json() == first.json()


@pytest.mark.hazard("H-05")
def test_logging_twice_with_one_key_stores_one_log_and_one_alert(api, prescription):
    item = prescription.items.get(position=1)
    body = {
        "item": item.pk,
        "sets_done": 1,
        "repetitions_done": 10,
        "pain": 5,
        "location": "thigh",
        "during": "peripheralize",
        "after": "no_better",
    }

    first = post(api, "/api/v1/symptom-logs/", body)
    second = post(api, "/api/v1/symptom-logs/", body)

    assert second.json() == first.json()
    assert second.json()["stop_exercise"] is True
    assert SymptomLog.objects.count() == 1
    assert prescription.patient.alerts.count() == 1


def test_a_read_only_key_is_refused_before_idempotency(read_only_api):
    assert post(read_only_api, PATIENTS, ANN).status_code == 403
    assert not IdempotencyRecord.objects.exists()
