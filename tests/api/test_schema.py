"""The OpenAPI schema and the offline docs an integrator starts from."""

import re

import pytest
import yaml

from prescriptions.models import MAX_ITEMS

EXPECTED_PATHS = {
    "/api/v1/exercises/",
    "/api/v1/exercises/{id}/",
    "/api/v1/progressions/",
    "/api/v1/progressions/{id}/",
    "/api/v1/patients/",
    "/api/v1/patients/{id}/",
    "/api/v1/patients/{id}/adherence/",
    "/api/v1/prescriptions/",
    "/api/v1/prescriptions/{id}/",
    "/api/v1/prescriptions/{id}/revise/",
    "/api/v1/prescriptions/{id}/end/",
    "/api/v1/prescriptions/{id}/handout.pdf",
    "/api/v1/symptom-logs/",
    "/api/v1/symptom-logs/{id}/",
    "/api/v1/sessions/",
    "/api/v1/sessions/{id}/",
    "/api/v1/alerts/",
    "/api/v1/red-flag-checks/",
    "/api/v1/red-flag-checks/{id}/",
    "/api/v1/red-flag-checks/questions/",
    "/api/v1/alerts/{id}/",
    "/api/v1/alerts/{id}/acknowledge/",
    "/api/v1/suggestions/",
    "/api/v1/suggestions/{id}/",
    "/api/v1/suggestions/{id}/accept/",
    "/api/v1/suggestions/{id}/dismiss/",
    "/api/v1/outcome-measures/",
    "/api/v1/outcome-measures/{id}/",
    "/api/v1/assessments/",
    "/api/v1/assessments/{id}/",
    "/api/v1/message-threads/",
    "/api/v1/message-threads/{id}/",
    "/api/v1/message-threads/{id}/read/",
    "/api/v1/messages/",
    "/api/v1/messages/{id}/",
}


@pytest.fixture
def schema(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return response.json()


def query_parameters(schema, path):
    return {p["name"] for p in schema["paths"][path]["get"]["parameters"] if p["in"] == "query"}


def test_the_schema_is_public_openapi_3_with_exactly_the_resources(client, schema):
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == EXPECTED_PATHS
    assert yaml.safe_load(client.get("/api/schema/").content)["info"]["title"] == "Centra API"


def test_the_schema_documents_the_api_key_scheme(schema):
    scheme = schema["components"]["securitySchemes"]["ApiKeyAuth"]
    assert scheme == {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": scheme["description"],
    }
    assert "Api-Key <key>" in scheme["description"]
    for path in schema["paths"].values():
        for operation in path.values():
            assert {"ApiKeyAuth": []} in operation["security"]


def test_the_schema_documents_every_filter(schema):
    assert {"external_id", "updated_since", "page", "page_size"} <= query_parameters(
        schema, "/api/v1/patients/"
    )
    assert {"patient", "status"} <= query_parameters(schema, "/api/v1/prescriptions/")
    assert {"patient", "prescription", "since"} <= query_parameters(schema, "/api/v1/symptom-logs/")
    assert {"acknowledged", "patient"} <= query_parameters(schema, "/api/v1/alerts/")
    assert {"patient", "status", "direction"} <= query_parameters(schema, "/api/v1/suggestions/")
    assert {"patient", "unread", "updated_since"} <= query_parameters(schema, "/api/v1/messages/")


def test_every_post_documents_the_idempotency_key_and_its_409(schema):
    posts = [(path, item["post"]) for path, item in schema["paths"].items() if "post" in item]
    # + outcome-measures, assessments, messages, message-threads read, sessions
    assert len(posts) == 14
    for path, operation in posts:
        headers = {p["name"] for p in operation["parameters"] if p["in"] == "header"}
        assert "Idempotency-Key" in headers, path
        assert "409" in operation["responses"], path


def test_errors_are_documented_as_problem_details(schema):
    responses = schema["paths"]["/api/v1/patients/{id}/"]["get"]["responses"]
    for code in ("401", "403", "404", "429"):
        assert "application/problem+json" in responses[code]["content"]


def test_prescription_create_documents_the_prescriber_choice(schema):
    request = schema["components"]["schemas"]["PrescriptionInputRequest"]
    assert "names its prescriber" in request["properties"]["prescribed_by"]["description"]
    assert set(request["required"]) == {"patient", "prescribed_by"}
    assert request["properties"]["items"]["minItems"] == 1
    # The builder's limit: a draft made here is checked and activated there.
    assert request["properties"]["items"]["maxItems"] == MAX_ITEMS == 20


def test_the_handout_is_documented_as_a_pdf(schema):
    responses = schema["paths"]["/api/v1/prescriptions/{id}/handout.pdf"]["get"]["responses"]
    assert "application/pdf" in responses["200"]["content"]


def test_the_docs_page_uses_local_assets_only(client):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    page = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources and all(src.startswith("/") for src in sources), sources
    bundle = next(src for src in sources if src.endswith("swagger-ui-bundle.js"))
    assert client.get(bundle).status_code == 200


def test_the_docs_page_runs_no_inline_script_and_forgets_pasted_keys(client):
    page = client.get("/api/docs/").content.decode()

    assert "<style" not in page
    scripts = re.findall(r"<script([^>]*)>", page)
    assert scripts and all('src="' in attributes for attributes in scripts), scripts
    settings_script = re.findall(r'<script src="([^"]+)"', page)[-1]
    script = client.get(settings_script).content.decode()
    assert "/api/schema/" in script
    assert '"persistAuthorization": false' in script
    assert '"persistAuthorization": true' not in script
