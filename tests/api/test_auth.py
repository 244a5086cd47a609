"""Who may call the API: clinic keys, therapists' sessions, nobody else."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from api.models import ClinicAPIKey, create_api_key
from clinics.models import AuditEvent
from tests.api.conftest import client_with

PATIENTS = "/api/v1/patients/"


def test_it_answers_401_with_a_challenge_without_credentials(anonymous_api, patient):
    response = anonymous_api.get(PATIENTS)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Api-Key realm="api"'
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize(
    "header",
    [
        "Api-Key wrong",
        "Api-Key abcdefgh.abcdefghabcdefghabcdefghabcdefgh",
        "Api-Key ",
        "Api-Key \x00\x01",
        "api-key " + "x" * 5000,
    ],
)
def test_it_answers_401_to_a_wrong_key(header, patient):
    client = Client(HTTP_AUTHORIZATION=header)

    response = client.get(PATIENTS)

    assert response.status_code == 401
    assert response.json()["detail"] == "Invalid, revoked or expired API key."


def test_it_answers_401_to_a_revoked_key(api, api_key):
    api_key[0].revoke()

    assert api.get(PATIENTS).status_code == 401


def test_it_answers_401_to_an_expired_key(api, api_key):
    key = api_key[0]
    key.expiry_date = timezone.now() - timedelta(seconds=1)
    key.save()

    assert api.get(PATIENTS).status_code == 401


def test_it_answers_401_to_a_key_with_a_right_prefix_and_wrong_secret(api_key):
    key = api_key[0]
    forged = f"{key.prefix}.{'A' * 32}"

    assert client_with(forged).get(PATIENTS).status_code == 401


def test_the_key_keyword_is_case_insensitive(api_key, patient):
    client = Client(HTTP_AUTHORIZATION=f"api-key {api_key[1]}")

    assert client.get(PATIENTS).status_code == 200


def test_keys_are_stored_hashed(api_key):
    key, raw = api_key
    secret = raw.split(".", 1)[1]

    row = ClinicAPIKey.objects.get(pk=key.pk)
    assert secret not in row.hashed_key
    assert secret not in row.pk
    assert row.hashed_key.startswith("sha512$$")


def test_a_request_records_when_the_key_was_last_used_at_most_once_a_minute(
    api, api_key, django_assert_num_queries
):
    key = api_key[0]
    assert key.last_used_at is None

    api.get("/api/v1/exercises/")
    first = ClinicAPIKey.objects.get(pk=key.pk).last_used_at
    assert first is not None
    # Within the minute: key lookup, count, page; no write.
    with django_assert_num_queries(3):
        api.get("/api/v1/exercises/")
    assert ClinicAPIKey.objects.get(pk=key.pk).last_used_at == first

    ClinicAPIKey.objects.filter(pk=key.pk).update(last_used_at=first - timedelta(minutes=2))
    api.get("/api/v1/exercises/")
    assert ClinicAPIKey.objects.get(pk=key.pk).last_used_at > first


def test_a_read_only_key_reads_but_gets_403_on_writes(read_only_api, patient):
    assert read_only_api.get(PATIENTS).status_code == 200

    response = read_only_api.post(
        PATIENTS, {"first_name": "Ann", "last_name": "Lee"}, format="json"
    )

    assert response.status_code == 403
    assert response.json()["detail"] == "This API key is read-only."
    assert not patient.clinic.patients.filter(first_name="Ann").exists()


def test_a_therapist_session_sees_their_clinic(therapist_client, patient, other_clinic_patient):
    response = therapist_client.get(PATIENTS)

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [patient.pk]


def test_a_session_write_needs_the_csrf_token(therapist, patient):
    client = Client(enforce_csrf_checks=True)
    client.force_login(therapist)

    refused = client.post(
        PATIENTS, {"first_name": "Ann", "last_name": "Lee"}, content_type="application/json"
    )
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]

    client.get("/api-keys/")  # a dashboard page sets the token cookie
    token = client.cookies["csrftoken"].value
    accepted = client.post(
        PATIENTS,
        {"first_name": "Ann", "last_name": "Lee"},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert accepted.status_code == 201
    created = patient.clinic.patients.get(first_name="Ann")
    assert created.created_by == therapist
    event = AuditEvent.objects.get(action="create", object_type="patient")
    assert event.actor == therapist


def test_a_patient_session_is_refused(patient_client):
    response = patient_client.get(PATIENTS)

    assert response.status_code == 403


def test_audit_events_name_the_key(api, patient):
    api.get(f"{PATIENTS}{patient.pk}/")

    event = AuditEvent.objects.get(action="view", object_type="patient")
    assert event.actor is None
    assert event.actor_label == "api-key:EHR sync"
    assert event.patient_id == patient.pk
    assert event.clinic == patient.clinic


def test_requests_beyond_the_rate_are_throttled_per_key(settings, api, read_only_api):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api": "3/min"},
    }

    statuses = [api.get("/api/v1/exercises/").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    throttled = api.get("/api/v1/exercises/")
    assert throttled["Content-Type"] == "application/problem+json"
    assert int(throttled["Retry-After"]) > 0
    # Another key has its own budget.
    assert read_only_api.get("/api/v1/exercises/").status_code == 200


def test_a_key_made_for_one_clinic_belongs_to_it(clinic):
    key, raw = create_api_key(clinic=clinic, name="Billing", read_only=True)

    assert key.clinic == clinic
    assert key.read_only
    assert ClinicAPIKey.objects.find(raw) == key
    assert ClinicAPIKey.objects.find(raw + "x") is None
