"""An integrator's walk through the demo clinic: read the CapabilityStatement, page
through every resource type it names, read each resource back by id, fetch every
patient's $everything, and validate all of it. A second clinic's key sees none of it."""

import pytest
from django.conf import settings
from django.core.management import call_command

from api.models import create_api_key
from clinics.models import Clinic
from tests.fhir.conftest import client_with
from tests.fhir.validation import entries, fhir_get, next_url, unresolved_references

OUR_CODE_SYSTEMS = f"{settings.SITE_URL}/fhir/R4/CodeSystem/"
PATIENT_DATA = {
    "Patient",
    "Condition",
    "CarePlan",
    "ServiceRequest",
    "DocumentReference",
    "QuestionnaireResponse",
    "Observation",
    "Flag",
}


def codings(value):
    if isinstance(value, dict):
        if "system" in value and "code" in value:
            yield value
        for item in value.values():
            yield from codings(item)
    elif isinstance(value, list):
        for item in value:
            yield from codings(item)


def walk(client) -> dict[str, dict[str, dict]]:
    """Every resource the API serves to `client`, by type and id."""
    statement = fhir_get(client, "/fhir/R4/metadata")
    found: dict[str, dict[str, dict]] = {}
    for entry in statement["rest"][0]["resource"]:
        resource_type = entry["type"]
        found[resource_type] = {}
        url = f"/fhir/R4/{resource_type}?_count=40"
        while url:
            bundle = fhir_get(client, url)
            for resource in entries(bundle):
                assert resource["id"] not in found[resource_type], "repeated across pages"
                found[resource_type][resource["id"]] = resource
            url = next_url(bundle)
        assert len(found[resource_type]) == bundle["total"], resource_type
    return found


@pytest.fixture
def demo(catalog_before_now, settings):
    # The walk reads every resource back by id: more than a key's budget in a minute.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api": "100000/min"},
    }
    call_command("seed_demo", verbosity=0)
    clinics = {clinic.slug: clinic for clinic in Clinic.objects.all()}
    riverside = client_with(create_api_key(clinic=clinics["riverside"], name="EHR")[1])
    northgate = client_with(create_api_key(clinic=clinics["northgate"], name="EHR")[1])
    return riverside, northgate


def test_everything_the_demo_clinic_serves_is_valid_r4_and_reads_back_by_id(demo):
    riverside, _northgate = demo

    found = walk(riverside)

    for resource_type in PATIENT_DATA | {"ActivityDefinition", "PlanDefinition"}:
        assert found[resource_type], f"the demo has no {resource_type}"
    for resource_type, resources in found.items():
        for resource_id, resource in resources.items():
            assert fhir_get(riverside, f"/fhir/R4/{resource_type}/{resource_id}") == resource
    code_systems = {
        cs["url"]: {c["code"] for c in cs["concept"]} for cs in found["CodeSystem"].values()
    }
    for resources in found.values():
        for resource in resources.values():
            for coding in codings(resource):
                if coding["system"].startswith(OUR_CODE_SYSTEMS):
                    assert coding["code"] in code_systems[coding["system"]], coding


def test_every_demo_patients_everything_is_valid_and_self_contained(demo):
    riverside, _northgate = demo

    patients = entries(fhir_get(riverside, "/fhir/R4/Patient"))
    for patient in patients:
        bundle = fhir_get(riverside, f"/fhir/R4/Patient/{patient['id']}/$everything")
        assert unresolved_references(bundle) == set()
        assert entries(bundle)[0] == patient


def test_the_second_demo_clinic_sees_nothing_of_the_first(demo):
    riverside, northgate = demo

    ours, theirs = walk(riverside), walk(northgate)

    for resource_type in PATIENT_DATA:
        assert not set(ours[resource_type]) & set(theirs[resource_type]), resource_type
        for resource_id in ours[resource_type]:
            fhir_get(northgate, f"/fhir/R4/{resource_type}/{resource_id}", status=404)
