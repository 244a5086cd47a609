"""A clinic administrator registers a SMART backend client in the browser, the
system gets a token with its key at once, and the administrator revokes it."""

import json

import requests

from fhir_r4.models import SmartClient
from tests.browser.conftest import assert_accessible, login
from tests.fhir.smart import TOKEN_PATH, assertion, new_key, public_jwks, token_form


def test_an_administrator_registers_and_revokes_a_smart_client(
    page, live_server, therapist, patient, password
):
    key = new_key()
    login(page, "tess", password)
    page.goto("/api-keys/")
    page.get_by_role("link", name="SMART backend clients").click()

    page.get_by_label("Name").fill("Data warehouse")
    page.get_by_label("Public key set (JWKS)").fill(json.dumps(public_jwks(key)))
    page.get_by_label("system/*.read").check()
    page.get_by_role("button", name="Register client").click()

    smart = SmartClient.objects.get()
    assert page.get_by_text(smart.client_id).first.is_visible()
    assert_accessible(page)
    token_url = live_server.url + TOKEN_PATH
    signed = assertion(key, smart.client_id, token_url)
    answer = requests.post(token_url, data=token_form(signed), timeout=10)
    assert answer.status_code == 200
    headers = {"Authorization": f"Bearer {answer.json()['access_token']}"}
    url = f"{live_server.url}/fhir/R4/Patient/{patient.pk}"
    assert requests.get(url, headers=headers, timeout=10).status_code == 200

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Revoke the client Data warehouse").click()

    assert page.get_by_text("is revoked").is_visible()
    assert requests.get(url, headers=headers, timeout=10).status_code == 401
