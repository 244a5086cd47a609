"""The clinic administrator's SMART backend clients page: register a clinic system
with its public keys (inline or by URL) and scopes, see it, revoke it."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import Client

from clinics.models import AuditEvent
from fhir_r4.clients import register_client
from fhir_r4.models import SmartClient
from tests.fhir.smart import TOKEN_PATH, assertion, new_key, public_jwks, token_form

URL = "/smart-clients/"


@pytest.fixture(scope="module")
def key():
    return new_key()


def form(**changes):
    return {"name": "Warehouse", "scopes": ["system/*.read"], **changes}


@pytest.fixture
def jwks_server(key):
    """A clinic system's key set, served over HTTP on the loopback address."""
    body = json.dumps(public_jwks(key)).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/jwks.json"
    server.shutdown()
    server.server_close()


def test_an_administrator_registers_a_client_with_an_inline_key_set(
    therapist_client, therapist, clinic, key
):
    response = therapist_client.post(
        URL, form(jwks=json.dumps(public_jwks(key)), scopes=["system/Patient.read"])
    )

    assert response.status_code == 302
    smart = SmartClient.objects.get()
    assert smart.clinic == clinic and smart.created_by == therapist
    assert smart.scopes == ["system/Patient.read"]
    page = therapist_client.get(URL).content.decode()
    assert smart.client_id in page and "system/Patient.read" in page
    assert f"http://testserver{TOKEN_PATH}" in page
    assert AuditEvent.objects.filter(object_type="smart_client", action="create").exists()


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"jwks": "{not json"}, "not valid JSON"),
        ({"jwks": '{"keys": []}'}, "non-empty"),
        ({}, "either the key set or its URL"),
        ({"jwks_url": "https://127.0.0.1/jwks.json"}, "private or local address"),
        ({"jwks_url": "https://localhost/jwks.json"}, "private or local address"),
        ({"jwks_url": "http://example.org/jwks.json"}, "https://"),
    ],
)
def test_a_bad_key_set_or_address_is_a_form_error(therapist_client, changes, error):
    response = therapist_client.post(URL, form(**changes))

    assert response.status_code == 400
    assert error in response.content.decode()
    assert not SmartClient.objects.exists()


def test_a_private_key_is_refused(therapist_client, key):
    response = therapist_client.post(
        URL, form(jwks=json.dumps({"keys": [key.as_dict(private=True)]}))
    )

    assert response.status_code == 400
    assert "private key" in response.content.decode()


def test_a_key_set_url_is_fetched_at_registration_and_at_token_time(
    therapist_client, client, settings, jwks_server, key
):
    settings.SMART_JWKS_ALLOW_PRIVATE = True  # the test's key server is on loopback

    assert therapist_client.post(URL, form(jwks_url=jwks_server)).status_code == 302

    smart = SmartClient.objects.get()
    assert smart.jwks is None and smart.jwks_url == jwks_server
    signed = assertion(key, smart.client_id, f"http://testserver{TOKEN_PATH}")
    assert client.post(TOKEN_PATH, token_form(signed)).status_code == 200


def test_revoking_a_client_ends_its_tokens(therapist_client, clinic, key, client):
    smart = register_client(
        clinic=clinic, name="W", scopes=["system/*.read"], jwks=public_jwks(key)
    )
    signed = assertion(key, smart.client_id, f"http://testserver{TOKEN_PATH}")
    token = client.post(TOKEN_PATH, token_form(signed)).json()["access_token"]

    response = therapist_client.post(f"{URL}{smart.client_id}/revoke/")

    assert response.status_code == 302
    smart.refresh_from_db()
    assert smart.revoked_at is not None
    reader = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert reader.get("/fhir/R4/Patient").status_code == 401
    again = assertion(key, smart.client_id, f"http://testserver{TOKEN_PATH}")
    assert client.post(TOKEN_PATH, token_form(again)).status_code == 401


def test_the_list_shows_this_clinics_clients_only_in_few_queries(
    therapist_client, clinic, other_clinic, key, django_assert_max_num_queries
):
    for number in range(5):
        register_client(
            clinic=clinic, name=f"System {number}", scopes=["system/*.read"], jwks=public_jwks(key)
        )
    register_client(
        clinic=other_clinic, name="Hillside", scopes=["system/*.read"], jwks=public_jwks(key)
    )

    with django_assert_max_num_queries(12):
        page = therapist_client.get(URL).content.decode()

    assert "System 4" in page and "Hillside" not in page


def test_another_clinics_administrator_cannot_revoke(client, other_clinic_therapist, clinic, key):
    smart = register_client(
        clinic=clinic, name="W", scopes=["system/*.read"], jwks=public_jwks(key)
    )
    client.force_login(other_clinic_therapist)

    assert client.post(f"{URL}{smart.client_id}/revoke/").status_code == 404
    smart.refresh_from_db()
    assert smart.revoked_at is None


def test_only_administrators_and_only_signed_in(client, colleague):
    assert client.get(URL).status_code == 302  # to the sign-in page
    client.force_login(colleague)
    assert client.get(URL).status_code == 403
    assert client.post(URL, form(jwks="{}")).status_code == 403
    assert client.put(URL).status_code in {403, 405}
