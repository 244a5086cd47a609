"""The CapabilityStatement, generated from the table the views dispatch on, so it
states exactly what the server does."""

from __future__ import annotations

from datetime import date
from typing import Any

from .codes import FHIR_VERSION, canonical
from .search import SEARCHES

BULK_EXPORT = "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export"
BULK_PATIENT_EXPORT = "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/patient-export"
OAUTH_URIS = "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris"


def security(token_url: str | None) -> dict[str, Any]:
    """API keys, and SMART Backend Services with the token endpoint (the
    oauth-uris extension SMART clients look for)."""
    block: dict[str, Any] = {
        "cors": False,
        "service": [
            {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/restful-security-service",
                        "code": "SMART-on-FHIR",
                    }
                ],
                "text": "SMART Backend Services (client credentials, private_key_jwt)",
            }
        ],
        "description": (
            "A clinic API key, or a SMART Backend Services access token with system/ read "
            "scopes (see .well-known/smart-configuration); either sees only its clinic's "
            "data. The API does not write: a write answers 405, or 403 to a SMART token."
        ),
    }
    if token_url:
        block["extension"] = [
            {"url": OAUTH_URIS, "extension": [{"url": "token", "valueUri": token_url}]}
        ]
    return block


def capability_statement(
    *, software_version: str, published: date, token_url: str | None = None
) -> dict[str, Any]:
    """What this server supports, generated from the same table the views dispatch on."""
    resources = []
    for resource_type, search in SEARCHES.items():
        entry: dict[str, Any] = {
            "type": resource_type,
            "interaction": [{"code": "read"}, {"code": "search-type"}],
            # meta.versionId names each state; If-None-Match with its ETag answers 304.
            "versioning": "versioned",
            "conditionalRead": "not-match",
            "searchParam": [
                {"name": name, "type": kind, "documentation": doc}
                for name, (kind, doc) in search.params.items()
            ],
        }
        if resource_type == "Patient":
            entry["operation"] = [
                {
                    "name": "everything",
                    "definition": "http://hl7.org/fhir/OperationDefinition/Patient-everything",
                },
                {"name": "export", "definition": BULK_PATIENT_EXPORT},
            ]
        resources.append(entry)
    return {
        "resourceType": "CapabilityStatement",
        "id": "centra",
        "url": canonical("metadata"),
        "name": "CentraFhirServer",
        "title": "Centra FHIR R4 API (read-only)",
        "status": "active",
        "date": published.isoformat(),
        "publisher": "Centra",
        "description": (
            "Read-only access for clinic systems to a clinic's patients, home exercise "
            "programs, symptom logs and alerts. Authenticate with a clinic API key: "
            "`Authorization: Api-Key <key>` (or `Bearer <key>`), or with a SMART Backend "
            "Services access token: `Authorization: Bearer <token>`."
        ),
        "kind": "instance",
        "software": {"name": "Centra", "version": software_version},
        "implementation": {"description": "Centra", "url": canonical("")},
        "fhirVersion": FHIR_VERSION,
        "format": ["application/fhir+json", "json"],
        "rest": [
            {
                "mode": "server",
                "documentation": (
                    "Searches answer Bundles of type searchset sorted by _lastUpdated, then "
                    "id; follow the `next` link to page. A paging run holds what was last "
                    "updated up to its first page, the Bundle's meta.lastUpdated, and "
                    "returns nothing twice; start the next run with _lastUpdated=gt that "
                    "instant. Patient/$everything takes _since, _type and _count and pages "
                    "the same way. $export (system, Patient, and Group/<clinic slug>) runs "
                    "asynchronously: send Prefer: respond-async and poll the Content-Location. "
                    "Unknown parameters answer 400; anything but GET and "
                    "HEAD answers 405."
                ),
                "security": security(token_url),
                "resource": resources,
                "operation": [{"name": "export", "definition": BULK_EXPORT}],
            }
        ],
    }
