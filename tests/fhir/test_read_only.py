"""The FHIR API does not write: every write, to any address under /fhir/R4/, meets a
405 OperationOutcome, with Django's CSRF check on as in production and through a
served app; HEAD answers as GET does, without a body."""

import pytest
import requests
from django.test import Client

from tests.fhir.conftest import client_with
from tests.fhir.validation import assert_valid

WRITES = ["post", "put", "patch", "delete"]


def write_addresses(patient) -> list[str]:
    return [
        "/fhir/R4/",
        "/fhir/R4/Patient",
        f"/fhir/R4/Patient/{patient.pk}",
        "/fhir/R4/Observation/_search",
        f"/fhir/R4/Patient/{patient.pk}/$everything",
        "/fhir/R4/metadata",
        "/fhir/R4/Patient/1/_history",
    ]


def assert_read_only_refusal(status: int, content_type: str, body: dict) -> None:
    assert status == 405
    assert content_type.startswith("application/fhir+json")
    assert_valid(body)
    assert body["resourceType"] == "OperationOutcome"
    assert body["issue"][0]["code"] == "not-supported"


@pytest.mark.parametrize("method", WRITES)
def test_every_write_answers_405_operation_outcome_with_csrf_checks_on(method, fhir_key, patient):
    client = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Api-Key {fhir_key[1]}")

    for address in write_addresses(patient):
        response = getattr(client, method)(
            address, data='{"resourceType": "Patient"}', content_type="application/fhir+json"
        )

        assert_read_only_refusal(response.status_code, response["Content-Type"], response.json())
        assert response["Allow"] == "GET, HEAD"
    patient.refresh_from_db()
    assert patient.first_name == "Paula"


def test_a_served_app_refuses_writes_with_an_operation_outcome(live_server, fhir_key, patient):
    headers = {
        "Authorization": f"Bearer {fhir_key[1]}",
        "Content-Type": "application/fhir+json",
    }
    for method in ["POST", "PUT", "PATCH", "DELETE"]:
        for address in write_addresses(patient):
            response = requests.request(
                method,
                live_server.url + address,
                data='{"resourceType": "Patient"}',
                headers=headers,
                timeout=10,
            )

            assert_read_only_refusal(
                response.status_code, response.headers["Content-Type"], response.json()
            )


def test_head_answers_the_get_headers_without_a_body(fhir, patient):
    got = fhir.get(f"/fhir/R4/Patient/{patient.pk}")
    head = fhir.head(f"/fhir/R4/Patient/{patient.pk}")

    assert head.status_code == 200
    assert head.content == b""
    assert head["Content-Type"].startswith("application/fhir+json")
    assert head["ETag"] == got["ETag"]
    assert int(head["Content-Length"]) == len(got.content)


def test_head_through_a_served_app(live_server, fhir_key, patient):
    headers = {"Authorization": f"Api-Key {fhir_key[1]}"}

    response = requests.head(f"{live_server.url}/fhir/R4/Patient", headers=headers, timeout=10)

    assert response.status_code == 200
    assert response.content == b""
    assert response.headers["Content-Type"].startswith("application/fhir+json")


def test_head_without_a_key_is_refused_as_get_is(patient):
    response = client_with("wrong").head("/fhir/R4/Patient")

    assert response.status_code == 401
    assert response.content == b""
