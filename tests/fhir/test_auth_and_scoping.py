"""Who may read the FHIR API: a clinic's keys, read-only ones too, and nobody
else; a key sees nothing of another clinic."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from clinics.models import AuditEvent
from tests.factories import make_exercise_for, make_prescription
from tests.fhir.conftest import client_with, log
from tests.fhir.validation import entries, fhir_get

SEARCHABLE = [
    "Patient",
    "Condition",
    "CarePlan",
    "ServiceRequest",
    "DocumentReference",
    "QuestionnaireResponse",
    "Observation",
    "Flag",
]


def test_it_answers_401_operation_outcome_without_a_key(patient):
    response = Client().get("/fhir/R4/Patient")

    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/fhir+json")
    assert response["WWW-Authenticate"] == 'Api-Key realm="fhir"'
    outcome = response.json()
    assert outcome["resourceType"] == "OperationOutcome"
    assert outcome["issue"][0]["code"] == "login"


@pytest.mark.parametrize(
    "header", ["Api-Key wrong", "Api-Key abcdefgh.abcdefghabcdefghabcdefghabcdefgh", "Basic x"]
)
def test_it_answers_401_to_a_wrong_key(header, patient):
    response = Client(HTTP_AUTHORIZATION=header).get(f"/fhir/R4/Patient/{patient.pk}")

    assert response.status_code == 401
    assert response.json()["resourceType"] == "OperationOutcome"


def test_it_answers_401_to_a_revoked_key(fhir, fhir_key, patient):
    fhir_key[0].revoke()

    fhir_get(fhir, f"/fhir/R4/Patient/{patient.pk}", status=401)


def test_it_answers_401_to_an_expired_key(fhir, fhir_key, patient):
    fhir_key[0].expiry_date = timezone.now() - timedelta(seconds=1)
    fhir_key[0].save()

    fhir_get(fhir, "/fhir/R4/Patient", status=401)


def test_a_read_only_key_reads_everything(read_only_fhir, patient):
    bundle = fhir_get(read_only_fhir, "/fhir/R4/Patient")

    assert [resource["id"] for resource in entries(bundle)] == [str(patient.pk)]


def test_a_key_sent_as_a_bearer_token_works(fhir_key, patient):
    client = client_with(fhir_key[1], scheme="Bearer")

    assert fhir_get(client, f"/fhir/R4/Patient/{patient.pk}")["id"] == str(patient.pk)


def test_the_capability_statement_needs_no_key():
    statement = fhir_get(Client(), "/fhir/R4/metadata")

    assert statement["resourceType"] == "CapabilityStatement"


def test_another_clinics_key_finds_none_of_our_resources(other_fhir, history, patient):
    first, alert = history["first"], history["open_alert"]
    logged = patient.symptom_logs.first()
    item = first.items.first()
    for path in [
        f"Patient/{patient.pk}",
        f"Patient/{patient.pk}/$everything",
        f"Condition/{patient.pk}",
        f"CarePlan/{first.pk}",
        f"ServiceRequest/{item.pk}",
        f"DocumentReference/handout-{first.pk}",
        f"QuestionnaireResponse/{logged.pk}",
        f"Observation/pain-{logged.pk}",
        f"Observation/location-{logged.pk}",
        f"Flag/{alert.pk}",
    ]:
        outcome = fhir_get(other_fhir, f"/fhir/R4/{path}", status=404)
        assert outcome["issue"][0]["code"] == "not-found", path


def test_another_clinics_searches_are_empty(other_fhir, history, patient):
    for resource_type in SEARCHABLE:
        bundle = fhir_get(other_fhir, f"/fhir/R4/{resource_type}")
        assert bundle["total"] == 0, resource_type
        assert "entry" not in bundle
        by = "_id" if resource_type == "Patient" else "patient"
        filtered = fhir_get(other_fhir, f"/fhir/R4/{resource_type}?{by}={patient.pk}")
        assert filtered["total"] == 0, resource_type


def test_another_clinics_own_exercises_are_not_in_our_catalog(fhir, other_clinic):
    theirs = make_exercise_for(other_clinic, "their-own-stretch")

    catalog = fhir_get(fhir, "/fhir/R4/ActivityDefinition?_count=200")
    assert str(theirs.pk) not in [resource["id"] for resource in entries(catalog)]
    fhir_get(fhir, f"/fhir/R4/ActivityDefinition/{theirs.pk}", status=404)


def test_a_read_is_in_the_audit_log_under_the_keys_name(fhir, patient, clinic):
    fhir_get(fhir, f"/fhir/R4/Patient/{patient.pk}")

    event = AuditEvent.objects.get(object_type="fhir:Patient")
    assert event.action == AuditEvent.Action.VIEW
    assert event.actor_label == "api-key:EHR sync"
    assert event.clinic == clinic
    assert event.patient_id == patient.pk
    assert event.object_id == str(patient.pk)


def test_a_search_is_in_the_audit_log_with_the_ids_it_returned(fhir, patient, therapist):
    program = make_prescription(patient, therapist)
    log(patient, program.items.first())

    fhir_get(fhir, f"/fhir/R4/Observation?patient={patient.pk}")

    event = AuditEvent.objects.get(object_type="fhir:Observation")
    logged = patient.symptom_logs.get()
    assert event.detail["ids"] == [f"pain-{logged.pk}", f"location-{logged.pk}"]
    assert event.detail["filters"] == {"patient": [str(patient.pk)]}


def test_everything_is_in_the_audit_log_for_the_patient(fhir, history, patient):
    fhir_get(fhir, f"/fhir/R4/Patient/{patient.pk}/$everything")

    event = AuditEvent.objects.get(object_type="fhir:Patient/$everything")
    assert event.patient_id == patient.pk


def test_the_catalog_and_code_systems_are_not_audited(fhir):
    fhir_get(fhir, "/fhir/R4/ActivityDefinition")
    fhir_get(fhir, "/fhir/R4/CodeSystem/mdt-location")

    assert not AuditEvent.objects.exists()


def test_an_xml_request_answers_406(fhir, patient):
    response = fhir.get("/fhir/R4/Patient", HTTP_ACCEPT="application/fhir+xml")

    assert response.status_code == 406
    assert response.json()["resourceType"] == "OperationOutcome"


def test_an_unknown_resource_type_answers_404_operation_outcome(fhir):
    outcome = fhir_get(fhir, "/fhir/R4/Medication", status=404)

    assert outcome["issue"][0]["severity"] == "error"


def test_a_key_is_throttled_with_the_rest_apis_budget(settings, fhir, read_only_fhir, fhir_key):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api": "3/min"},
    }
    rest = client_with(fhir_key[1])

    statuses = [
        fhir.get("/fhir/R4/Patient").status_code,
        rest.get("/api/v1/patients/").status_code,
        fhir.get("/fhir/R4/Patient").status_code,
        fhir.get("/fhir/R4/Patient").status_code,
    ]

    assert statuses == [200, 200, 200, 429]
    throttled = fhir.get("/fhir/R4/Patient")
    assert throttled.json()["issue"][0]["code"] == "throttled"
    assert int(throttled["Retry-After"]) > 0
    assert read_only_fhir.get("/fhir/R4/Patient").status_code == 200


@pytest.mark.parametrize(
    "path", ["Patient/1/_history", "Patient/", "CarePlan/1/$validate", "Patient/1/Observation"]
)
def test_an_unsupported_address_answers_404_operation_outcome(fhir, patient, path):
    outcome = fhir_get(fhir, f"/fhir/R4/{path}", status=404)

    assert outcome["issue"][0]["code"] == "not-supported"


def test_an_unsupported_address_still_needs_a_key(patient):
    assert Client().get("/fhir/R4/Patient/1/_history").status_code == 401
