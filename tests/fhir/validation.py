"""Checks every resource the way an independent client would: parse it with the
`fhir.resources` models (R4B, what the server builds with) and with SMART's
`fhirclient` models, generated from FHIR 4.0.1 itself (strict: unknown elements,
wrong types and missing required elements fail); then what those models leave out:
required code bindings, FHIR JSON's ban on empty values, resolvable references
inside a Bundle."""

from __future__ import annotations

from typing import Any

from fhir.resources.R4B import get_fhir_model_class
from fhirclient.models.fhirelementfactory import FHIRElementFactory

REQUEST_STATUS = {
    "draft",
    "active",
    "on-hold",
    "revoked",
    "completed",
    "entered-in-error",
    "unknown",
}
PUBLICATION_STATUS = {"draft", "active", "retired", "unknown"}
# Codes from value sets whose binding is "required" in R4, for the elements we send.
REQUIRED_CODES: dict[str, dict[str, set[str]]] = {
    "Bundle": {"type": {"searchset"}},
    "CarePlan": {"status": REQUEST_STATUS, "intent": {"proposal", "plan", "order", "option"}},
    "ServiceRequest": {
        "status": REQUEST_STATUS,
        "intent": {"proposal", "plan", "directive", "order", "original-order", "option"},
    },
    "Observation": {"status": {"registered", "preliminary", "final", "amended", "unknown"}},
    "Flag": {"status": {"active", "inactive", "entered-in-error"}},
    "DocumentReference": {
        "status": {"current", "superseded", "entered-in-error"},
        "docStatus": {"preliminary", "final", "amended", "entered-in-error"},
    },
    "QuestionnaireResponse": {
        "status": {"in-progress", "completed", "amended", "entered-in-error", "stopped"}
    },
    "Questionnaire": {"status": PUBLICATION_STATUS},
    "CodeSystem": {"status": PUBLICATION_STATUS, "content": {"complete"}},
    "ActivityDefinition": {"status": PUBLICATION_STATUS},
    "PlanDefinition": {"status": PUBLICATION_STATUS},
    "CapabilityStatement": {"status": PUBLICATION_STATUS, "kind": {"instance"}},
    "OperationOutcome": {},
    "Patient": {},
    "Condition": {},
    "Communication": {
        "status": {
            "preparation",
            "in-progress",
            "not-done",
            "on-hold",
            "stopped",
            "completed",
            "entered-in-error",
            "unknown",
        }
    },
}


def _no_empty_values(value: Any, where: str) -> None:
    if value in ("", [], {}, None):
        raise AssertionError(f"FHIR JSON has no empty values: {where}")
    if isinstance(value, dict):
        for key, item in value.items():
            _no_empty_values(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _no_empty_values(item, f"{where}[{index}]")


def assert_valid(resource: dict[str, Any]) -> dict[str, Any]:
    """The resource, after checking it is valid R4; raises AssertionError (or the
    model library's ValidationError) if not."""
    resource_type = resource["resourceType"]
    get_fhir_model_class(resource_type).model_validate(resource)
    r4 = FHIRElementFactory.instantiate(resource_type, resource)  # strict R4 4.0.1
    assert r4.as_json()["resourceType"] == resource_type
    _no_empty_values(resource, resource_type)
    assert resource_type in REQUIRED_CODES, f"no binding table for {resource_type}"
    for element, allowed in REQUIRED_CODES[resource_type].items():
        if element in resource:
            assert resource[element] in allowed, (resource_type, element, resource[element])
    for entry in resource.get("entry", []):
        assert_valid(entry["resource"])
    return resource


def references(value: Any) -> list[str]:
    """Every literal reference (`{"reference": "Type/id"}`) inside a resource."""
    found = []
    if isinstance(value, dict):
        if isinstance(value.get("reference"), str):
            found.append(value["reference"])
        for item in value.values():
            found.extend(references(item))
    elif isinstance(value, list):
        for item in value:
            found.extend(references(item))
    return found


def unresolved_references(bundle: dict[str, Any]) -> set[str]:
    """References in a Bundle that no entry's fullUrl answers (resolving relative
    references against the base of the fullUrls, as the FHIR spec says)."""
    full_urls = {entry["fullUrl"] for entry in bundle.get("entry", [])}
    base = next(iter(full_urls)).rsplit("/", 2)[0] if full_urls else ""
    missing = set()
    for entry in bundle.get("entry", []):
        for reference in references(entry["resource"]):
            if f"{base}/{reference}" not in full_urls:
                missing.add(reference)
    return missing


def fhir_get(client, url: str, status: int = 200, **extra) -> dict[str, Any]:
    response = client.get(url, **extra)
    assert response.status_code == status, (url, response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/fhir+json")
    return assert_valid(response.json())


def entries(bundle: dict[str, Any]) -> list[dict[str, Any]]:
    return [entry["resource"] for entry in bundle.get("entry", [])]


def ids(bundle: dict[str, Any]) -> list[str]:
    return [resource["id"] for resource in entries(bundle)]


def next_url(bundle: dict[str, Any]) -> str | None:
    return next((link["url"] for link in bundle["link"] if link["relation"] == "next"), None)
