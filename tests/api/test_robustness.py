"""No input makes the API answer 500: malformed bodies, headers and ids."""

import pytest

PATIENTS = "/api/v1/patients/"


@pytest.mark.parametrize(
    "body",
    [
        "{",
        "not json",
        "[]",
        '"a string"',
        "null",
        "123",
        '{"first_name": NaN, "last_name": "x"}',
        "[" * 100_000 + "]" * 100_000,
        "\xff\xfe",
    ],
)
def test_malformed_json_is_a_400(api, body):
    response = api.post(PATIENTS, body, content_type="application/json")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


def test_a_body_that_is_not_json_is_a_415(api):
    response = api.post(
        PATIENTS, "first_name=Ann", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"


def test_a_huge_body_is_refused(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = '{"first_name": "' + "a" * 2000 + '", "last_name": "b"}'

    response = api.post(PATIENTS, body, content_type="application/json")

    assert response.status_code == 413
    assert response.json()["code"] == "too_large"


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/prescriptions/99999999999999999/",
        "/api/v1/prescriptions/999999999999999999/end/",
        "/api/v1/prescriptions/999999999999999999/handout.pdf",
        "/api/v1/alerts/999999999999999999/acknowledge/",
    ],
)
def test_huge_ids_in_the_path_are_a_404(api, url):
    response = api.post(url) if url.endswith(("end/", "acknowledge/")) else api.get(url)

    assert response.status_code == 404


def test_an_accept_header_the_api_cannot_answer_still_gets_json(api):
    response = api.get("/api/v1/exercises/", HTTP_ACCEPT="text/csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


def test_an_unknown_method_is_a_405(api):
    assert api.delete("/api/v1/exercises/1/").status_code == 405
    assert api.put("/api/v1/alerts/1/", {}, format="json").status_code == 405


def test_unknown_query_parameters_are_a_400_naming_them_even_with_nul(api, patient):
    # A typo ("patinet") must not quietly answer with every record of the clinic.
    response = api.get(PATIENTS, {"whatever": "a\x00b", "x\x00": "1"})

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert sorted(errors) == ["whatever", "x\x00"]
    assert "It takes: cursor, external_id, page, page_size, updated_since." in errors["whatever"][0]
    typo = api.get("/api/v1/symptom-logs/", {"patinet": patient.pk})
    assert typo.status_code == 400 and "patinet" in typo.json()["errors"]
    assert api.get("/api/v1/symptom-logs/", {"patient": patient.pk}).status_code == 200
