"""Outcome measures as Observations, the daily red-flag checks as QuestionnaireResponses
to a Questionnaire built from the red-flag table, and secure messages: read by id,
valid R4, in Patient/$everything and in a bulk export, other clinics' a 404."""

from datetime import date

import requests
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from messaging.services import send_as_patient
from prescriptions import red_flags
from prescriptions.outcomes import record_outcome_measure
from prescriptions.services import record_red_flag_check
from tests.fhir.validation import (
    assert_valid,
    entries,
    fhir_get,
    ids,
    next_url,
    unresolved_references,
)

OBSERVATION_CODES = f"{settings.SITE_URL}/fhir/R4/CodeSystem/observation"


def _components(resource):
    return {c["code"]["coding"][0]["code"]: c for c in resource["component"]}


def test_a_pain_rating_is_an_observation_with_its_three_ratings(fhir, patient):
    measure, _ = record_outcome_measure(
        patient=patient,
        instrument="nprs",
        answers={"pain_now": 4, "pain_best": 2, "pain_worst": 7},
        source="portal",
    )

    resource = fhir_get(fhir, f"/fhir/R4/Observation/outcome-{measure.pk}")

    assert resource["code"]["coding"][0] == {
        "system": OBSERVATION_CODES,
        "code": "nprs",
        "display": "Numeric pain rating scale: mean of pain now, at its least and at its worst",
    }
    assert resource["valueQuantity"]["value"] == 4.3
    components = _components(resource)
    assert components["72514-3"]["valueInteger"] == 4
    assert components["pain-least"]["valueInteger"] == 2
    assert components["pain-worst"]["valueInteger"] == 7
    assert components["occasion"]["valueCodeableConcept"]["coding"][0]["code"] == "start"
    assert resource["subject"] == {"reference": f"Patient/{patient.pk}"}
    assert resource["performer"] == [{"reference": f"Patient/{patient.pk}"}]


def test_a_psfs_names_each_activity_and_a_groc_is_its_change(fhir, patient, therapist):
    activities = [
        {"activity": "Sitting in the car", "score": 3},
        {"activity": "Lifting a child", "score": 5},
        {"activity": "Gardening", "score": 6},
    ]
    psfs, _ = record_outcome_measure(
        patient=patient,
        instrument="psfs",
        answers={"activities": activities},
        source="therapist",
        by=therapist,
    )
    groc, _ = record_outcome_measure(
        patient=patient, instrument="groc", answers={"change": -2}, source="api"
    )

    functional = fhir_get(fhir, f"/fhir/R4/Observation/outcome-{psfs.pk}")
    change = fhir_get(fhir, f"/fhir/R4/Observation/outcome-{groc.pk}")

    assert functional["valueQuantity"]["value"] == 4.7
    named = [
        (c["code"]["text"], c["valueInteger"])
        for c in functional["component"]
        if c["code"]["coding"][0]["code"] == "psfs-activity"
    ]
    assert named == [("Sitting in the car", 3), ("Lifting a child", 5), ("Gardening", 6)]
    assert "performer" not in functional
    assert change["valueInteger"] == -2
    assert change["code"]["coding"][0]["code"] == "groc"


def test_a_red_flag_check_answers_the_questions_asked_that_day(fhir, patient):
    emergency = [q.code for q in red_flags.questions([red_flags.Tier.EMERGENCY])]
    check, _alerts = record_red_flag_check(
        patient=patient, asked=emergency, answered_yes=["both_legs"], on=date(2026, 3, 2)
    )

    resource = fhir_get(fhir, f"/fhir/R4/QuestionnaireResponse/red-flag-check-{check.pk}")

    assert resource["questionnaire"] == f"{settings.SITE_URL}/fhir/R4/Questionnaire/red-flags"
    assert resource["authored"] == "2026-03-02"
    answers = {item["linkId"]: item["answer"][0]["valueBoolean"] for item in resource["item"]}
    assert answers == {code: code == "both_legs" for code in emergency}
    assert "fever" not in answers


def test_the_red_flag_questionnaire_asks_exactly_the_tables_questions(fhir):
    questionnaire = fhir_get(fhir, "/fhir/R4/Questionnaire/red-flags")

    items = questionnaire["item"]
    asked = [item["linkId"] for item in items if item["prefix"] != "Retired"]
    assert asked == list(red_flags.QUESTION_CODES)
    assert {item["linkId"] for item in items} == set(red_flags.RedFlag.values)
    assert all(item["type"] == "boolean" for item in items)
    night = next(item for item in items if item["linkId"] == "night_pain")
    assert night["text"] == str(red_flags.RedFlag.NIGHT_PAIN.label)
    assert night["prefix"] == "See a doctor today"


def test_everything_holds_the_measures_checks_and_messages(fhir, patient):
    measure, _ = record_outcome_measure(
        patient=patient, instrument="groc", answers={"change": 3}, source="portal"
    )
    check, _alerts = record_red_flag_check(patient=patient, answered_yes=[], on=date(2026, 3, 2))
    message = send_as_patient(patient=patient, body="Sitting is easier this week.")

    bundle = fhir_get(fhir, f"/fhir/R4/Patient/{patient.pk}/$everything")

    found = {f"{r['resourceType']}/{r['id']}" for r in entries(bundle)}
    assert {
        f"Observation/outcome-{measure.pk}",
        f"QuestionnaireResponse/red-flag-check-{check.pk}",
        f"Communication/{message.pk}",
        "Questionnaire/red-flags",
    } <= found
    assert not unresolved_references(bundle)

    only = fhir_get(fhir, f"/fhir/R4/Patient/{patient.pk}/$everything?_type=Communication")
    assert [r["id"] for r in entries(only)] == [str(message.pk)]


def test_another_clinics_measure_and_check_are_404(other_fhir, patient):
    measure, _ = record_outcome_measure(
        patient=patient, instrument="groc", answers={"change": 3}, source="portal"
    )
    check, _alerts = record_red_flag_check(patient=patient, answered_yes=[], on=date(2026, 3, 2))

    fhir_get(other_fhir, f"/fhir/R4/Observation/outcome-{measure.pk}", status=404)
    fhir_get(other_fhir, f"/fhir/R4/QuestionnaireResponse/red-flag-check-{check.pk}", status=404)


def _measures(patient):
    return [
        record_outcome_measure(
            patient=patient, instrument="groc", answers={"change": change}, source="api"
        )[0]
        for change in (1, 2, 3)
    ]


def test_an_observation_search_by_patient_finds_the_measures_after_the_logs(fhir, history, patient):
    measures = _measures(patient)

    bundle = fhir_get(fhir, f"/fhir/R4/Observation?patient={patient.pk}&_count=200")

    found = ids(bundle)
    assert found[-3:] == [f"outcome-{measure.pk}" for measure in measures]
    assert bundle["total"] == len(found)
    assert all(not i.startswith("outcome-") for i in found[:-3])


def test_pages_cross_from_the_logs_to_the_measures_without_a_gap_or_a_repeat(
    fhir, history, patient
):
    _measures(patient)
    whole = ids(fhir_get(fhir, f"/fhir/R4/Observation?patient={patient.pk}&_count=200"))

    url = f"/fhir/R4/Observation?patient={patient.pk}&_count=2"
    paged: list[str] = []
    totals = set()
    while url:
        bundle = fhir_get(fhir, url)
        paged += ids(bundle)
        totals.add(bundle["total"])
        url = next_url(bundle)

    assert paged == whole
    assert totals == {len(whole)}


def test_code_chooses_an_instrument_and_last_updated_applies_to_measures(fhir, patient):
    groc = _measures(patient)[0]
    nprs, _ = record_outcome_measure(
        patient=patient,
        instrument="nprs",
        answers={"pain_now": 4, "pain_best": 2, "pain_worst": 7},
        source="portal",
    )

    only_nprs = fhir_get(fhir, f"/fhir/R4/Observation?patient={patient.pk}&code=nprs")
    after = fhir_get(fhir, f"/fhir/R4/Observation?_id=outcome-{groc.pk}&_lastUpdated=gt2999-01-01")
    by_id = fhir_get(fhir, f"/fhir/R4/Observation?_id=outcome-{groc.pk}")

    assert ids(only_nprs) == [f"outcome-{nprs.pk}"]
    assert only_nprs["total"] == 1
    assert ids(after) == [] and after["total"] == 0
    assert ids(by_id) == [f"outcome-{groc.pk}"] and by_id["total"] == 1


def test_a_questionnaire_response_search_finds_the_checks_of_the_patient_only(
    fhir, patient, other_patient
):
    mine, _ = record_red_flag_check(patient=patient, answered_yes=[], on=date(2026, 3, 2))
    record_red_flag_check(patient=other_patient, answered_yes=[], on=date(2026, 3, 2))

    bundle = fhir_get(fhir, f"/fhir/R4/QuestionnaireResponse?patient={patient.pk}")

    assert ids(bundle) == [f"red-flag-check-{mine.pk}"]
    assert bundle["total"] == 1


def test_a_served_app_pages_the_measures_a_clinic_system_reads(live_server, fhir_key, patient):
    measures = _measures(patient)
    check, _alerts = record_red_flag_check(patient=patient, answered_yes=[], on=date(2026, 3, 2))
    headers = {"Authorization": f"Api-Key {fhir_key[1]}"}

    url = f"{live_server.url}/fhir/R4/Observation?patient={patient.pk}&_count=2"
    found = []
    while url:
        bundle = assert_valid(requests.get(url, headers=headers, timeout=10).json())
        found += ids(bundle)
        url = next_url(bundle)
    responses = requests.get(
        f"{live_server.url}/fhir/R4/QuestionnaireResponse?patient={patient.pk}",
        headers=headers,
        timeout=10,
    ).json()

    assert found == [f"outcome-{measure.pk}" for measure in measures]
    assert ids(assert_valid(responses)) == [f"red-flag-check-{check.pk}"]


def _queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        fhir_get(client, url)
    return len(queries)


def test_a_search_page_costs_the_same_queries_for_many_measures_and_checks(fhir, patient):
    observations = f"/fhir/R4/Observation?patient={patient.pk}"
    responses = f"/fhir/R4/QuestionnaireResponse?patient={patient.pk}"
    _measures(patient)
    record_red_flag_check(patient=patient, answered_yes=[], on=date(2026, 3, 1))
    fhir_get(fhir, "/fhir/R4/Patient")  # the key's first use is noted once
    few = (_queries_for(fhir, observations), _queries_for(fhir, responses))

    for _ in range(4):
        _measures(patient)
    for day in range(2, 14):
        record_red_flag_check(patient=patient, answered_yes=[], on=date(2026, 3, day))

    assert (_queries_for(fhir, observations), _queries_for(fhir, responses)) == few
