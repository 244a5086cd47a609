"""An MDT assessment as FHIR Observations: one for the provisional classification
(with the directional preference, the direction or kind, and the baseline symptoms as
components) that has the movement tests as members, one per movement tested (the
response during and after and the effect on range as components).

Ids: `mdt-classification-<assessment id>` and `<movement>-<assessment id>` (e.g.
`extension-lying-12`): each movement is tested at most once per assessment."""

from __future__ import annotations

from typing import Any

from assessments.models import Assessment, MovementTest, MovementTestKind

from . import codes
from .resources import instant, meta, ref

EXAM = {"system": codes.OBSERVATION_CATEGORY, "code": "exam", "display": "Exam"}
CLASSIFICATION_PREFIX = "mdt-classification-"
MOVEMENT_PREFIXES = tuple(f"{code.replace('_', '-')}-" for code in MovementTestKind.values)
ID_PREFIXES = (CLASSIFICATION_PREFIX, *MOVEMENT_PREFIXES)


def movement_id(test: MovementTest, assessment: Assessment) -> str:
    return f"{test.movement.replace('_', '-')}-{assessment.pk}"


def _common(assessment: Assessment) -> dict[str, Any]:
    common: dict[str, Any] = {
        "resourceType": "Observation",
        "meta": meta(assessment.created_at),
        "status": "final",
        "category": [{"coding": [EXAM]}],
        "subject": ref("Patient", assessment.patient_id),
        "effectiveDateTime": assessment.assessed_on.isoformat(),
        "issued": instant(assessment.created_at),
        "bodySite": {"coding": [codes.LOW_BACK]},
    }
    if assessment.created_by_id is not None:
        common["performer"] = [{"display": _name(assessment.created_by)}]
    return common


def _name(user: Any) -> str:
    return user.get_full_name() or user.get_username()


def _component(code: str, **value: Any) -> dict[str, Any]:
    return {"code": codes.OBSERVATION.concept(code), **value}


def classification_observation(assessment: Assessment, tests: list[MovementTest]) -> dict:
    components = []
    if assessment.directional_preference:
        components.append(
            _component(
                "directional-preference",
                valueCodeableConcept=codes.DIRECTIONAL_PREFERENCE.concept(
                    assessment.directional_preference
                ),
            )
        )
    if assessment.dysfunction_direction:
        components.append(
            _component(
                "dysfunction-direction",
                valueCodeableConcept=codes.DYSFUNCTION_DIRECTION.concept(
                    assessment.dysfunction_direction
                ),
            )
        )
    if assessment.other_subtype:
        components.append(
            _component(
                "other-subtype",
                valueCodeableConcept=codes.OTHER_SUBTYPE.concept(assessment.other_subtype),
            )
        )
    components += [
        _component("back-pain", valueInteger=assessment.back_pain),
        _component("leg-pain", valueInteger=assessment.leg_pain),
        _component(
            "pain-location", valueCodeableConcept=codes.LOCATION.concept(assessment.location)
        ),
    ]
    resource = {
        **_common(assessment),
        "id": f"{CLASSIFICATION_PREFIX}{assessment.pk}",
        "code": codes.OBSERVATION.concept("mdt-classification"),
        "valueCodeableConcept": codes.CLASSIFICATION.concept(
            assessment.classification, assessment.classification_label
        ),
        "component": components,
    }
    if assessment.note:
        resource["note"] = [{"text": assessment.note}]
    if tests:
        resource["hasMember"] = [
            ref("Observation", movement_id(test, assessment)) for test in tests
        ]
    return resource


def movement_observation(assessment: Assessment, test: MovementTest) -> dict[str, Any]:
    components = []
    if test.during:
        components.append(
            _component("during", valueCodeableConcept=codes.DURING.concept(test.during))
        )
    if test.after:
        components.append(_component("after", valueCodeableConcept=codes.AFTER.concept(test.after)))
    if test.range_effect:
        components.append(
            _component(
                "range-effect", valueCodeableConcept=codes.RANGE_EFFECT.concept(test.range_effect)
            )
        )
    resource = {
        **_common(assessment),
        "id": movement_id(test, assessment),
        "code": codes.MOVEMENT_TEST.concept(test.movement),
    }
    if components:
        resource["component"] = components
    else:
        resource["dataAbsentReason"] = {"text": "No response recorded"}
    return resource


def assessment_observations(assessment: Assessment) -> list[dict[str, Any]]:
    """The classification first, then the movement tests in the order they were stored."""
    tests = sorted(assessment.tests.all(), key=lambda test: test.pk)
    return [
        classification_observation(assessment, tests),
        *(movement_observation(assessment, test) for test in tests),
    ]
