"""An assessment as FHIR Observations: the classification and each movement test,
valid R4, coded with Centra's CodeSystems, scoped to the key's clinic."""

from datetime import date

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.assessment_factory import make_assessment
from tests.fhir.validation import entries, fhir_get, unresolved_references

CODE_SYSTEM = f"{settings.SITE_URL}/fhir/R4/CodeSystem"


def test_the_classification_is_an_observation_with_its_preference_and_baseline(
    fhir, patient, therapist
):
    assessment = make_assessment(patient, therapist)

    resource = fhir_get(fhir, f"/fhir/R4/Observation/mdt-classification-{assessment.pk}")

    assert resource["valueCodeableConcept"]["coding"][0] == {
        "system": f"{CODE_SYSTEM}/mdt-classification",
        "code": "derangement",
        "display": "Derangement",
    }
    components = {c["code"]["coding"][0]["code"]: c for c in resource["component"]}
    assert components["directional-preference"]["valueCodeableConcept"]["coding"][0]["code"] == (
        "extension"
    )
    assert components["back-pain"]["valueInteger"] == 6
    assert components["leg-pain"]["valueInteger"] == 4
    assert components["pain-location"]["valueCodeableConcept"]["coding"][0]["code"] == "thigh"
    assert resource["effectiveDateTime"] == "2026-03-02"
    assert resource["subject"] == {"reference": f"Patient/{patient.pk}"}
    assert resource["hasMember"] == [
        {"reference": f"Observation/flexion-standing-{assessment.pk}"},
        {"reference": f"Observation/extension-lying-{assessment.pk}"},
    ]


def test_each_movement_test_is_an_observation_of_its_responses(fhir, patient, therapist):
    assessment = make_assessment(
        patient,
        therapist,
        tests=[
            {
                "movement": "extension_lying",
                "during": "centralize",
                "after": "better",
                "range_effect": "increased",
            }
        ],
    )

    resource = fhir_get(fhir, f"/fhir/R4/Observation/extension-lying-{assessment.pk}")

    assert resource["code"]["coding"][0] == {
        "system": f"{CODE_SYSTEM}/mdt-movement-test",
        "code": "extension_lying",
        "display": "Extension in lying",
    }
    assert [
        (c["code"]["coding"][0]["code"], c["valueCodeableConcept"]["coding"][0])
        for c in resource["component"]
    ] == [
        (
            "during",
            {"system": f"{CODE_SYSTEM}/mdt-during", "code": "centralize", "display": "Centralize"},
        ),
        ("after", {"system": f"{CODE_SYSTEM}/mdt-after", "code": "better", "display": "Better"}),
        (
            "range-effect",
            {
                "system": f"{CODE_SYSTEM}/mdt-range-effect",
                "code": "increased",
                "display": "Increased",
            },
        ),
    ]


def test_a_movement_not_tested_is_not_found(fhir, patient, therapist):
    assessment = make_assessment(patient, therapist)

    fhir_get(fhir, f"/fhir/R4/Observation/side-glide-left-{assessment.pk}", status=404)


def test_the_new_code_systems_are_served(fhir):
    resource = fhir_get(fhir, "/fhir/R4/CodeSystem/mdt-movement-test")

    assert {concept["code"] for concept in resource["concept"]} >= {
        "extension_lying",
        "side_glide_right",
        "sustained_flexion",
    }


def test_everything_holds_the_assessments_with_every_reference_resolved(fhir, patient, therapist):
    assessment = make_assessment(patient, therapist)

    bundle = fhir_get(fhir, f"/fhir/R4/Patient/{patient.pk}/$everything")

    found = {resource["id"] for resource in entries(bundle)}
    assert {
        f"mdt-classification-{assessment.pk}",
        f"flexion-standing-{assessment.pk}",
        f"extension-lying-{assessment.pk}",
    } <= found
    assert not unresolved_references(bundle)


def test_another_clinic_gets_404(other_fhir, patient, therapist):
    assessment = make_assessment(patient, therapist)

    fhir_get(other_fhir, f"/fhir/R4/Observation/mdt-classification-{assessment.pk}", status=404)
    fhir_get(other_fhir, f"/fhir/R4/Observation/extension-lying-{assessment.pk}", status=404)


def test_everything_costs_the_same_queries_for_one_assessment_as_for_six(
    fhir, patient, other_patient, therapist
):
    make_assessment(patient, therapist)
    for day in range(1, 7):
        make_assessment(other_patient, therapist, assessed_on=date(2026, 3, day))
    fhir_get(fhir, "/fhir/R4/CodeSystem/mdt-location")  # the key's first use records it

    with CaptureQueriesContext(connection) as one:
        fhir_get(fhir, f"/fhir/R4/Patient/{patient.pk}/$everything")
    with CaptureQueriesContext(connection) as six:
        bundle = fhir_get(fhir, f"/fhir/R4/Patient/{other_patient.pk}/$everything")

    assert len(one.captured_queries) == len(six.captured_queries)
    assert sum(r["id"].startswith("mdt-classification-") for r in entries(bundle)) == 6
