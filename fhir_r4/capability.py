"""The CapabilityStatement, generated from the table the views dispatch on, so it
states exactly what the server does."""

from __future__ import annotations

from datetime import date
from typing import Any

from .codes import FHIR_VERSION, canonical
from .search import SEARCHES


def capability_statement(*, software_version: str, published: date) -> dict[str, Any]:
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
                }
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
            "`Authorization: Api-Key <key>` (or `Bearer <key>`)."
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
                    "the same way. Unknown parameters answer 400; anything but GET and "
                    "HEAD answers 405."
                ),
                "security": {
                    "cors": False,
                    "description": (
                        "A clinic API key; the key sees only its clinic's data. Read-only "
                        "keys work: this API does not write."
                    ),
                },
                "resource": resources,
            }
        ],
    }
