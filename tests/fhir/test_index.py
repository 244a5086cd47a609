"""The page that lists the FHIR endpoints for people."""

from django.test import Client


def test_the_index_page_lists_every_endpoint_and_search_parameter():
    response = Client().get("/fhir/R4/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "http://testserver/fhir/R4" in page
    assert 'href="/fhir/R4/metadata"' in page
    assert "/fhir/R4/Patient/{id}/$everything" in page
    for resource_type in ["Patient", "CarePlan", "ServiceRequest", "Observation", "Flag"]:
        assert f"GET /fhir/R4/{resource_type}</code>" in page
    assert "<code>_lastUpdated</code>" in page


def test_the_index_page_refuses_a_post():
    assert Client().post("/fhir/R4/").status_code == 405
