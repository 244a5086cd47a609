"""Demo assessments for `seed_demo`: every demo patient has one, and Maria has a
reassessment showing centralization. Skips a patient who already has any, so running
the command again adds nothing. Kept apart from the command like demo_outcomes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from assessments.models import Assessment
from assessments.services import record_assessment
from clinics.models import Clinic
from patients.models import Patient

CENTRALIZES = ("centralize", "better")


def _test(movement: str, during: str, after: str, range_effect: str = "") -> dict[str, str]:
    return {"movement": movement, "during": during, "after": after, "range_effect": range_effect}


# external id -> the therapist's username and the visits, oldest first:
# (days ago, fields, movement tests).
DEMO: dict[str, tuple[str, list[tuple[int, dict[str, Any], list[dict[str, str]]]]]] = {
    "RV-1001": (  # Maria: extension derangement; centralized at the reassessment.
        "anna",
        [
            (
                15,
                {
                    "onset": "Bending to lift a laundry basket, three weeks ago",
                    "duration_weeks": 3,
                    "earlier_episodes": 2,
                    "pattern": "intermittent",
                    "worse_with": ["sitting", "bending", "mornings"],
                    "better_with": ["walking", "lying"],
                    "back_pain": 5,
                    "leg_pain": 7,
                    "location": "thigh",
                    "painful_side": "left",
                    "reflexes": "normal",
                    "sensation": "normal",
                    "power": "normal",
                    "classification": "derangement",
                    "directional_preference": "extension",
                },
                [
                    _test("flexion_standing", "peripheralize", "worse", "decreased"),
                    _test("extension_standing", "decrease", "no_worse", "increased"),
                    _test("extension_lying", "centralize", "better", "increased"),
                ],
            ),
            (
                4,
                {
                    "onset": "Bending to lift a laundry basket",
                    "pattern": "intermittent",
                    "worse_with": ["sitting"],
                    "better_with": ["walking", "lying"],
                    "back_pain": 4,
                    "leg_pain": 0,
                    "location": "one_side",
                    "painful_side": "left",
                    "classification": "derangement",
                    "directional_preference": "extension",
                    "note": "Leg pain gone; one-sided back pain left, eased by press-ups.",
                },
                [_test("extension_lying", "abolish", "better", "increased")],
            ),
        ],
    ),
    "RV-1002": (  # James: stenosis, better bending forward.
        "ben",
        [
            (
                7,
                {
                    "onset": "Gradual, over a year",
                    "pattern": "intermittent",
                    "worse_with": ["standing", "walking"],
                    "better_with": ["sitting", "bending"],
                    "back_pain": 4,
                    "leg_pain": 3,
                    "location": "buttock",
                    "painful_side": "both",
                    "classification": "other",
                    "directional_preference": "flexion",
                    "other_subtype": "stenosis",
                },
                [
                    _test("extension_standing", "increase", "no_better", "decreased"),
                    _test("flexion_lying", "decrease", "better", "increased"),
                    _test("flexion_standing", "decrease", "no_worse"),
                ],
            )
        ],
    ),
    "RV-1003": (  # Tom: one-sided pain that sagittal movements do not change.
        "anna",
        [
            (
                9,
                {
                    "onset": "Woke up with it after a long drive",
                    "pattern": "constant",
                    "worse_with": ["sitting", "bending"],
                    "back_pain": 6,
                    "leg_pain": 2,
                    "location": "buttock",
                    "painful_side": "right",
                    "classification": "derangement",
                    "directional_preference": "extension",
                },
                [
                    _test("extension_lying", "no_effect", "no_better"),
                    _test("side_glide_right", "centralize", "better", "increased"),
                ],
            )
        ],
    ),
    "RV-1004": (  # Aisha: postural syndrome, pain only with prolonged slouched sitting.
        "anna",
        [
            (
                3,
                {
                    "onset": "Since starting a desk job",
                    "pattern": "intermittent",
                    "worse_with": ["sitting", "evenings"],
                    "better_with": ["walking"],
                    "back_pain": 2,
                    "leg_pain": 0,
                    "location": "central",
                    "painful_side": "central",
                    "classification": "postural",
                },
                [
                    _test("sustained_flexion", "produce", "no_effect"),
                    _test("flexion_standing", "no_effect", "no_effect"),
                    _test("extension_standing", "no_effect", "no_effect"),
                ],
            )
        ],
    ),
    "RV-1005": (  # Lucia: extension derangement with one-sided back pain.
        "anna",
        [
            (
                7,
                {
                    "onset": "Gardening",
                    "pattern": "intermittent",
                    "worse_with": ["bending", "mornings"],
                    "better_with": ["walking"],
                    "back_pain": 4,
                    "leg_pain": 0,
                    "location": "one_side",
                    "painful_side": "left",
                    "classification": "derangement",
                    "directional_preference": "extension",
                },
                [_test("extension_lying", "decrease", "no_worse", "increased")],
            )
        ],
    ),
    "RV-1006": (  # Daniel: assessed before his discharged episode.
        "anna",
        [
            (
                61,
                {
                    "onset": "Lifting a sofa",
                    "pattern": "constant",
                    "worse_with": ["sitting", "bending"],
                    "better_with": ["lying"],
                    "back_pain": 6,
                    "leg_pain": 7,
                    "location": "thigh",
                    "painful_side": "right",
                    "classification": "derangement",
                    "directional_preference": "extension",
                },
                [
                    _test("flexion_standing", "increase", "worse"),
                    _test("extension_lying", "centralize", "better", "increased"),
                ],
            )
        ],
    ),
    "NG-2001": (  # Henrik, at the other clinic.
        "nora",
        [
            (
                3,
                {
                    "pattern": "intermittent",
                    "worse_with": ["sitting"],
                    "back_pain": 5,
                    "leg_pain": 3,
                    "location": "buttock",
                    "painful_side": "left",
                    "classification": "derangement",
                    "directional_preference": "extension",
                },
                [_test("extension_lying", "centralize", "better")],
            )
        ],
    ),
}


def seed_assessments(*, clinics: dict[str, Clinic], users: dict[str, Any]) -> None:
    today = timezone.localdate()
    patients = Patient.objects.filter(clinic__in=clinics.values(), external_id__in=DEMO)
    assessed = set(
        Assessment.objects.filter(patient__in=patients).values_list("patient_id", flat=True)
    )
    for patient in patients:
        if patient.pk in assessed:
            continue
        username, visits = DEMO[patient.external_id]
        for days_ago, fields, tests in visits:
            record_assessment(
                patient=patient,
                by=users[username],
                data={**fields, "assessed_on": today - timedelta(days=days_ago)},
                tests=tests,
            )
