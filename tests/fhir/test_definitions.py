"""The Questionnaire and the CodeSystems are built from the code, not from rows, so
their `meta.lastUpdated` is a date kept in `fhir_r4/codes.py`. This records what they
said on that date: a change to any of them fails here until the date moves with it,
so a client syncing by `_lastUpdated` is never told that changed definitions did not
change."""

import hashlib
import json

from django.conf import settings
from django.utils import translation

from fhir_r4 import codes
from fhir_r4.search import SEARCHES

# What the definitions said on codes.DEFINITIONS_UPDATED: a digest of each, with
# SITE_URL (the base of their canonical URLs, which differs per server) taken out.
RECORDED_ON = "2026-12-07T00:00:00+00:00"
RECORDED = {
    "Questionnaire/symptom-log": "9f878d43869f1e62",
    "CodeSystem/mdt-location": "fc9505068e22e3de",
    "CodeSystem/mdt-during": "be1e931248722e96",
    "CodeSystem/mdt-after": "0a953346e01dd152",
    "CodeSystem/mdt-classification": "eae036d94f01d3f0",
    "CodeSystem/mdt-directional-preference": "94387a2cde82212d",
    "CodeSystem/mdt-movement-test": "95df1e0f05baa715",
    "CodeSystem/mdt-range-effect": "8b40c54d4c9356cc",
    "CodeSystem/mdt-dysfunction-direction": "dbaeb084fbb34e50",
    "CodeSystem/mdt-other-subtype": "f1234fb7422c8af8",
    "CodeSystem/exercise-direction": "02f512f7042d650c",
    "CodeSystem/alert-kind": "ac71770ac2c19ba5",
    "CodeSystem/red-flag": "aaaa99347ef132e0",
    "CodeSystem/dosage": "873b2ddca1168d7e",
    "CodeSystem/nerve-symptom": "f4aad71a0b676733",
    "CodeSystem/observation": "81d44ff9d7708b31",
    "CodeSystem/outcome-occasion": "0474ce8856195010",
    "Questionnaire/red-flags": "8c2c1c534e5da2c0",
}


def current_versions() -> dict[str, str]:
    with translation.override("en"):
        resources = [
            resource
            for resource_type in ["Questionnaire", "CodeSystem"]
            for resource in SEARCHES[resource_type].static()
        ]
    return {
        f"{resource['resourceType']}/{resource['id']}": hashlib.sha256(
            json.dumps(resource, sort_keys=True).replace(settings.SITE_URL, "").encode()
        ).hexdigest()[:16]
        for resource in resources
    }


def test_the_definitions_last_updated_moves_whenever_they_change():
    assert current_versions() == RECORDED, (
        "A Questionnaire or CodeSystem changed: set codes.DEFINITIONS_UPDATED to today "
        "and record the new versions and that date here."
    )
    assert codes.DEFINITIONS_UPDATED.isoformat() == RECORDED_ON
