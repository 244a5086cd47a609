"""Each resource type, read by id: valid R4, and carrying what an EHR needs."""

import pytest
from django.conf import settings

from prescriptions.models import PrescriptionItem
from prescriptions.services import start_revision
from tests.factories import make_prescription
from tests.fhir.conftest import log
from tests.fhir.validation import entries, fhir_get

CODE_SYSTEM = f"{settings.SITE_URL}/fhir/R4/CodeSystem"


def test_a_patient_carries_the_clinic_systems_id_under_a_system_per_clinic(
    fhir, history, patient, clinic
):
    resource = fhir_get(fhir, f"/fhir/R4/Patient/{patient.pk}")

    assert resource["identifier"] == [
        {
            "use": "usual",
            "system": f"{settings.SITE_URL}/fhir/R4/sid/{clinic.slug}/external-id",
            "value": "HB-42",
        }
    ]
    assert resource["name"] == [{"family": "Jones", "given": ["Paula"]}]
    assert resource["active"] is True
    assert resource["meta"]["lastUpdated"]


def test_the_classification_is_a_condition_with_the_directional_preference(fhir, history, patient):
    resource = fhir_get(fhir, f"/fhir/R4/Condition/{patient.pk}")

    assert resource["code"]["coding"][0] == {
        "system": f"{CODE_SYSTEM}/mdt-classification",
        "code": "derangement",
        "display": "Derangement",
    }
    assert resource["evidence"][0]["code"][0]["coding"][0]["code"] == "extension"
    assert resource["subject"] == {"reference": f"Patient/{patient.pk}"}


def test_each_program_version_is_a_care_plan_that_replaces_the_one_before(fhir, history):
    first, second = history["first"], history["second"]

    old = fhir_get(fhir, f"/fhir/R4/CarePlan/{first.pk}")
    new = fhir_get(fhir, f"/fhir/R4/CarePlan/{second.pk}")

    assert old["status"] == "completed"
    assert "end" in old["period"]
    assert new["status"] == "active"
    assert new["replaces"] == [{"reference": f"CarePlan/{first.pk}"}]
    assert new["intent"] == "plan"
    assert new["category"][0]["coding"][0]["code"] == "229065009"
    items = second.items.order_by("position")
    assert [activity["reference"]["reference"] for activity in new["activity"]] == [
        f"ServiceRequest/{item.pk}" for item in items
    ]
    assert new["instantiatesCanonical"] == [
        f"{settings.SITE_URL}/fhir/R4/PlanDefinition/{second.progression_id}"
    ]


def test_a_prescribed_exercise_is_a_service_request_with_its_dosage_and_timing(
    fhir, history, patient
):
    item = history["second"].items.order_by("position").first()

    resource = fhir_get(fhir, f"/fhir/R4/ServiceRequest/{item.pk}")

    assert resource["status"] == "active"
    assert resource["intent"] == "order"
    assert resource["code"]["text"] == item.exercise.name
    assert resource["code"]["coding"][0]["code"] == "229065009"
    assert resource["quantityQuantity"]["value"] == 8
    assert {detail["text"] for detail in resource["orderDetail"]} >= {
        "hold 5 s",
        "1 set",
        "8 repetitions",
    }
    assert resource["performer"] == [{"reference": f"Patient/{patient.pk}"}]
    assert resource["basedOn"] == [{"reference": f"CarePlan/{history['second'].pk}"}]
    assert resource["patientInstruction"].startswith("8 times, hold 5 seconds")
    assert resource["instantiatesCanonical"] == [
        f"{settings.SITE_URL}/fhir/R4/ActivityDefinition/{item.exercise_id}"
    ]


@pytest.mark.parametrize(
    ("times_per_day", "every_hours", "repeat"),
    [
        (3, None, {"frequency": 3, "period": 1, "periodUnit": "d"}),
        (None, 2, {"frequency": 1, "period": 2, "periodUnit": "h"}),
    ],
)
def test_the_timing_says_times_a_day_or_every_n_hours(
    fhir, history, times_per_day, every_hours, repeat
):
    item = history["second"].items.order_by("position").first()
    PrescriptionItem.objects.filter(pk=item.pk).update(
        times_per_day=times_per_day, every_hours=every_hours
    )

    resource = fhir_get(fhir, f"/fhir/R4/ServiceRequest/{item.pk}")

    assert resource["occurrenceTiming"] == {"repeat": repeat}


def test_each_log_is_a_questionnaire_response_to_the_symptom_log_questionnaire(
    fhir, history, patient
):
    logged = patient.symptom_logs.order_by("logged_at").first()

    resource = fhir_get(fhir, f"/fhir/R4/QuestionnaireResponse/{logged.pk}")
    questionnaire = fhir_get(fhir, "/fhir/R4/Questionnaire/symptom-log")

    assert resource["questionnaire"] == questionnaire["url"]
    assert resource["status"] == "completed"
    answers = {item["linkId"]: item["answer"][0] for item in resource["item"]}
    assert answers["pain"] == {"valueInteger": 6}
    assert answers["location"]["valueCoding"]["code"] == "thigh"
    assert answers["location"]["valueCoding"]["system"] == f"{CODE_SYSTEM}/mdt-location"
    assert answers["during"]["valueCoding"]["code"] == "centralize"
    assert answers["after"]["valueCoding"]["code"] == "better"
    question_ids = {item["linkId"] for item in questionnaire["item"]}
    assert set(answers) <= question_ids


def test_the_nerve_symptoms_a_patient_reported_are_answers_of_the_log(fhir, patient, therapist):
    item = make_prescription(patient, therapist).items.first()
    numb = log(patient, item, new_symptoms=["numbness", "weakness"])
    quiet = log(patient, item)

    resource = fhir_get(fhir, f"/fhir/R4/QuestionnaireResponse/{numb.pk}")
    without = fhir_get(fhir, f"/fhir/R4/QuestionnaireResponse/{quiet.pk}")
    questionnaire = fhir_get(fhir, "/fhir/R4/Questionnaire/symptom-log")

    (reported,) = [i for i in resource["item"] if i["linkId"] == "new-nerve-symptoms"]
    assert [answer["valueCoding"]["code"] for answer in reported["answer"]] == [
        "numbness",
        "weakness",
    ]
    assert reported["answer"][0]["valueCoding"]["system"] == f"{CODE_SYSTEM}/nerve-symptom"
    assert "new-nerve-symptoms" not in {i["linkId"] for i in without["item"]}
    (question,) = [i for i in questionnaire["item"] if i["linkId"] == "new-nerve-symptoms"]
    assert question["repeats"] is True
    assert {o["valueCoding"]["code"] for o in question["answerOption"]} == {
        "numbness",
        "pins_needles",
        "weakness",
        "both_legs",
    }
    code_system = fhir_get(fhir, "/fhir/R4/CodeSystem/nerve-symptom")
    assert code_system["count"] == 4


def test_pain_is_an_observation_coded_with_loinc_72514_3(fhir, history, patient):
    logged = patient.symptom_logs.order_by("logged_at").first()

    resource = fhir_get(fhir, f"/fhir/R4/Observation/pain-{logged.pk}")

    assert resource["code"]["coding"][0]["system"] == "http://loinc.org"
    assert resource["code"]["coding"][0]["code"] == "72514-3"
    assert resource["valueInteger"] == 6
    assert resource["derivedFrom"] == [{"reference": f"QuestionnaireResponse/{logged.pk}"}]


def test_where_the_pain_reaches_is_an_observation_with_our_code_system(fhir, history, patient):
    logged = patient.symptom_logs.order_by("logged_at").first()

    resource = fhir_get(fhir, f"/fhir/R4/Observation/location-{logged.pk}")

    assert resource["valueCodeableConcept"]["coding"][0] == {
        "system": f"{CODE_SYSTEM}/mdt-location",
        "code": "thigh",
        "display": "Thigh",
    }


def test_an_open_alert_is_an_active_flag_and_an_acknowledged_one_inactive(fhir, history, patient):
    open_alert = history["open_alert"]
    acknowledged = patient.alerts.exclude(pk=open_alert.pk).get()

    active = fhir_get(fhir, f"/fhir/R4/Flag/{open_alert.pk}")
    inactive = fhir_get(fhir, f"/fhir/R4/Flag/{acknowledged.pk}")

    assert active["status"] == "active"
    assert active["code"]["coding"][0]["code"] == "peripheralization"
    assert active["code"]["text"] == open_alert.message
    assert inactive["status"] == "inactive"
    assert inactive["period"]["end"]
    open_flags = fhir_get(fhir, "/fhir/R4/Flag?status=active")
    assert [flag["id"] for flag in entries(open_flags)] == [str(open_alert.pk)]


def test_a_flags_priority_uses_the_r4_flag_priority_code_system(fhir, history):
    flag = fhir_get(fhir, f"/fhir/R4/Flag/{history['open_alert'].pk}")

    (priority,) = [
        ext
        for ext in flag["extension"]
        if ext["url"] == "http://hl7.org/fhir/StructureDefinition/flag-priority"
    ]
    coding = priority["valueCodeableConcept"]["coding"][0]
    assert coding["system"] == "http://hl7.org/fhir/flag-priority-code"
    assert coding["code"] in {"PH", "PM"}


def test_each_versions_handout_is_a_document_reference_that_downloads(fhir, history):
    first, second = history["first"], history["second"]

    resource = fhir_get(fhir, f"/fhir/R4/DocumentReference/handout-{second.pk}")
    old = fhir_get(fhir, f"/fhir/R4/DocumentReference/handout-{first.pk}")

    attachment = resource["content"][0]["attachment"]
    assert attachment["contentType"] == "application/pdf"
    assert attachment["url"] == f"http://testserver/api/v1/prescriptions/{second.pk}/handout.pdf"
    assert resource["status"] == "current"
    assert old["status"] == "superseded"
    assert resource["relatesTo"] == [
        {"code": "replaces", "target": {"reference": f"DocumentReference/handout-{first.pk}"}}
    ]
    pdf = fhir.get(attachment["url"])
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")


def test_exercises_are_activity_definitions_and_progressions_plan_definitions(fhir, history):
    exercise = history["second"].items.order_by("position").first().exercise
    progression = history["second"].progression

    activity = fhir_get(fhir, f"/fhir/R4/ActivityDefinition/{exercise.pk}")
    plan = fhir_get(fhir, f"/fhir/R4/PlanDefinition/{progression.pk}")

    assert activity["title"] == exercise.name
    assert activity["url"] == f"{settings.SITE_URL}/fhir/R4/ActivityDefinition/{exercise.pk}"
    assert activity["kind"] == "ServiceRequest"
    assert activity["usage"] == exercise.cautions
    steps = list(progression.steps.order_by("position"))
    assert [action["title"] for action in plan["action"]] == [step.exercise.name for step in steps]
    assert plan["action"][1]["relatedAction"] == [
        {"actionId": plan["action"][0]["id"], "relationship": "after-end"}
    ]


@pytest.mark.parametrize(
    ("code_system", "codes"),
    [
        ("mdt-location", ["none", "central", "one_side", "buttock", "thigh", "below_knee", "foot"]),
        ("mdt-after", ["better", "worse", "no_better", "no_worse", "no_effect"]),
        ("mdt-classification", ["derangement", "dysfunction", "postural", "other"]),
    ],
)
def test_our_code_systems_are_served_at_their_canonical_url(fhir, code_system, codes):
    resource = fhir_get(fhir, f"/fhir/R4/CodeSystem/{code_system}")

    assert resource["url"] == f"{CODE_SYSTEM}/{code_system}"
    assert [concept["code"] for concept in resource["concept"]] == codes
    assert resource["count"] == len(codes)


def test_the_during_code_system_names_every_mdt_response(fhir):
    resource = fhir_get(fhir, "/fhir/R4/CodeSystem/mdt-during")

    assert {concept["code"] for concept in resource["concept"]} == {
        "produce",
        "abolish",
        "increase",
        "decrease",
        "centralize",
        "peripheralize",
        "no_effect",
    }


def test_the_capability_statement_states_every_resource_and_parameter(fhir):
    statement = fhir_get(fhir, "/fhir/R4/metadata")

    assert statement["fhirVersion"] == "4.0.1"
    assert statement["format"] == ["application/fhir+json", "json"]
    resources = {entry["type"]: entry for entry in statement["rest"][0]["resource"]}
    assert set(resources) == {
        "Patient",
        "Condition",
        "CarePlan",
        "ServiceRequest",
        "DocumentReference",
        "QuestionnaireResponse",
        "Observation",
        "Flag",
        "ActivityDefinition",
        "PlanDefinition",
        "Questionnaire",
        "CodeSystem",
    }
    params = {p["name"] for p in resources["Patient"]["searchParam"]}
    assert params == {"identifier", "active", "_lastUpdated", "_id", "_count"}
    assert {p["name"] for p in resources["CarePlan"]["searchParam"]} >= {"patient", "status"}
    assert "code" in {p["name"] for p in resources["Observation"]["searchParam"]}
    assert resources["Patient"]["operation"][0]["name"] == "everything"
    for entry in resources.values():
        assert [i["code"] for i in entry["interaction"]] == ["read", "search-type"]


def test_a_draft_revision_is_a_draft_care_plan_and_leaves_the_active_handout_current(
    fhir, history, therapist
):
    draft = start_revision(prescription=history["second"], by=therapist)

    plan = fhir_get(fhir, f"/fhir/R4/CarePlan/{draft.pk}")
    draft_handout = fhir_get(fhir, f"/fhir/R4/DocumentReference/handout-{draft.pk}")
    active_handout = fhir_get(fhir, f"/fhir/R4/DocumentReference/handout-{history['second'].pk}")

    assert plan["status"] == "draft"
    assert plan["replaces"] == [{"reference": f"CarePlan/{history['second'].pk}"}]
    assert draft_handout["docStatus"] == "preliminary"
    assert active_handout["status"] == "current"


def test_a_session_logs_answers_carry_back_and_leg_pain_before_and_after(fhir, patient, therapist):
    from prescriptions.sessions import ExerciseAnswer, Symptoms, record_session

    items = list(make_prescription(patient, therapist, first=2).items.order_by("position"))
    outcome = record_session(
        patient=patient,
        exercises=[ExerciseAnswer(item, True, "centralize", "better", 1, 10) for item in items],
        before=Symptoms(2, 6, "thigh"),
        after=Symptoms(7, 0, "central"),
    )
    first = outcome.logs[0].log

    resource = fhir_get(fhir, f"/fhir/R4/QuestionnaireResponse/{first.pk}")
    questionnaire = fhir_get(fhir, "/fhir/R4/Questionnaire/symptom-log")

    answers = {item["linkId"]: item["answer"][0] for item in resource["item"]}
    assert answers["session"] == {"valueInteger": outcome.session.pk}
    assert (answers["back-pain"], answers["leg-pain"]) == ({"valueInteger": 7}, {"valueInteger": 0})
    assert answers["before-back-pain"] == {"valueInteger": 2}
    assert answers["before-leg-pain"] == {"valueInteger": 6}
    assert answers["before-location"]["valueCoding"]["code"] == "thigh"
    assert answers["pain"] == {"valueInteger": 7}
    assert set(answers) <= {item["linkId"] for item in questionnaire["item"]}
    # A log sent alone: its session of one, no back, leg or "before" answers.
    alone = log(patient, items[0])
    single = fhir_get(fhir, f"/fhir/R4/QuestionnaireResponse/{alone.pk}")
    linked = {item["linkId"] for item in single["item"]}
    assert "session" in linked
    assert not linked & {"back-pain", "leg-pain", "before-back-pain", "before-location"}
