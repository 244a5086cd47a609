"""Every code the FHIR API uses, in one place: the standard systems (LOINC, SNOMED CT,
UCUM, HL7's own) and Centra's CodeSystems for the MDT terms, published with canonical
URLs under SITE_URL and served at /fhir/R4/CodeSystem/<id>.

A new term in one of the core choices (a new alert kind, a new location) appears in
its CodeSystem without a change here; a new *kind* of term needs one entry in
`CODE_SYSTEMS`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db import models

from assessments.models import DysfunctionDirection, MovementTestKind, OtherSubtype, RangeEffect
from exercises.models import Direction
from patients.models import Classification, DirectionalPreference
from prescriptions import red_flags
from prescriptions.models import AfterResponse, Alert, DuringResponse, Location, NeuroSymptom
from prescriptions.outcome_models import Occasion

FHIR_VERSION = "4.0.1"
# When the Questionnaire or a CodeSystem built from the code last changed (their
# meta.lastUpdated; they live in the code, not in rows). tests/fhir/test_definitions.py
# records their digest so that a change to them fails until this date is moved too.
DEFINITIONS_UPDATED = datetime(2026, 12, 7, tzinfo=UTC)
BASE_PATH = "/fhir/R4"

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
FLAG_CATEGORY = "http://terminology.hl7.org/CodeSystem/flag-category"
FLAG_PRIORITY = "http://hl7.org/fhir/flag-priority-code"  # R4 core, not THO
PLAN_DEFINITION_TYPE = "http://terminology.hl7.org/CodeSystem/plan-definition-type"
CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
CONDITION_CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category"
LANGUAGES = "urn:ietf:bcp:47"

# Standard HL7 extensions (core R4), so no StructureDefinition of ours is needed.
EXT_FLAG_PRIORITY = "http://hl7.org/fhir/StructureDefinition/flag-priority"
EXT_FLAG_DETAIL = "http://hl7.org/fhir/StructureDefinition/flag-detail"
EXT_MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
EXT_MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"

PAIN_SEVERITY = {
    "system": LOINC,
    "code": "72514-3",
    "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
}
EXERCISE_THERAPY = {"system": SNOMED, "code": "229065009", "display": "Exercise therapy"}
LOW_BACK = {"system": SNOMED, "code": "37822005", "display": "Lumbar region structure"}
SURVEY = {"system": OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}
CLINICAL_FLAG = {"system": FLAG_CATEGORY, "code": "clinical", "display": "Clinical"}
REPETITIONS = {"system": UCUM, "code": "{repetitions}", "unit": "repetitions"}

# Alert severity -> flag-priority-code (PH high, PM medium, PL low).
FLAG_PRIORITIES = {
    Alert.Severity.NOTE: {"system": FLAG_PRIORITY, "code": "PL", "display": "Low priority"},
    Alert.Severity.URGENT: {"system": FLAG_PRIORITY, "code": "PH", "display": "High priority"},
    Alert.Severity.WARNING: {"system": FLAG_PRIORITY, "code": "PM", "display": "Medium priority"},
}

# Centra's program status -> CarePlan / ServiceRequest status (request-status).
REQUEST_STATUS = {"draft": "draft", "active": "active", "ended": "completed"}


def canonical(path: str) -> str:
    """The canonical URL of one of our definitions; also where it is served."""
    return f"{settings.SITE_URL}{BASE_PATH}/{path}"


class DosagePart(models.TextChoices):
    SETS = "sets", "Sets"
    REPETITIONS = "repetitions", "Repetitions per set"
    HOLD = "hold", "Hold (seconds)"


class ObservationCode(models.TextChoices):
    PAIN_LOCATION = "pain-location", "Where the pain reaches (the most distal symptom)"
    EXERCISE_RESPONSE_DURING = "during", "Symptom response during the exercise"
    EXERCISE_RESPONSE_AFTER = "after", "Symptom response after the exercise"
    CLASSIFICATION = "mdt-classification", "Provisional MDT classification at an assessment"
    DIRECTIONAL_PREFERENCE = "directional-preference", "Directional preference"
    DYSFUNCTION_DIRECTION = "dysfunction-direction", "Direction of a dysfunction"
    OTHER_SUBTYPE = "other-subtype", "Kind of the classification other"
    BACK_PAIN = "back-pain", "Back pain at the assessment (0 to 10)"
    LEG_PAIN = "leg-pain", "Leg pain at the assessment (0 to 10)"
    RANGE_EFFECT = "range-effect", "Effect of a repeated movement on the range of movement"
    NEW_NERVE_SYMPTOMS = "new-nerve-symptoms", "New nerve symptoms the patient reported"
    NPRS = "nprs", "Numeric pain rating scale: mean of pain now, at its least and at its worst"
    PAIN_LEAST = "pain-least", "Pain at its least over the last 24 hours (0 to 10)"
    PAIN_WORST = "pain-worst", "Pain at its worst over the last 24 hours (0 to 10)"
    PSFS = "psfs", "Patient-Specific Functional Scale: mean of the activities' scores"
    PSFS_ACTIVITY = "psfs-activity", "One activity the patient named, scored 0 (unable) to 10"
    GROC = "groc", "Global Rating of Change since care began (-7 to +7)"
    OCCASION = "occasion", "When in the episode of care a measure was taken"


@dataclass(frozen=True)
class CodeSystemSpec:
    id: str
    name: str
    title: str
    description: str
    choices: type[models.TextChoices]

    @property
    def url(self) -> str:
        return canonical(f"CodeSystem/{self.id}")

    def coding(self, code: str) -> dict[str, Any]:
        return {"system": self.url, "code": code, "display": str(self.choices(code).label)}

    def concept(self, code: str, text: str = "") -> dict[str, Any]:
        return {"coding": [self.coding(code)], "text": text or str(self.choices(code).label)}


CODE_SYSTEMS = {
    spec.id: spec
    for spec in [
        CodeSystemSpec(
            "mdt-location",
            "MdtPainLocation",
            "Where the pain reaches (MDT)",
            "The most distal location of the patient's symptoms, ordered from the centre "
            "of the low back outwards. Moving towards the centre over time is "
            "centralization; moving outwards is peripheralization.",
            Location,
        ),
        CodeSystemSpec(
            "mdt-during",
            "MdtResponseDuring",
            "Symptom response during an exercise (MDT)",
            "What the symptoms did while the patient performed the exercise.",
            DuringResponse,
        ),
        CodeSystemSpec(
            "mdt-after",
            "MdtResponseAfter",
            "Symptom response after an exercise (MDT)",
            "How the symptoms were after the patient finished the exercise.",
            AfterResponse,
        ),
        CodeSystemSpec(
            "mdt-classification",
            "MdtClassification",
            "MDT classification",
            "The Mechanical Diagnosis and Therapy classification set by the therapist.",
            Classification,
        ),
        CodeSystemSpec(
            "mdt-directional-preference",
            "MdtDirectionalPreference",
            "Directional preference (MDT)",
            "The direction of movement that improves the patient's symptoms.",
            DirectionalPreference,
        ),
        CodeSystemSpec(
            "mdt-movement-test",
            "MdtMovementTest",
            "Repeated and sustained movements tested (MDT)",
            "The movements an MDT assessment tests, repeated or sustained.",
            MovementTestKind,
        ),
        CodeSystemSpec(
            "mdt-range-effect",
            "MdtRangeEffect",
            "Effect on the range of movement (MDT)",
            "How a repeated movement changed the range of movement.",
            RangeEffect,
        ),
        CodeSystemSpec(
            "mdt-dysfunction-direction",
            "MdtDysfunctionDirection",
            "Direction of a dysfunction (MDT)",
            "The direction in which movement is limited and painful at end range.",
            DysfunctionDirection,
        ),
        CodeSystemSpec(
            "mdt-other-subtype",
            "MdtOtherSubtype",
            "Kinds of the classification other (MDT)",
            "What the therapist found when the symptoms fit none of the MDT syndromes.",
            OtherSubtype,
        ),
        CodeSystemSpec(
            "exercise-direction",
            "ExerciseDirection",
            "Direction of movement an exercise loads",
            "The movement direction a catalog exercise loads the spine in.",
            Direction,
        ),
        CodeSystemSpec(
            "alert-kind",
            "CentraAlertKind",
            "Kinds of alert",
            "Why Centra asks a therapist to look at a patient.",
            Alert.Kind,
        ),
        CodeSystemSpec(
            "red-flag",
            "CentraRedFlag",
            "Red-flag questions",
            "The red-flag questions Centra asks patients (codes of RedFlagCheck answers), "
            "in tiers. Emergency now: "
            + ", ".join(q.code for q in red_flags.questions([red_flags.Tier.EMERGENCY]))
            + ". See a doctor today: "
            + ", ".join(q.code for q in red_flags.questions([red_flags.Tier.TODAY]))
            + ". Retired, kept for answers given before the tiers: "
            + ", ".join(c for c in red_flags.RedFlag.values if c not in red_flags.QUESTION_CODES)
            + ".",
            red_flags.RedFlag,
        ),
        CodeSystemSpec(
            "outcome-occasion",
            "CentraOutcomeOccasion",
            "Occasions of an outcome measure",
            "When in an episode of care an outcome measure was taken.",
            Occasion,
        ),
        CodeSystemSpec(
            "dosage",
            "CentraDosagePart",
            "Parts of an exercise dosage",
            "The parts of a home-exercise dosage that FHIR's request resources do not name.",
            DosagePart,
        ),
        CodeSystemSpec(
            "nerve-symptom",
            "CentraNerveSymptom",
            "New nerve symptoms",
            "New nerve symptoms a patient is asked about on every log; any one stops the "
            "exercise and raises an alert for the therapist.",
            NeuroSymptom,
        ),
        CodeSystemSpec(
            "observation",
            "CentraObservationCode",
            "Centra observation codes",
            "What a Centra observation or question records, where LOINC has no fitting code.",
            ObservationCode,
        ),
    ]
}

LOCATION = CODE_SYSTEMS["mdt-location"]
DURING = CODE_SYSTEMS["mdt-during"]
AFTER = CODE_SYSTEMS["mdt-after"]
CLASSIFICATION = CODE_SYSTEMS["mdt-classification"]
DIRECTIONAL_PREFERENCE = CODE_SYSTEMS["mdt-directional-preference"]
DIRECTION = CODE_SYSTEMS["exercise-direction"]
ALERT_KIND = CODE_SYSTEMS["alert-kind"]
DOSAGE = CODE_SYSTEMS["dosage"]
OBSERVATION = CODE_SYSTEMS["observation"]
MOVEMENT_TEST = CODE_SYSTEMS["mdt-movement-test"]
RANGE_EFFECT = CODE_SYSTEMS["mdt-range-effect"]
DYSFUNCTION_DIRECTION = CODE_SYSTEMS["mdt-dysfunction-direction"]
OTHER_SUBTYPE = CODE_SYSTEMS["mdt-other-subtype"]
NERVE_SYMPTOM = CODE_SYSTEMS["nerve-symptom"]
OCCASION = CODE_SYSTEMS["outcome-occasion"]
RED_FLAG = CODE_SYSTEMS["red-flag"]
