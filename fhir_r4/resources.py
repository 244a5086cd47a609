"""Centra's records as FHIR R4 resources: one function per resource type, each taking
model objects (with their relations already loaded) and returning the resource as a
dict. `validated()` passes every answer through the `fhir.resources` models, so what
the API returns is valid by construction.

This module and `codes.py` are the whole mapping; the views never shape a resource."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from django.urls import reverse
from django.utils.text import slugify
from fhir.resources.R4B import get_fhir_model_class

from exercises.models import Exercise, Progression
from patients.models import Patient
from prescriptions.models import Alert, Prescription, PrescriptionItem, SymptomLog

from . import codes
from .codes import canonical

QUESTIONNAIRE_ID = "symptom-log"


def validated(resource: dict[str, Any]) -> dict[str, Any]:
    """The resource, once the FHIR model library has read it as valid; raises
    pydantic's ValidationError if it is not. The dict itself is returned: writing
    the model back out would cost as much again and say the same."""
    get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    return resource


def versioned(resource: dict[str, Any]) -> dict[str, Any]:
    """Adds `meta.versionId`: a digest of everything else in the resource, so it
    changes exactly when what a client reads changes (and the ETag with it). We keep
    no history, so it names a state, not a position in a series."""
    body = {key: value for key, value in resource.items() if key != "meta"}
    digest = hashlib.sha256(
        json.dumps(body, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()
    # A new dict: resources built from one row may share their meta.
    resource["meta"] = {**resource.get("meta", {}), "versionId": digest[:16]}
    return resource


def instant(value: datetime) -> str:
    return value.isoformat()


def ref(resource_type: str, resource_id: Any, display: str = "") -> dict[str, str]:
    reference = {"reference": f"{resource_type}/{resource_id}"}
    if display:
        reference["display"] = display
    return reference


def meta(last_updated: datetime) -> dict[str, str]:
    return {"lastUpdated": instant(last_updated)}


def person_name(user: Any) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def computable_name(text: str) -> str:
    """A FHIR `name`: starts with a capital, letters and digits only."""
    words = slugify(text).split("-")
    name = "".join(word.capitalize() for word in words if word)
    return name if name[:1].isalpha() else f"X{name}"


def identifier_system(clinic_slug: str) -> str:
    """The identifier system of one clinic's external patient ids."""
    return canonical(f"sid/{clinic_slug}/external-id")


# The patient


def patient_resource(patient: Patient) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Patient",
        "id": str(patient.pk),
        "meta": meta(patient.updated_at),
        "active": not patient.archived,
        "name": [{"family": patient.last_name, "given": [patient.first_name]}],
        "communication": [
            {
                "language": {
                    "coding": [{"system": codes.LANGUAGES, "code": patient.preferred_language}]
                },
                "preferred": True,
            }
        ],
        "managingOrganization": {"display": patient.clinic.name},
    }
    if patient.external_id:
        resource["identifier"] = [
            {
                "use": "usual",
                "system": identifier_system(patient.clinic.slug),
                "value": patient.external_id,
            }
        ]
    if patient.date_of_birth:
        resource["birthDate"] = patient.date_of_birth.isoformat()
    if patient.email:
        resource["telecom"] = [{"system": "email", "value": patient.email}]
    return resource


def condition_resource(patient: Patient) -> dict[str, Any]:
    """The MDT classification the therapist recorded, with the directional
    preference as its evidence. Only for patients who have one."""
    resource: dict[str, Any] = {
        "resourceType": "Condition",
        "id": str(patient.pk),
        "meta": meta(patient.updated_at),
        "clinicalStatus": {"coding": [{"system": codes.CONDITION_CLINICAL, "code": "active"}]},
        "category": [
            {"coding": [{"system": codes.CONDITION_CATEGORY, "code": "problem-list-item"}]}
        ],
        "code": codes.CLASSIFICATION.concept(patient.classification),
        "bodySite": [{"coding": [codes.LOW_BACK]}],
        "subject": ref("Patient", patient.pk),
    }
    if patient.directional_preference:
        resource["evidence"] = [
            {"code": [codes.DIRECTIONAL_PREFERENCE.concept(patient.directional_preference)]}
        ]
    return resource


# The program


def care_plan_resource(prescription: Prescription) -> dict[str, Any]:
    """One version of a program; `replaces` points to the version before."""
    patient = prescription.patient
    resource: dict[str, Any] = {
        "resourceType": "CarePlan",
        "id": str(prescription.pk),
        "meta": meta(prescription.updated_at),
        "status": codes.REQUEST_STATUS[prescription.status],
        "intent": "plan",
        "category": [{"coding": [codes.EXERCISE_THERAPY]}],
        "title": f"Home exercise program, version {prescription.version}",
        "subject": ref("Patient", patient.pk),
        "created": instant(prescription.created_at),
        "author": {"display": person_name(prescription.prescribed_by)},
        "activity": [
            {"reference": ref("ServiceRequest", item.pk, item.exercise.name)}
            for item in prescription.items.all()
        ],
    }
    if prescription.progression_id is not None:
        resource["instantiatesCanonical"] = [
            canonical(f"PlanDefinition/{prescription.progression_id}")
        ]
    if prescription.replaces_id is not None:
        resource["replaces"] = [ref("CarePlan", prescription.replaces_id)]
    if patient.classification:
        resource["addresses"] = [ref("Condition", patient.pk)]
    if prescription.activated_at:
        period = {"start": instant(prescription.activated_at)}
        if prescription.ended_at:
            period["end"] = instant(prescription.ended_at)
        resource["period"] = period
    if prescription.change_note:
        resource["description"] = prescription.change_note
    if not resource["activity"]:
        del resource["activity"]
    return resource


def timing(times_per_day: int | None, every_hours: int | None) -> dict[str, Any]:
    if every_hours:
        return {"repeat": {"frequency": 1, "period": every_hours, "periodUnit": "h"}}
    return {"repeat": {"frequency": times_per_day, "period": 1, "periodUnit": "d"}}


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def dosage_details(*, sets: int, repetitions: int, hold_seconds: int) -> list[dict[str, Any]]:
    details = [
        {"coding": [codes.DOSAGE.coding("sets")], "text": plural(sets, "set")},
        {"coding": [codes.DOSAGE.coding("repetitions")], "text": plural(repetitions, "repetition")},
    ]
    if hold_seconds:
        details.append({"coding": [codes.DOSAGE.coding("hold")], "text": f"hold {hold_seconds} s"})
    return details


def service_request_resource(item: PrescriptionItem) -> dict[str, Any]:
    """One prescribed exercise with its dosage; the patient performs it at home."""
    prescription = item.prescription
    patient_id = prescription.patient_id
    instruction = item.dosage_text + (f". {item.note}" if item.note else "")
    return {
        "resourceType": "ServiceRequest",
        "id": str(item.pk),
        "meta": meta(prescription.updated_at),
        "instantiatesCanonical": [canonical(f"ActivityDefinition/{item.exercise_id}")],
        "basedOn": [ref("CarePlan", prescription.pk)],
        "status": codes.REQUEST_STATUS[prescription.status],
        "intent": "order",
        "category": [{"coding": [codes.EXERCISE_THERAPY]}],
        "code": {"coding": [codes.EXERCISE_THERAPY], "text": item.exercise.name},
        "orderDetail": dosage_details(
            sets=item.sets, repetitions=item.repetitions, hold_seconds=item.hold_seconds
        ),
        "quantityQuantity": {"value": item.repetitions, **codes.REPETITIONS},
        "subject": ref("Patient", patient_id),
        "occurrenceTiming": timing(item.times_per_day, item.every_hours),
        "authoredOn": instant(prescription.created_at),
        "requester": {"display": person_name(prescription.prescribed_by)},
        "performer": [ref("Patient", patient_id)],
        "patientInstruction": instruction,
    }


def document_reference_resource(prescription: Prescription, site_root: str) -> dict[str, Any]:
    """The printable handout of one version, fetched from the REST API with the same key."""
    # An ended version's handout is no longer what the patient follows.
    superseded = prescription.status == Prescription.Status.ENDED
    resource: dict[str, Any] = {
        "resourceType": "DocumentReference",
        "id": f"handout-{prescription.pk}",
        "meta": meta(prescription.updated_at),
        "status": "superseded" if superseded else "current",
        "docStatus": "preliminary" if prescription.status == Prescription.Status.DRAFT else "final",
        "type": {"text": "Home exercise program handout"},
        "category": [{"coding": [codes.EXERCISE_THERAPY]}],
        "subject": ref("Patient", prescription.patient_id),
        "date": instant(prescription.created_at),
        "description": f"Printable handout of version {prescription.version}",
        "content": [
            {
                "attachment": {
                    "contentType": "application/pdf",
                    "url": site_root
                    + reverse("api:prescription-handout", kwargs={"pk": prescription.pk}),
                    "title": f"handout-{prescription.pk}-v{prescription.version}.pdf",
                    "creation": instant(prescription.created_at),
                }
            }
        ],
        "context": {"related": [ref("CarePlan", prescription.pk)]},
    }
    if prescription.replaces_id is not None:
        resource["relatesTo"] = [
            {
                "code": "replaces",
                "target": ref("DocumentReference", f"handout-{prescription.replaces_id}"),
            }
        ]
    return resource


# What the patient reported


def questionnaire_response_resource(log: SymptomLog) -> dict[str, Any]:
    answers = [
        ("sets-done", {"valueInteger": log.sets_done}),
        ("repetitions-done", {"valueInteger": log.repetitions_done}),
        ("pain", {"valueInteger": log.pain}),
        ("location", {"valueCoding": codes.LOCATION.coding(log.location)}),
        ("during", {"valueCoding": codes.DURING.coding(log.during)}),
        ("after", {"valueCoding": codes.AFTER.coding(log.after)}),
    ]
    if log.note:
        answers.append(("note", {"valueString": log.note}))
    answers.extend(session_answers(log))
    texts = {item["linkId"]: item["text"] for item in QUESTIONS}
    resource: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "id": str(log.pk),
        "meta": meta(log.created_at),
        "questionnaire": canonical(f"Questionnaire/{QUESTIONNAIRE_ID}"),
        "basedOn": [ref("ServiceRequest", log.item_id)],
        "status": "completed",
        "subject": ref("Patient", log.patient_id),
        "authored": instant(log.logged_at),
        "item": [
            {"linkId": link_id, "text": texts[link_id], "answer": [answer]}
            for link_id, answer in answers
        ],
    }
    if log.new_symptoms:
        resource["item"].append(nerve_symptoms_item(log.new_symptoms))
    if log.source == SymptomLog.Source.PORTAL:
        resource["source"] = ref("Patient", log.patient_id)
    return resource


def session_answers(log: SymptomLog) -> list[tuple[str, dict[str, Any]]]:
    """The session a log belongs to: its id, back and leg pain after it, and the
    symptoms before it, each where it was asked (a log sent alone has one pain score
    and no "before")."""
    session = log.session
    if session is None:
        return []
    answers = [("session", {"valueInteger": session.pk})]
    if log.back_pain is not None and log.leg_pain is not None:
        answers += [
            ("back-pain", {"valueInteger": log.back_pain}),
            ("leg-pain", {"valueInteger": log.leg_pain}),
        ]
    if session.before_location:
        answers += [
            ("before-back-pain", {"valueInteger": session.before_back_pain}),
            ("before-leg-pain", {"valueInteger": session.before_leg_pain}),
            ("before-location", {"valueCoding": codes.LOCATION.coding(session.before_location)}),
        ]
    return answers


def nerve_symptoms_item(reported: list[str]) -> dict[str, Any]:
    """The new nerve symptoms answered yes, one answer each. Absent when none was
    reported: a clinic system may send a log without asking, so no answer is not
    written down as a "no"."""
    question = next(item for item in QUESTIONS if item["linkId"] == "new-nerve-symptoms")
    return {
        "linkId": question["linkId"],
        "text": question["text"],
        "answer": [{"valueCoding": codes.NERVE_SYMPTOM.coding(code)} for code in reported],
    }


def observation_codes() -> list[dict[str, Any]]:
    """The codes of the observations each log makes, in order."""
    return [
        {"coding": [codes.PAIN_SEVERITY], "text": "Pain now (0 to 10)"},
        codes.OBSERVATION.concept("pain-location"),
    ]


def observation_resources(log: SymptomLog) -> list[dict[str, Any]]:
    """Pain severity (LOINC 72514-3) and where the pain reaches, from one log."""
    common = {
        "resourceType": "Observation",
        "meta": meta(log.created_at),
        "basedOn": [ref("ServiceRequest", log.item_id)],
        "status": "final",
        "category": [{"coding": [codes.SURVEY]}],
        "subject": ref("Patient", log.patient_id),
        "effectiveDateTime": instant(log.logged_at),
        "issued": instant(log.created_at),
        "derivedFrom": [ref("QuestionnaireResponse", log.pk)],
    }
    if log.source == SymptomLog.Source.PORTAL:
        common["performer"] = [ref("Patient", log.patient_id)]
    pain_code, location_code = observation_codes()
    pain = {
        **common,
        "id": f"pain-{log.pk}",
        "code": pain_code,
        "valueInteger": log.pain,
    }
    location = {
        **common,
        "id": f"location-{log.pk}",
        "code": location_code,
        "valueCodeableConcept": codes.LOCATION.concept(log.location),
        "bodySite": {"coding": [codes.LOW_BACK]},
    }
    return [pain, location]


def flag_resource(alert: Alert) -> dict[str, Any]:
    period = {"start": instant(alert.created_at)}
    if alert.acknowledged_at:
        period["end"] = instant(alert.acknowledged_at)
    extensions = [
        {
            "url": codes.EXT_FLAG_PRIORITY,
            "valueCodeableConcept": {"coding": [codes.FLAG_PRIORITIES[alert.severity]]},
        }
    ]
    if alert.symptom_log_id is not None:
        extensions.append(
            {
                "url": codes.EXT_FLAG_DETAIL,
                "valueReference": ref("QuestionnaireResponse", alert.symptom_log_id),
            }
        )
    return {
        "resourceType": "Flag",
        "id": str(alert.pk),
        "meta": meta(alert.updated_at),
        "extension": extensions,
        "status": "active" if alert.acknowledged_at is None else "inactive",
        "category": [{"coding": [codes.CLINICAL_FLAG]}],
        "code": codes.ALERT_KIND.concept(alert.kind, alert.message),
        "subject": ref("Patient", alert.patient_id),
        "period": period,
    }


# Definitions: the catalog, the progressions, the questions, the code systems


def activity_definition_resource(exercise: Exercise, site_root: str) -> dict[str, Any]:
    steps = "\n".join(f"{n}. {step}" for n, step in enumerate(exercise.catalog_steps, start=1))
    resource: dict[str, Any] = {
        "resourceType": "ActivityDefinition",
        "id": str(exercise.pk),
        "meta": meta(exercise.updated_at),
        "url": canonical(f"ActivityDefinition/{exercise.pk}"),
        "identifier": [{"system": canonical("sid/exercise-slug"), "value": exercise.slug}],
        "name": computable_name(exercise.name),
        "title": exercise.name,
        "status": "active",
        "date": instant(exercise.updated_at),
        "publisher": exercise.clinic.name if exercise.clinic_id else "Centra",
        "description": steps or exercise.name,
        "purpose": exercise.purpose,
        "usage": exercise.cautions,
        "topic": [codes.DIRECTION.concept(exercise.direction)],
        "kind": "ServiceRequest",
        "intent": "proposal",
        "code": {"coding": [codes.EXERCISE_THERAPY], "text": exercise.name},
        "quantity": {"value": exercise.default_repetitions, **codes.REPETITIONS},
        "dosage": [
            {
                "text": ", ".join(
                    detail["text"]
                    for detail in dosage_details(
                        sets=exercise.default_sets,
                        repetitions=exercise.default_repetitions,
                        hold_seconds=exercise.default_hold_seconds,
                    )
                ),
                "timing": timing(exercise.default_times_per_day, exercise.default_every_hours),
            }
        ],
    }
    picture = exercise.image_url
    if picture:
        resource["relatedArtifact"] = [
            {
                "type": "documentation",
                "display": "Drawing of the exercise",
                "url": picture if "://" in picture else site_root + picture,
            }
        ]
    return resource


def plan_definition_resource(progression: Progression) -> dict[str, Any]:
    """A progression: its exercises in order, each to start after the one before."""
    steps = list(progression.steps.all())
    actions = []
    for index, step in enumerate(steps):
        action: dict[str, Any] = {
            "id": f"step-{step.position}",
            "title": step.exercise.name,
            "definitionCanonical": canonical(f"ActivityDefinition/{step.exercise_id}"),
        }
        if step.advance_when:
            action["description"] = f"Move on when: {step.advance_when}"
        if index:
            action["relatedAction"] = [
                {"actionId": f"step-{steps[index - 1].position}", "relationship": "after-end"}
            ]
        actions.append(action)
    resource: dict[str, Any] = {
        "resourceType": "PlanDefinition",
        "id": str(progression.pk),
        "meta": meta(progression.updated_at),
        "url": canonical(f"PlanDefinition/{progression.pk}"),
        "identifier": [{"system": canonical("sid/progression-slug"), "value": progression.slug}],
        "name": computable_name(progression.name),
        "title": progression.name,
        "type": {"coding": [{"system": codes.PLAN_DEFINITION_TYPE, "code": "clinical-protocol"}]},
        "status": "active",
        "publisher": progression.clinic.name if progression.clinic_id else "Centra",
        "description": progression.description or progression.name,
        "topic": [codes.DIRECTION.concept(progression.direction)],
        "action": actions,
    }
    if not actions:
        del resource["action"]
    return resource


QUESTIONS: list[dict[str, Any]] = [
    {"linkId": "sets-done", "text": "Sets done", "type": "integer", "required": True},
    {
        "linkId": "repetitions-done",
        "text": "Repetitions done",
        "type": "integer",
        "required": True,
    },
    {
        "linkId": "pain",
        "text": "Pain now (0 to 10)",
        "type": "integer",
        "required": True,
        "code": [codes.PAIN_SEVERITY],
        "extension": [
            {"url": codes.EXT_MIN_VALUE, "valueInteger": 0},
            {"url": codes.EXT_MAX_VALUE, "valueInteger": 10},
        ],
    },
    {
        "linkId": "location",
        "text": "Where the pain reaches",
        "type": "choice",
        "required": True,
        "code": [codes.OBSERVATION.coding("pain-location")],
        "system": codes.LOCATION,
    },
    {
        "linkId": "during",
        "text": "During the exercise",
        "type": "choice",
        "required": True,
        "code": [codes.OBSERVATION.coding("during")],
        "system": codes.DURING,
    },
    {
        "linkId": "after",
        "text": "After the exercise",
        "type": "choice",
        "required": True,
        "code": [codes.OBSERVATION.coding("after")],
        "system": codes.AFTER,
    },
    {"linkId": "note", "text": "Note", "type": "text", "required": False},
    {
        "linkId": "session",
        "text": "The exercise session this log belongs to (its id in the REST API)",
        "type": "integer",
        "required": False,
    },
    *(
        {
            "linkId": link_id,
            "text": text,
            "type": "integer",
            "required": False,
            "extension": [
                {"url": codes.EXT_MIN_VALUE, "valueInteger": 0},
                {"url": codes.EXT_MAX_VALUE, "valueInteger": 10},
            ],
        }
        for link_id, text in (
            ("back-pain", "Back pain after the session (0 to 10)"),
            ("leg-pain", "Leg pain after the session (0 to 10)"),
            ("before-back-pain", "Back pain before the session (0 to 10)"),
            ("before-leg-pain", "Leg pain before the session (0 to 10)"),
        )
    ),
    {
        "linkId": "before-location",
        "text": "Where the pain reached before the session",
        "type": "choice",
        "required": False,
        "code": [codes.OBSERVATION.coding("pain-location")],
        "system": codes.LOCATION,
    },
    {
        "linkId": "new-nerve-symptoms",
        "text": "New nerve symptoms (each one the patient answered yes to)",
        "type": "choice",
        "required": False,
        "repeats": True,
        "code": [codes.OBSERVATION.coding("new-nerve-symptoms")],
        "system": codes.NERVE_SYMPTOM,
    },
]


def questionnaire_resource() -> dict[str, Any]:
    """The questions of a symptom log, as the portal and the REST API ask them."""
    items = []
    for question in QUESTIONS:
        item = {key: value for key, value in question.items() if key != "system"}
        system = question.get("system")
        if system is not None:
            item["answerOption"] = [
                {"valueCoding": system.coding(code)} for code in system.choices.values
            ]
        items.append(item)
    return {
        "resourceType": "Questionnaire",
        "id": QUESTIONNAIRE_ID,
        "meta": meta(codes.DEFINITIONS_UPDATED),
        "url": canonical(f"Questionnaire/{QUESTIONNAIRE_ID}"),
        "name": "CentraSymptomLog",
        "title": "How did the exercise go?",
        "status": "active",
        "subjectType": ["Patient"],
        "publisher": "Centra",
        "description": "What a patient reports after doing one exercise of their program.",
        "item": items,
    }


def code_system_resource(spec: codes.CodeSystemSpec) -> dict[str, Any]:
    choices = spec.choices
    return {
        "resourceType": "CodeSystem",
        "id": spec.id,
        "meta": meta(codes.DEFINITIONS_UPDATED),
        "url": spec.url,
        "name": spec.name,
        "title": spec.title,
        "status": "active",
        "publisher": "Centra",
        "description": spec.description,
        "caseSensitive": True,
        "content": "complete",
        "count": len(choices.values),
        "concept": [{"code": code, "display": str(label)} for code, label in choices.choices],
    }
