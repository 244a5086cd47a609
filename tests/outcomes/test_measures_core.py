"""Outcome measures in the core: scores, validation, when they are due, episodes."""

from datetime import timedelta
from decimal import Decimal
from uuid import uuid4

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from prescriptions.models import Episode, OutcomeMeasure, Prescription
from prescriptions.outcome_models import clean_answers
from prescriptions.outcomes import (
    end_episode,
    measure_changes,
    measures_due,
    record_outcome_measure,
    request_discharge_measures,
)

pytestmark = pytest.mark.django_db

PSFS = {
    "activities": [
        {"activity": "Sitting through a film", "score": 3},
        {"activity": "Putting on socks", "score": 4},
        {"activity": "Lifting my grandson", "score": 2},
    ]
}


def due_for(patient, **kwargs):
    patient.refresh_from_db()  # the stored overview says whether a program is in use
    return measures_due(patient, **kwargs)


def record(patient, instrument, answers, **extra):
    return record_outcome_measure(
        patient=patient, instrument=instrument, answers=answers, source="portal", **extra
    )[0]


def test_pain_rating_scores_the_mean_of_now_best_and_worst():
    fields = clean_answers("nprs", {"pain_now": 5, "pain_best": 2, "pain_worst": 8})
    assert fields["score"] == Decimal("5.0")
    assert clean_answers("nprs", {"pain_now": 4, "pain_best": 3, "pain_worst": 7})[
        "score"
    ] == Decimal("4.7")


def test_functional_scale_scores_the_mean_of_the_activities():
    assert clean_answers("psfs", PSFS)["score"] == Decimal("3.0")
    five = {
        "activities": [
            {"activity": f"Task {index}", "score": n} for index, n in enumerate((1, 2, 2, 5, 10))
        ]
    }
    assert clean_answers("psfs", five)["score"] == Decimal("4.0")


def test_functional_scale_refuses_one_activity_listed_twice():
    rows = [
        {"activity": "Walking", "score": 3},
        {"activity": "Sitting", "score": 4},
        {"activity": " walking ", "score": 6},
    ]
    with pytest.raises(ValidationError) as raised:
        clean_answers("psfs", {"activities": rows})
    assert raised.value.message_dict["activities"] == [
        "Activity 3: this activity is already listed."
    ]


def test_global_rating_of_change_is_its_own_score():
    assert clean_answers("groc", {"change": -3})["score"] == Decimal(-3)
    assert clean_answers("groc", {"change": "7"})["change"] == 7


@pytest.mark.parametrize(
    ("instrument", "answers", "field"),
    [
        ("nprs", {"pain_now": 11, "pain_best": 1, "pain_worst": 2}, "pain_now"),
        ("nprs", {"pain_now": 3, "pain_best": 1}, "pain_worst"),
        ("nprs", {"pain_now": 3, "pain_best": 6, "pain_worst": 2}, "pain_best"),
        ("nprs", {"pain_now": 2.5, "pain_best": 1, "pain_worst": 4}, "pain_now"),
        ("psfs", {"activities": PSFS["activities"][:2]}, "activities"),
        ("psfs", {"activities": PSFS["activities"] * 2}, "activities"),
        (
            "psfs",
            {"activities": [*PSFS["activities"][:2], {"activity": "", "score": 3}]},
            "activities",
        ),
        (
            "psfs",
            {"activities": [*PSFS["activities"][:2], {"activity": "Run", "score": -1}]},
            "activities",
        ),
        ("groc", {"change": 8}, "change"),
        ("groc", {}, "change"),
        ("other", {}, "instrument"),
    ],
)
def test_answers_out_of_range_are_refused_by_field(instrument, answers, field):
    with pytest.raises(ValidationError) as raised:
        clean_answers(instrument, answers)
    assert field in raised.value.message_dict


def test_nothing_is_due_without_a_program_in_use(patient):
    assert due_for(patient) is None


def test_the_start_set_is_due_first_without_the_global_rating(prescription):
    due = due_for(prescription.patient)
    assert due.occasion == "start"
    assert due.instruments == ("nprs", "psfs")


@pytest.mark.any_hour
def test_the_review_is_due_after_the_clinic_interval(prescription, frozen_clock):
    patient = prescription.patient
    record(patient, "nprs", {"pain_now": 6, "pain_best": 3, "pain_worst": 8})
    record(patient, "psfs", PSFS)
    assert due_for(patient) is None
    today = timezone.localdate()
    assert due_for(patient, today=today + timedelta(days=13)) is None
    due = due_for(patient, today=today + timedelta(days=14))
    assert due.occasion == "review"
    assert due.instruments == ("nprs", "psfs", "groc")
    patient.clinic.outcome_interval_days = 21
    patient.clinic.save()
    assert due_for(patient, today=today + timedelta(days=14)) is None


@pytest.mark.any_hour
def test_a_set_taken_on_the_due_day_moves_the_next_one_on(prescription, frozen_clock):
    patient = prescription.patient
    record(patient, "nprs", {"pain_now": 6, "pain_best": 3, "pain_worst": 8})
    frozen_clock.shift(timedelta(days=15))
    assert due_for(patient).occasion == "review"
    record(patient, "nprs", {"pain_now": 4, "pain_best": 2, "pain_worst": 6})
    assert due_for(patient) is None
    measure = OutcomeMeasure.objects.filter(patient=patient).first()
    assert measure.occasion == "review"


def test_the_discharge_set_is_due_once_the_therapist_asks(prescription, frozen_clock):
    patient = prescription.patient
    record(patient, "nprs", {"pain_now": 6, "pain_best": 3, "pain_worst": 8})
    frozen_clock.shift(timedelta(days=3))
    request_discharge_measures(patient=patient)
    assert due_for(patient).occasion == "discharge"
    frozen_clock.shift(timedelta(minutes=1))
    measure = record(patient, "groc", {"change": 5})
    assert measure.occasion == "discharge"
    assert due_for(patient) is None


def test_a_client_id_seen_before_stores_nothing_new(prescription):
    patient = prescription.patient
    client_id = uuid4()
    first, created = record_outcome_measure(
        patient=patient, instrument="groc", answers={"change": 2}, source="api", client_id=client_id
    )
    again, created_again = record_outcome_measure(
        patient=patient, instrument="groc", answers={"change": 2}, source="api", client_id=client_id
    )
    assert created and not created_again
    assert again.pk == first.pk
    assert OutcomeMeasure.objects.filter(patient=patient).count() == 1


def test_ending_an_episode_ends_the_program_and_the_next_episode_starts_clean(
    prescription, therapist, frozen_clock
):
    patient = prescription.patient
    record(patient, "nprs", {"pain_now": 6, "pain_best": 3, "pain_worst": 8})
    frozen_clock.shift(timedelta(days=20))
    record(patient, "nprs", {"pain_now": 2, "pain_best": 0, "pain_worst": 3})
    episode = end_episode(patient=patient, by=therapist, summary_note="Goals met.")
    prescription.refresh_from_db()
    assert prescription.status == Prescription.Status.ENDED
    assert episode.ended_at is not None
    assert due_for(patient) is None

    frozen_clock.shift(timedelta(days=60))
    from tests.factories import make_prescription

    make_prescription(patient, therapist)
    assert due_for(patient).occasion == "start"
    record(patient, "nprs", {"pain_now": 7, "pain_best": 4, "pain_worst": 9})
    episodes = list(Episode.objects.filter(patient=patient).order_by("started_at"))
    assert len(episodes) == 2
    assert episodes[0].measures.count() == 2
    assert episodes[1].measures.count() == 1
    assert episodes[1].measures.get().occasion == "start"


def test_the_change_is_judged_against_the_smallest_important_change(prescription, frozen_clock):
    patient = prescription.patient
    record(patient, "nprs", {"pain_now": 6, "pain_best": 3, "pain_worst": 9})
    record(patient, "psfs", PSFS)
    frozen_clock.shift(timedelta(days=14))
    record(patient, "nprs", {"pain_now": 3, "pain_best": 1, "pain_worst": 5})
    record(
        patient,
        "psfs",
        {"activities": [{**a, "score": a["score"] + 1} for a in PSFS["activities"]]},
    )
    changes = {
        c.instrument: c for c in measure_changes(list(OutcomeMeasure.objects.order_by("taken_at")))
    }
    assert changes["nprs"].change == Decimal("-3.0")
    assert changes["nprs"].improvement == Decimal("3.0")
    assert "Improved" in changes["nprs"].verdict
    assert changes["psfs"].change == Decimal("1.0")
    assert "less than" in changes["psfs"].verdict


def test_there_is_nothing_to_end_without_an_episode_or_a_program(patient, therapist):
    with pytest.raises(ValidationError):
        end_episode(patient=patient, by=therapist)
    assert not Episode.objects.exists()
