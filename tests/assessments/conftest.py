from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from assessments.services import record_assessment


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


EXTENSION_CENTRALIZES = [
    {"movement": "flexion_standing", "during": "peripheralize", "after": "worse"},
    {"movement": "extension_lying", "during": "centralize", "after": "better"},
]


@pytest.fixture
def assessment(patient, therapist):
    """Paula's first assessment: extension in lying centralizes her thigh pain."""
    recorded, _created = record_assessment(
        patient=patient, by=therapist, data=assessment_data(), tests=EXTENSION_CENTRALIZES
    )
    return recorded
