"""Outcome measures and the red-flag checks as FHIR resources.

An outcome measure (NPRS, PSFS, GROC) is one Observation, `outcome-<id>`: the score
as its value, the answers it was worked out from as components, the occasion (start,
review, discharge) as a component too. It is what a clinic system files under
"survey" results; a QuestionnaireResponse would make it rebuild the score.

A day's red-flag check is a QuestionnaireResponse, `red-flag-check-<id>`, to the
Questionnaire `red-flags`, which is built from the one table of questions in
`prescriptions/red_flags.py`: one yes/no item per question, linkId the question's
code. Only the questions asked that day are answered."""

from __future__ import annotations

from typing import Any

from django.utils import translation

from prescriptions import red_flags
from prescriptions.models import OutcomeMeasure, RedFlagCheck
from prescriptions.outcome_models import Instrument

from . import codes
from .codes import canonical
from .resources import instant, meta, ref

OUTCOME_PREFIX = "outcome-"
RED_FLAG_CHECK_PREFIX = "red-flag-check-"
RED_FLAG_QUESTIONNAIRE_ID = "red-flags"
SCORE = {"system": codes.UCUM, "code": "{score}", "unit": "score"}


def _component(code: str, **value: Any) -> dict[str, Any]:
    return {"code": codes.OBSERVATION.concept(code), **value}


def _answers(measure: OutcomeMeasure) -> list[dict[str, Any]]:
    if measure.instrument == Instrument.NPRS:
        return [
            {"code": {"coding": [codes.PAIN_SEVERITY]}, "valueInteger": measure.pain_now},
            _component("pain-least", valueInteger=measure.pain_best),
            _component("pain-worst", valueInteger=measure.pain_worst),
        ]
    if measure.instrument == Instrument.PSFS:
        return [
            {
                "code": {
                    "coding": [codes.OBSERVATION.coding("psfs-activity")],
                    "text": activity["activity"],
                },
                "valueInteger": activity["score"],
            }
            for activity in measure.activities
        ]
    return []


def outcome_observation(measure: OutcomeMeasure) -> dict[str, Any]:
    if measure.instrument == Instrument.GROC:
        value: dict[str, Any] = {"valueInteger": measure.change}
    else:
        value = {"valueQuantity": {"value": float(measure.score), **SCORE}}
    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "id": f"{OUTCOME_PREFIX}{measure.pk}",
        "meta": meta(measure.created_at),
        "status": "final",
        "category": [{"coding": [codes.SURVEY]}],
        "code": codes.OBSERVATION.concept(measure.instrument),
        "subject": ref("Patient", measure.patient_id),
        "effectiveDateTime": instant(measure.taken_at),
        "issued": instant(measure.created_at),
        **value,
        "component": [
            _component("occasion", valueCodeableConcept=codes.OCCASION.concept(measure.occasion)),
            *_answers(measure),
        ],
    }
    if measure.source == OutcomeMeasure.Source.PORTAL:
        resource["performer"] = [ref("Patient", measure.patient_id)]
    return resource


def red_flag_questionnaire() -> dict[str, Any]:
    """Every question a check may hold: those asked today in the table's order, then
    the retired ones that older checks answered."""
    asked = {question.code: question.tier for question in red_flags.QUESTIONS}
    retired = [code for code in red_flags.RedFlag.values if code not in asked]
    with translation.override("en"):
        items = [
            {
                "linkId": code,
                "text": str(red_flags.RedFlag(code).label),
                "type": "boolean",
                "required": False,
                "code": [codes.RED_FLAG.coding(code)],
                "prefix": str(red_flags.Tier(asked[code]).label) if code in asked else "Retired",
            }
            for code in [*asked, *retired]
        ]
    return {
        "resourceType": "Questionnaire",
        "id": RED_FLAG_QUESTIONNAIRE_ID,
        "meta": meta(codes.DEFINITIONS_UPDATED),
        "url": canonical(f"Questionnaire/{RED_FLAG_QUESTIONNAIRE_ID}"),
        "name": "CentraRedFlagCheck",
        "title": "Red-flag check",
        "status": "active",
        "subjectType": ["Patient"],
        "publisher": "Centra",
        "description": (
            "The red-flag questions a patient answers before exercising, each yes or no. "
            "The prefix names the tier: emergency now, or see a doctor today; retired "
            "questions are kept for checks answered before the tiers."
        ),
        "item": items,
    }


def red_flag_check_response(check: RedFlagCheck) -> dict[str, Any]:
    yes = set(check.answered_yes)
    # A check stored before `asked` was kept says only what was answered yes.
    asked = list(check.asked) or [code for code in red_flags.RedFlag.values if code in yes]
    with translation.override("en"):
        items = [
            {
                "linkId": code,
                "text": str(red_flags.RedFlag(code).label),
                "answer": [{"valueBoolean": code in yes}],
            }
            for code in asked
        ]
    resource: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "id": f"{RED_FLAG_CHECK_PREFIX}{check.pk}",
        "meta": meta(check.created_at),
        "questionnaire": canonical(f"Questionnaire/{RED_FLAG_QUESTIONNAIRE_ID}"),
        "status": "completed",
        "subject": ref("Patient", check.patient_id),
        "authored": check.checked_on.isoformat(),
    }
    if items:
        resource["item"] = items
    return resource
