"""Secure messages as FHIR Communication: read, search by patient and _lastUpdated."""

from datetime import timedelta

from django.utils import timezone

from messaging.services import send_as_clinic, send_as_patient
from tests.fhir.validation import entries, fhir_get, ids


def test_a_patient_message_reads_back_as_a_valid_communication(fhir, patient):
    message = send_as_patient(patient=patient, body="I have a fever since Sunday")

    resource = fhir_get(fhir, f"/fhir/R4/Communication/{message.pk}")

    assert resource["status"] == "completed"
    assert resource["subject"] == {"reference": f"Patient/{patient.pk}"}
    assert resource["sender"] == {"reference": f"Patient/{patient.pk}"}
    assert resource["recipient"] == [{"display": patient.clinic.name}]
    assert resource["payload"] == [{"contentString": "I have a fever since Sunday"}]
    assert "received" not in resource
    assert "fever" in resource["reasonCode"][0]["text"].lower()


def test_the_clinics_answer_names_its_author_and_when_it_was_read(fhir, patient, therapist):
    question = send_as_patient(patient=patient, body="Is this normal?")
    answer = send_as_clinic(patient=patient, body="Yes.", by=therapist)

    resource = fhir_get(fhir, f"/fhir/R4/Communication/{answer.pk}")
    read_question = fhir_get(fhir, f"/fhir/R4/Communication/{question.pk}")

    assert resource["sender"] == {"display": therapist.get_full_name()}
    assert resource["recipient"] == [{"reference": f"Patient/{patient.pk}"}]
    assert "reasonCode" not in resource
    assert read_question["received"]


def test_search_by_patient_and_last_updated(fhir, patient, other_patient):
    mine = send_as_patient(patient=patient, body="Mine")
    theirs = send_as_patient(patient=other_patient, body="Theirs")

    assert ids(fhir_get(fhir, f"/fhir/R4/Communication?patient={patient.pk}")) == [str(mine.pk)]
    everything = ids(fhir_get(fhir, "/fhir/R4/Communication"))
    assert set(everything) == {str(mine.pk), str(theirs.pk)}
    later = (timezone.now() + timedelta(minutes=5)).isoformat().replace("+", "%2B")
    assert entries(fhir_get(fhir, f"/fhir/R4/Communication?_lastUpdated=gt{later}")) == []


def test_another_clinics_key_finds_no_communication(other_fhir, patient):
    message = send_as_patient(patient=patient, body="Private")

    fhir_get(other_fhir, f"/fhir/R4/Communication/{message.pk}", status=404)
    assert entries(fhir_get(other_fhir, "/fhir/R4/Communication")) == []


def test_the_capability_statement_lists_communication_with_its_search_parameters(client):
    statement = fhir_get(client, "/fhir/R4/metadata")
    resources = {entry["type"]: entry for entry in statement["rest"][0]["resource"]}
    params = {p["name"] for p in resources["Communication"]["searchParam"]}
    assert {"patient", "_lastUpdated", "_id", "_count"} <= params
