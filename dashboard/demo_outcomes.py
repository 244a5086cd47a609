"""Demo outcome measures for `seed_demo`: Maria's episode with measures that
improve, and Daniel, discharged three weeks ago with his summary to print.
Kept apart from the command so that other demo additions do not collide with it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from clinics.models import Clinic
from patients.models import Classification, DirectionalPreference, Patient
from prescriptions.models import Episode, Prescription, SymptomLog
from prescriptions.outcomes import end_episode, record_outcome_measure
from prescriptions.services import record_symptom_log

ACTIVITIES = ["Sitting through a film", "Putting on socks", "Lifting my grandson"]


def _set(
    patient: Patient, days_ago: float, *, pain: tuple[int, int, int], able: int, groc: int | None
) -> None:
    when = timezone.now() - timedelta(days=days_ago)
    now, best, worst = pain
    record_outcome_measure(
        patient=patient,
        instrument="nprs",
        answers={"pain_now": now, "pain_best": best, "pain_worst": worst},
        source="portal",
        taken_at=when,
    )
    record_outcome_measure(
        patient=patient,
        instrument="psfs",
        answers={
            "activities": [
                {"activity": name, "score": min(10, able + shift)}
                for name, shift in zip(ACTIVITIES, (1, 0, -1), strict=True)
            ]
        },
        source="portal",
        taken_at=when + timedelta(minutes=1),
    )
    if groc is not None:
        record_outcome_measure(
            patient=patient,
            instrument="groc",
            answers={"change": groc},
            source="portal",
            taken_at=when + timedelta(minutes=2),
        )


def seed_outcomes(*, maria: Patient, clinic: Clinic, by: Any, program: Any) -> None:
    """`program(patient, by, slug, first, started_days_ago)` makes an active program."""
    maria.refresh_from_db()
    if not Episode.objects.filter(patient=maria).exists():
        _set(maria, 14.9, pain=(7, 4, 9), able=3, groc=None)
        _set(maria, 1, pain=(3, 1, 5), able=6, groc=5)

    daniel, _ = Patient.objects.get_or_create(
        clinic=clinic,
        external_id="RV-1006",
        defaults={
            "first_name": "Daniel",
            "last_name": "Okafor",
            "date_of_birth": timezone.localdate().replace(year=timezone.localdate().year - 41),
            "classification": Classification.DERANGEMENT,
            "directional_preference": DirectionalPreference.EXTENSION,
            "created_by": by,
        },
    )
    if Episode.objects.filter(patient=daniel).exists():
        return
    prescription = program(daniel, by, "extension", first=3, started_days_ago=60)
    item = prescription.items.order_by("position").first()
    for days_ago, pain, location in [
        (59, 7, "thigh"),
        (55, 6, "buttock"),
        (50, 5, "buttock"),
        (45, 4, "one_side"),
        (38, 3, "one_side"),
        (31, 2, "central"),
        (24, 1, "central"),
    ]:
        record_symptom_log(
            patient=daniel,
            item=item,
            pain=pain,
            location=location,
            during="centralize",
            after="better",
            sets_done=1,
            repetitions_done=10,
            logged_at=timezone.now() - timedelta(days=days_ago),
            source=SymptomLog.Source.PORTAL,
        )
    daniel.refresh_from_db()
    _set(daniel, 59.9, pain=(7, 5, 9), able=2, groc=None)
    _set(daniel, 45, pain=(5, 3, 7), able=4, groc=3)
    _set(daniel, 31, pain=(3, 1, 5), able=7, groc=5)
    _set(daniel, 21, pain=(1, 0, 2), able=9, groc=6)
    episode = end_episode(
        patient=daniel,
        by=by,
        summary_note="Pain centralized and abolished; back to full work and gardening.",
        referring_doctor="Dr Amara Osei",
    )
    ended = timezone.now() - timedelta(days=20)
    Episode.objects.filter(pk=episode.pk).update(ended_at=ended)
    Prescription.objects.filter(patient=daniel, ended_at__isnull=False).update(ended_at=ended)
