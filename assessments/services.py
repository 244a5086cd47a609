"""Recording an assessment: one write that also sets the patient's safety baseline."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from patients.models import Classification, Patient, RiskFactor

from .models import Assessment, Factor, MovementTest, MovementTestKind

# The fields of Assessment a caller gives (everything but the patient and the tests).
FIELDS = (
    "assessed_on",
    "onset_date",
    "onset",
    "duration_weeks",
    "earlier_episodes",
    "pattern",
    "worse_with",
    "better_with",
    "back_pain",
    "leg_pain",
    "location",
    "painful_side",
    "lateral_shift",
    "reflexes",
    "sensation",
    "power",
    "neural_tension",
    "neuro_note",
    "classification",
    "directional_preference",
    "dysfunction_direction",
    "other_subtype",
    "note",
)
TEST_FIELDS = ("movement", "during", "after", "range_effect")


class ClientIdReused(Exception):
    """The `client_id` was already used for an assessment with other contents."""


def check_assessment(data: dict[str, Any], tests: Sequence[dict[str, Any]]) -> None:
    """Raise ValidationError by field for what the database would refuse or a
    classification that is not complete."""
    errors: dict[str, list[str]] = {}
    for name in ("back_pain", "leg_pain"):
        value = data.get(name)
        if value is None or not 0 <= value <= 10:
            errors[name] = [_("Give a number from 0 to 10.")]
    for name in ("worse_with", "better_with"):
        if any(code not in Factor.values for code in data.get(name) or []):
            errors[name] = [_("Choose from the listed activities and times of day.")]
    classification = data.get("classification")
    if classification == Classification.DERANGEMENT and not data.get("directional_preference"):
        errors["directional_preference"] = [
            _("A derangement needs its directional preference (or “None”).")
        ]
    if classification == Classification.DYSFUNCTION and not data.get("dysfunction_direction"):
        errors["dysfunction_direction"] = [_("A dysfunction needs its direction.")]
    if classification != Classification.DYSFUNCTION and data.get("dysfunction_direction"):
        errors["dysfunction_direction"] = [_("Only a dysfunction has a direction here.")]
    if classification == Classification.OTHER and not data.get("other_subtype"):
        errors["other_subtype"] = [_("Say which kind of other, or “Other”.")]
    if classification != Classification.OTHER and data.get("other_subtype"):
        errors["other_subtype"] = [_("Only the classification “Other” has a kind.")]
    movements = [test.get("movement") for test in tests]
    if len(set(movements)) != len(movements) or not set(movements) <= set(MovementTestKind.values):
        errors["tests"] = [_("Each movement is tested once, from the listed movements.")]
    if data.get("assessed_on") and data["assessed_on"] > timezone.localdate():
        errors["assessed_on"] = [_("This is in the future.")]
    if errors:
        raise ValidationError(errors)


def _fingerprint(data: dict[str, Any], tests: Sequence[dict[str, Any]], risk: Any) -> str:
    body = {"fields": data, "tests": list(tests), "risk_factors": risk}
    text = json.dumps(body, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


@transaction.atomic
def record_assessment(
    *,
    patient: Patient,
    by: Any,
    data: dict[str, Any],
    tests: Sequence[dict[str, Any]] = (),
    risk_factors: Sequence[str] | None = None,
    client_id: UUID | None = None,
) -> tuple[Assessment, bool]:
    """Store an assessment with its movement tests; (assessment, created).

    In the same transaction the patient's record takes the assessment's baseline:
    where the pain reaches becomes the safety reference before any log
    (`starting_location`), with the classification, the directional preference and
    the painful side; `risk_factors` (None: unchanged) replaces the patient's risk
    history, which lives on the patient only. A `client_id` seen before returns the
    stored assessment if the request is the same, and raises ClientIdReused if not.
    """
    data = {name: data[name] for name in FIELDS if name in data}
    for name in ("worse_with", "better_with"):
        if data.get(name):
            data[name] = list(dict.fromkeys(data[name]))  # each activity once, in order
    tests = [{name: test.get(name, "") for name in TEST_FIELDS} for test in tests]
    if risk_factors is not None:
        risk_factors = [code for code in RiskFactor.values if code in set(risk_factors)]
    fingerprint = _fingerprint(data, tests, risk_factors) if client_id else ""
    # The patient's row lock: two copies of one request wait for each other, and the
    # second finds the first by its client_id.
    Patient.objects.select_for_update().filter(pk=patient.pk).values_list("pk").first()
    if client_id is not None:
        existing = Assessment.objects.filter(patient=patient, client_id=client_id).first()
        if existing is not None:
            if existing.client_fingerprint != fingerprint:
                raise ClientIdReused
            return existing, False
    check_assessment(data, tests)
    assessment = Assessment.objects.create(
        patient=patient, created_by=by, client_id=client_id, client_fingerprint=fingerprint, **data
    )
    MovementTest.objects.bulk_create(MovementTest(assessment=assessment, **test) for test in tests)
    _set_baseline(patient, assessment, risk_factors)
    return assessment, True


def _set_baseline(patient: Patient, assessment: Assessment, risk_factors: list[str] | None) -> None:
    patient.starting_location = assessment.location
    patient.classification = assessment.classification
    patient.directional_preference = assessment.directional_preference
    fields = ["starting_location", "classification", "directional_preference", "updated_at"]
    if assessment.painful_side:
        patient.painful_side = assessment.painful_side
        fields.append("painful_side")
    if risk_factors is not None:
        patient.risk_factors = risk_factors
        fields.append("risk_factors")
    patient.save(update_fields=fields)
