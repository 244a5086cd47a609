"""Assessments for tests, stored through the one real path (record_assessment)."""

from __future__ import annotations

from datetime import date
from typing import Any

from assessments.models import Assessment
from assessments.services import record_assessment

EXTENSION_CENTRALIZES = [
    {"movement": "flexion_standing", "during": "peripheralize", "after": "worse"},
    {"movement": "extension_lying", "during": "centralize", "after": "better"},
]


def assessment_data(**fields: Any) -> dict[str, Any]:
    """A complete extension derangement with sciatica to the thigh, as a form sends it."""
    return {
        "assessed_on": date(2026, 3, 2),
        "onset": "Lifting a suitcase",
        "duration_weeks": 3,
        "earlier_episodes": 2,
        "pattern": "intermittent",
        "worse_with": ["sitting", "bending", "mornings"],
        "better_with": ["walking", "lying"],
        "back_pain": 6,
        "leg_pain": 4,
        "location": "thigh",
        "painful_side": "left",
        "classification": "derangement",
        "directional_preference": "extension",
        **fields,
    }


def make_assessment(patient, by, *, tests=EXTENSION_CENTRALIZES, **fields: Any) -> Assessment:
    assessment, _created = record_assessment(
        patient=patient, by=by, data=assessment_data(**fields), tests=tests
    )
    return assessment
