"""SMART Backend Services: a clinic system trades an assertion signed with its own
key for a short-lived bearer token, and reads FHIR with it within its scopes and its
clinic."""

from datetime import timedelta

import pytest
import requests
from django.test import Client

from fhir_r4.clients import register_client
from fhir_r4.models import SmartAccessToken, UsedAssertion, hash_token
from tests.fhir.smart import TOKEN_PATH, assertion, new_key, public_jwks, token_form
from tests.fhir.validation import assert_valid

AUDIENCE = f"http://testserver{TOKEN_PATH}"


def bearer(token: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def ask(client, signed: str, scope: str = "system/*.read"):
    return client.post(TOKEN_PATH, token_form(signed, scope))


@pytest.mark.parametrize("alg", ["ES384", "RS384"])
def test_a_signed_assertion_gets_a_token_that_reads_the_clinics_patients(
    alg, client, clinic, patient
):
    key = new_key(alg)
    smart = register_client(
        clinic=clinic, name="Warehouse", scopes=["system/*.read"], jwks=public_jwks(key)
    )

    response = ask(client, assertion(key, smart.client_id, AUDIENCE))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 300
    assert body["scope"] == "system/*.read"
    stored = SmartAccessToken.objects.get(client=smart)
    assert stored.token_hash == hash_token(body["access_token"])
    assert body["access_token"] not in str(SmartAccessToken.objects.values_list())
    patients = bearer(body["access_token"]).get("/fhir/R4/Patient").json()
    assert [entry["resource"]["id"] for entry in patients["entry"]] == [str(patient.pk)]


def test_an_expired_assertion_is_refused(client, smart_client, smart_key, frozen_clock):
    signed = assertion(smart_key, smart_client.client_id, AUDIENCE, lifetime=60)
    frozen_clock.shift(timedelta(minutes=2))

    response = ask(client, signed)

    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    assert not SmartAccessToken.objects.exists()


def test_an_assertion_valid_for_more_than_five_minutes_is_refused(client, smart_client, smart_key):
    response = ask(client, assertion(smart_key, smart_client.client_id, AUDIENCE, lifetime=600))

    assert response.status_code == 401
    assert "five minutes" in response.json()["error_description"]


@pytest.mark.parametrize(
    "audience", ["http://testserver/fhir/R4/metadata", "https://elsewhere.example/token"]
)
def test_an_assertion_for_another_audience_is_refused(client, smart_client, smart_key, audience):
    response = ask(client, assertion(smart_key, smart_client.client_id, audience))

    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


def test_an_assertion_signed_with_another_key_is_refused(client, smart_client):
    response = ask(client, assertion(new_key(), smart_client.client_id, AUDIENCE))

    assert response.status_code == 401
    assert "signature" in response.json()["error_description"]
    assert not SmartAccessToken.objects.exists()


def test_an_assertion_whose_subject_is_not_the_client_is_refused(client, smart_client, smart_key):
    signed = assertion(smart_key, smart_client.client_id, AUDIENCE, sub="someone-else")

    assert ask(client, signed).status_code == 401


def test_a_replayed_assertion_is_refused(client, smart_client, smart_key):
    signed = assertion(smart_key, smart_client.client_id, AUDIENCE, jti="once-only")

    first, second = ask(client, signed), ask(client, signed)

    assert first.status_code == 200
    assert second.status_code == 401
    assert "already used" in second.json()["error_description"]
    assert SmartAccessToken.objects.count() == 1
    assert UsedAssertion.objects.get().jti == "once-only"


def test_an_unknown_client_and_a_wrong_grant_are_refused(db, client, smart_key):
    unknown = ask(client, assertion(smart_key, "nobody", AUDIENCE))
    wrong_grant = client.post(
        TOKEN_PATH, {**token_form(assertion(smart_key, "x", AUDIENCE)), "grant_type": "password"}
    )
    garbage = ask(client, "not-a-jwt")

    assert unknown.status_code == 401
    assert wrong_grant.status_code == 400
    assert wrong_grant.json()["error"] == "unsupported_grant_type"
    assert garbage.status_code == 401


def test_a_scope_the_client_was_not_registered_for_is_refused(client, clinic, smart_key):
    smart = register_client(
        clinic=clinic, name="Reports", scopes=["system/Patient.read"], jwks=public_jwks(smart_key)
    )

    response = ask(client, assertion(smart_key, smart.client_id, AUDIENCE), "system/*.read")

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_scope"


def test_a_token_reads_only_the_types_its_scopes_name(client, clinic, smart_key, history):
    smart = register_client(
        clinic=clinic, name="Reports", scopes=["system/Patient.read"], jwks=public_jwks(smart_key)
    )
    token = ask(
        client, assertion(smart_key, smart.client_id, AUDIENCE), "system/Patient.rs"
    ).json()["access_token"]
    reader = bearer(token)
    patient_id = history["first"].patient_id

    assert reader.get("/fhir/R4/Patient").status_code == 200
    assert reader.get(f"/fhir/R4/Patient/{patient_id}").status_code == 200
    refused = reader.get("/fhir/R4/Flag")
    assert refused.status_code == 403
    assert_valid(refused.json())
    assert refused.json()["issue"][0]["code"] == "forbidden"
    assert reader.get(f"/fhir/R4/Flag/{history['open_alert'].pk}").status_code == 403
    assert reader.get(f"/fhir/R4/Patient/{patient_id}/$everything").status_code == 403


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_a_read_scope_token_cannot_write(method, smart_token, patient):
    writer = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {smart_token}")

    response = getattr(writer, method)(
        f"/fhir/R4/Patient/{patient.pk}",
        data='{"resourceType": "Patient"}',
        content_type="application/fhir+json",
    )

    assert response.status_code == 403
    assert_valid(response.json())
    assert "read-only" in response.json()["issue"][0]["diagnostics"]
    patient.refresh_from_db()
    assert patient.first_name == "Paula"


def test_a_token_sees_nothing_of_another_clinic(smart_token, other_clinic_patient):
    reader = bearer(smart_token)

    assert reader.get(f"/fhir/R4/Patient/{other_clinic_patient.pk}").status_code == 404
    assert "entry" not in reader.get("/fhir/R4/Patient").json()


def test_a_token_stops_working_after_five_minutes_and_on_revoke(
    smart_token, smart_client, patient, frozen_clock
):
    reader = bearer(smart_token)
    assert reader.get("/fhir/R4/Patient").status_code == 200

    frozen_clock.shift(timedelta(minutes=5, seconds=1))
    assert reader.get("/fhir/R4/Patient").status_code == 401


def test_revoking_the_client_ends_its_tokens(smart_token, smart_client, patient):
    smart_client.revoke()

    assert bearer(smart_token).get("/fhir/R4/Patient").status_code == 401
    assert not SmartAccessToken.objects.exists()


def test_the_smart_configuration_and_the_capability_statement_name_the_token_endpoint(db):
    config = Client().get("/fhir/R4/.well-known/smart-configuration").json()
    statement = Client().get("/fhir/R4/metadata").json()

    assert config["token_endpoint"] == AUDIENCE
    assert config["token_endpoint_auth_methods_supported"] == ["private_key_jwt"]
    assert set(config["token_endpoint_auth_signing_alg_values_supported"]) == {"RS384", "ES384"}
    assert "system/*.read" in config["scopes_supported"]
    assert "client-confidential-asymmetric" in config["capabilities"]
    security = statement["rest"][0]["security"]
    oauth = security["extension"][0]
    assert oauth["extension"] == [{"url": "token", "valueUri": AUDIENCE}]
    assert security["service"][0]["coding"][0]["code"] == "SMART-on-FHIR"


def test_a_served_app_gives_a_token_and_answers_with_it(live_server, clinic, patient, smart_key):
    """Through a real server and HTTP client, CSRF checks on as in production."""
    smart = register_client(
        clinic=clinic, name="Warehouse", scopes=["system/*.read"], jwks=public_jwks(smart_key)
    )
    token_url = live_server.url + TOKEN_PATH
    config = requests.get(
        f"{live_server.url}/fhir/R4/.well-known/smart-configuration", timeout=10
    ).json()
    assert config["token_endpoint"] == token_url

    answer = requests.post(
        token_url, data=token_form(assertion(smart_key, smart.client_id, token_url)), timeout=10
    )
    assert answer.status_code == 200, answer.text
    headers = {"Authorization": f"Bearer {answer.json()['access_token']}"}
    read = requests.get(
        f"{live_server.url}/fhir/R4/Patient/{patient.pk}", headers=headers, timeout=10
    )
    write = requests.post(
        f"{live_server.url}/fhir/R4/Patient",
        json={"resourceType": "Patient"},
        headers=headers,
        timeout=10,
    )

    assert read.status_code == 200
    assert read.json()["name"][0]["given"] == ["Paula"]
    assert write.status_code == 403
