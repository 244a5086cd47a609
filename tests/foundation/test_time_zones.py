"""Each patient's days run in their own time zone, else their clinic's: adherence days,
the daily red-flag questions and reminders. Two patients of one clinic, one in
Los Angeles (UTC-7 in March, after the US clock change of 8 March 2026) and one in
Kolkata (UTC+5:30), on a frozen clock; stored times stay UTC."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from exercises.models import Exercise
from patients.models import Patient
from prescriptions import red_flags
from prescriptions.adherence import patient_figures
from prescriptions.models import Prescription, RedFlagCheck, SymptomLog
from prescriptions.services import (
    ItemSpec,
    create_prescription,
    record_red_flag_check,
    record_symptom_log,
    red_flags_due,
)
from prescriptions.time_zones import clinic_time_zone_changed, set_time_zone
from reminders.models import ReminderPlan
from reminders.services import due_reminders
from tests.factories import make_patient

LOS_ANGELES = ZoneInfo("America/Los_Angeles")
KOLKATA = ZoneInfo("Asia/Kolkata")


def utc(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def west(clinic):
    return make_patient(clinic, time_zone="America/Los_Angeles")


@pytest.fixture
def east(clinic):
    return make_patient(clinic, time_zone="Asia/Kolkata")


def start_program(patient, therapist, frozen_clock, when, times_per_day=2) -> Prescription:
    frozen_clock.move_to(when)
    exercise = Exercise.objects.filter(clinic__isnull=True).order_by("pk").first()
    items = [ItemSpec.from_exercise(exercise, times_per_day=times_per_day, every_hours=None)]
    return create_prescription(patient=patient, by=therapist, items=items, activate=True)


def log_at(patient, frozen_clock, when) -> SymptomLog:
    frozen_clock.move_to(when)
    item = Prescription.objects.get(patient=patient, status="active").items.get()
    return record_symptom_log(
        patient=patient,
        item=item,
        logged_at=when,
        pain=3,
        location="central",
        during="no_effect",
        after="no_worse",
        sets_done=1,
        repetitions_done=10,
    ).log


def test_a_patient_without_a_zone_of_their_own_keeps_the_clinics(clinic, patient, east):
    clinic.time_zone = "Europe/Madrid"
    clinic.save()
    patient.refresh_from_db()
    assert patient.zone == ZoneInfo("Europe/Madrid")
    assert east.zone == KOLKATA


def test_the_local_day_is_the_patients_near_midnight(west, east, frozen_clock):
    frozen_clock.move_to(utc(11, 0, 30))
    assert str(west.local_date()) == "2026-03-10"  # 17:30 the evening before
    assert str(east.local_date()) == "2026-03-11"  # 06:00
    frozen_clock.move_to(utc(11, 23, 50))
    assert str(west.local_date()) == "2026-03-11"  # 16:50
    assert str(east.local_date()) == "2026-03-12"  # 05:20 the next morning


def test_a_late_evening_log_counts_for_the_evening_of_the_patients_own_day(
    west, therapist, frozen_clock
):
    start_program(west, therapist, frozen_clock, utc(9, 16))  # 09:00 in Los Angeles
    log_at(west, frozen_clock, utc(11, 6, 30))  # 23:30 on the 10th in Los Angeles

    stored = Patient.objects.get(pk=west.pk)
    assert stored.adherence["days"] == {"2026-03-10": 0b10}  # the 10th's evening session
    frozen_clock.move_to(utc(11, 20))
    figures = patient_figures(stored)
    assert figures.today.day.isoformat() == "2026-03-11"
    assert figures.calendar[-2].slots == ("missed", "done")


def test_an_early_morning_log_counts_for_the_morning_of_the_patients_own_day(
    east, therapist, frozen_clock
):
    start_program(east, therapist, frozen_clock, utc(9, 4))  # 09:30 in Kolkata
    log_at(east, frozen_clock, utc(10, 18, 40))  # 00:10 on the 11th in Kolkata

    stored = Patient.objects.get(pk=east.pk)
    assert stored.adherence["days"] == {"2026-03-11": 0b01}  # the 11th's first session
    frozen_clock.move_to(utc(11, 19))  # 00:30 on the 12th in Kolkata: the 11th is over
    figures = patient_figures(stored)
    assert figures.today.day.isoformat() == "2026-03-12"
    assert figures.calendar[-2].slots == ("done", "missed")


@pytest.mark.hazard("H-02")
@pytest.mark.any_hour
def test_the_daily_questions_follow_each_patients_day(west, east, clock_at):
    # At 00:30 UTC on the 11th it is 17:30 on the 10th in Los Angeles and 06:00 on the
    # 11th in Kolkata; at 23:50 UTC, 16:50 on the 11th and 05:20 on the 12th.
    answered_on = {"00:30": date(2026, 3, 10), "23:50": date(2026, 3, 11)}[clock_at]
    for patient in (west, east):
        # Leg symptoms: the emergency questions are asked every day, not weekly.
        patient.starting_location = "thigh"
        patient.save(update_fields=["starting_location"])
        RedFlagCheck.objects.create(
            patient=patient, checked_on=answered_on, asked=list(red_flags.QUESTION_CODES)
        )

    # Los Angeles answered today; in Kolkata that was yesterday: asked again.
    assert red_flags_due(west) is False
    assert red_flags_due(east) is True


def test_an_answer_is_filed_under_the_patients_day(west, frozen_clock):
    frozen_clock.move_to(utc(11, 3))  # 20:00 on the 10th in Los Angeles
    check, _alert = record_red_flag_check(patient=west, answered_yes=[])
    assert check.checked_on.isoformat() == "2026-03-10"


def test_reminders_come_at_each_patients_own_clock_time(west, east, therapist, frozen_clock):
    for patient in (west, east):
        start_program(patient, therapist, frozen_clock, utc(10, 12))
        ReminderPlan.objects.create(patient=patient, times=["08:00"], by_email=True)

    due = due_reminders(utc(11, 2, 30).replace(second=5))  # 08:00 in Kolkata
    assert [(d.patient_id, d.slot) for d in due] == [(east.pk, utc(11, 2, 30))]
    due = due_reminders(utc(11, 15).replace(second=5))  # 08:00 in Los Angeles
    assert [(d.patient_id, d.slot) for d in due] == [(west.pk, utc(11, 15))]
    assert due_reminders(utc(11, 8).replace(second=5)) == []  # 08:00 UTC: nobody's


def test_a_new_zone_counts_the_stored_days_again(west, therapist, frozen_clock):
    start_program(west, therapist, frozen_clock, utc(9, 16))
    log_at(west, frozen_clock, utc(11, 6, 30))  # 23:30 on the 10th in Los Angeles

    set_time_zone(patient=west, time_zone="Asia/Kolkata")  # 12:00 on the 11th there

    assert Patient.objects.get(pk=west.pk).adherence["days"] == {"2026-03-11": 0b01}


def test_the_clinics_new_zone_recounts_the_patients_who_follow_it(
    clinic, patient, west, therapist, frozen_clock
):
    for someone in (patient, west):
        start_program(someone, therapist, frozen_clock, utc(9, 16))
        log_at(someone, frozen_clock, utc(11, 6, 30))
    clinic.time_zone = "America/Los_Angeles"
    clinic.save()

    assert clinic_time_zone_changed(clinic=clinic) == 1

    assert Patient.objects.get(pk=patient.pk).adherence["days"] == {"2026-03-10": 0b10}


def test_an_unknown_zone_is_refused(west):
    with pytest.raises(ValidationError):
        set_time_zone(patient=west, time_zone="Mars/Olympus_Mons")
    west.refresh_from_db()
    assert west.time_zone == "America/Los_Angeles"
