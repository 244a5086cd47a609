"""Every resource says when it last changed and which state it is in: `meta.lastUpdated`
and `meta.versionId`; a read answers an `ETag` and 304 to `If-None-Match` with it."""

import pytest

from fhir_r4.search import SEARCHES
from tests.fhir.validation import entries, fhir_get


def test_every_resource_type_has_last_updated_and_a_version(fhir, history):
    for resource_type in SEARCHES:
        for resource in entries(fhir_get(fhir, f"/fhir/R4/{resource_type}?_count=200")):
            assert resource["meta"]["lastUpdated"], resource_type
            assert resource["meta"]["versionId"], resource_type


@pytest.mark.parametrize(
    "address",
    ["PlanDefinition/{progression}", "Questionnaire/symptom-log", "CodeSystem/mdt-location"],
)
def test_definitions_have_last_updated_when_read(fhir, history, address):
    path = address.format(progression=history["first"].progression_id)

    resource = fhir_get(fhir, f"/fhir/R4/{path}")

    assert resource["meta"]["lastUpdated"]


def test_a_read_answers_a_weak_etag_naming_the_version(fhir, patient):
    response = fhir.get(f"/fhir/R4/Patient/{patient.pk}")

    assert response["ETag"] == f'W/"{response.json()["meta"]["versionId"]}"'
    assert response["Last-Modified"]


def test_if_none_match_with_the_current_etag_answers_304_without_a_body(fhir, patient):
    etag = fhir.get(f"/fhir/R4/Patient/{patient.pk}")["ETag"]

    response = fhir.get(f"/fhir/R4/Patient/{patient.pk}", HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag


def test_a_change_gives_a_new_version_and_a_full_answer(fhir, patient):
    before = fhir.get(f"/fhir/R4/Patient/{patient.pk}")
    patient.first_name = "Paulina"
    patient.save()

    after = fhir.get(f"/fhir/R4/Patient/{patient.pk}", HTTP_IF_NONE_MATCH=before["ETag"])

    assert after.status_code == 200
    assert after.json()["name"][0]["given"] == ["Paulina"]
    assert after["ETag"] != before["ETag"]
    assert after.json()["meta"]["versionId"] != before.json()["meta"]["versionId"]


def test_the_version_is_the_same_in_a_search_and_a_read(fhir, history):
    for resource in entries(fhir_get(fhir, "/fhir/R4/Observation")):
        read = fhir_get(fhir, f"/fhir/R4/Observation/{resource['id']}")
        assert read["meta"]["versionId"] == resource["meta"]["versionId"]
