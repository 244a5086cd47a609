"""Adherence: sessions logged against sessions prescribed, on a frozen clock.

The clock is moved to each moment a patient acts (activation, logs), then to
"now" (Wednesday 11 March 2026, 14:00 unless said), where the figures are read.
"""

from dataclasses import replace
from datetime import UTC, datetime, time
from io import StringIO
from zoneinfo import ZoneInfo

import pytest

from exercises.models import Exercise
from patients.models import Patient
from prescriptions.adherence import item_sessions, patient_figures, store_for
from prescriptions.models import Prescription
from prescriptions.services import (
    ItemSpec,
    create_prescription,
    raise_inactivity_alerts,
    record_symptom_log,
    revise_prescription,
    set_waking_hours,
)


def at(day: int, hour: int, minute: int = 0, *, month: int = 3, tz=UTC) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=tz)


@pytest.fixture
def program(patient, therapist, frozen_clock):
    """Start a program of two exercises with `times_per_day` or `every_hours` at `when`."""

    def start(when: datetime, *, times_per_day=None, every_hours=None) -> Prescription:
        frozen_clock.move_to(when)
        exercises = list(Exercise.objects.filter(clinic__isnull=True).order_by("pk")[:2])
        items = [
            ItemSpec.from_exercise(exercise, times_per_day=times_per_day, every_hours=every_hours)
            for exercise in exercises
        ]
        return create_prescription(patient=patient, by=therapist, items=items, activate=True)

    return start


@pytest.fixture
def log_at(patient, frozen_clock):
    """A log of the program's first exercise at `when` (the clock is moved there)."""

    def log(when: datetime) -> None:
        frozen_clock.move_to(when)
        program = Prescription.objects.get(patient=patient, status="active")
        item = program.items.order_by("position").first()
        record_symptom_log(
            patient=patient,
            item=item,
            logged_at=when,
            pain=3,
            location="central",
            during="no_effect",
            after="no_worse",
            sets_done=1,
            repetitions_done=10,
        )

    return log


def three_a_day(program, therapist) -> Prescription:
    """The next version of `program`: the same exercises, three times a day."""
    return revise_prescription(
        prescription=program,
        items=[
            replace(ItemSpec.from_item(item), times_per_day=3, every_hours=None)
            for item in program.items.all()
        ],
        by=therapist,
    )


def figures_at(patient, frozen_clock, when: datetime):
    frozen_clock.move_to(when)
    return patient_figures(Patient.objects.get(pk=patient.pk))


def test_once_a_day_counts_days_with_a_log_and_not_the_day_still_going(
    patient, program, log_at, frozen_clock
):
    program(at(1, 9), times_per_day=1)
    log_at(at(5, 10))
    log_at(at(7, 10))
    log_at(at(7, 18))  # a second log the same day is the same session
    log_at(at(10, 21, 30))  # after bedtime: still that day's session
    figures = figures_at(patient, frozen_clock, at(11, 14))
    # 5 to 11 March: today's session is not due before 20:00, three of six days logged.
    assert (figures.week.logged, figures.week.due, figures.percent) == (3, 6, 50)
    # 26 February to 4 March: the program ran from 1 March, nothing logged.
    assert (figures.previous_week.logged, figures.previous_week.due) == (0, 4)
    assert figures.trend == "up"
    assert (figures.since_start.logged, figures.since_start.due) == (3, 10)
    assert figures.today.slots == ("open",)
    assert figures.streak == 1
    # Once the evening has passed without a log, today counts as missed.
    late = figures_at(patient, frozen_clock, at(11, 20, 1))
    assert (late.week.logged, late.week.due, late.streak) == (3, 7, 0)


def test_six_a_day_counts_each_two_hour_slot_once(patient, program, log_at, frozen_clock):
    program(at(10, 7), times_per_day=6)
    for hour, minute in ((8, 30), (9, 45), (12, 10), (19, 0)):
        log_at(at(10, hour, minute))
    log_at(at(11, 8, 5))
    log_at(at(11, 11, 0))
    figures = figures_at(patient, frozen_clock, at(11, 14, 30))
    # "2 of 6 sessions today": 8-10 and 10-12 done, 12-14 missed, three still to come.
    assert (figures.today.logged, figures.today.prescribed) == (2, 6)
    assert figures.today.slots == ("done", "done", "missed", "open", "open", "open")
    # Yesterday 3 of 6 (08:30 and 09:45 are one session), today 2 of 3 due so far.
    assert (figures.week.logged, figures.week.due) == (5, 9)
    assert figures.streak == 0


def test_every_two_hours_fits_the_waking_hours(patient, program, log_at, frozen_clock):
    assert (
        item_sessions(times_per_day=None, every_hours=2, wake_start=time(8), wake_end=time(20)) == 6
    )
    assert (
        item_sessions(times_per_day=None, every_hours=2, wake_start=time(7), wake_end=time(22)) == 8
    )
    Patient.objects.filter(pk=patient.pk).update(wake_start=time(7), wake_end=time(22))
    program(at(10, 6), every_hours=2)
    for hour in (7, 9, 11, 13, 15, 17, 19, 21):
        log_at(at(10, hour, 15))
    figures = figures_at(patient, frozen_clock, at(11, 6))
    assert figures.calendar[-2].slots == ("done",) * 8
    assert figures.calendar[-2].kept_up
    assert figures.streak == 1


@pytest.mark.any_hour
def test_logs_either_side_of_midnight_count_for_their_own_day(
    patient, program, log_at, frozen_clock
):
    program(at(8, 12), times_per_day=2)
    log_at(at(9, 23, 50))  # late on the 9th: the 9th's evening session
    log_at(at(10, 0, 30))  # just after midnight: the 10th's morning session
    figures = figures_at(patient, frozen_clock, at(11, 14))
    ninth, tenth = figures.calendar[-3], figures.calendar[-2]
    assert ninth.slots == ("missed", "done")
    assert tenth.slots == ("done", "missed")


def clinic_zone(patient, name):
    """The patient's clinic now keeps the time zone `name`."""
    patient.clinic.time_zone = name
    patient.clinic.save(update_fields=["time_zone"])


def test_days_follow_the_clinic_time_zone_across_a_clock_change(
    patient, program, log_at, frozen_clock, settings
):
    """Spain moves its clocks forward on 29 March 2026: the waking hours stay wall
    clock hours, and a log at 08:30 local time is that day's first session."""
    clinic_zone(patient, "Europe/Madrid")
    madrid = ZoneInfo("Europe/Madrid")
    program(at(27, 9, month=3, tz=madrid), times_per_day=6)
    log_at(at(28, 19, 30, tz=madrid))  # 18:30 UTC: the 28th's last session
    log_at(at(29, 8, 30, tz=madrid))  # 06:30 UTC, after the change: the 29th's first
    log_at(at(29, 19, 59, tz=madrid))  # 17:59 UTC: still the 29th's last session
    figures = figures_at(patient, frozen_clock, at(30, 7, tz=madrid))
    saturday, sunday = figures.calendar[-3], figures.calendar[-2]
    assert saturday.slots[-1] == "done" and saturday.logged == 1
    assert sunday.slots == ("done", "missed", "missed", "missed", "missed", "done")
    # In UTC both logs of the 29th would have fallen in other slots.
    clinic_zone(patient, "UTC")
    from prescriptions.summary import rebuild_adherence

    rebuild_adherence()
    utc = figures_at(patient, frozen_clock, at(30, 7, tz=madrid))
    assert utc.calendar[-2].slots != sunday.slots


def test_a_patient_activated_minutes_ago_has_nothing_due(patient, program, frozen_clock):
    program(at(11, 13, 50), times_per_day=3)
    figures = figures_at(patient, frozen_clock, at(11, 14))
    assert figures.started
    assert figures.percent is None
    assert figures.level == "neutral"
    assert str(figures.label) == "New: nothing due yet"


def test_a_program_revised_mid_week_counts_each_day_with_its_own_version(
    patient, therapist, program, log_at, frozen_clock
):
    first = program(at(4, 9), times_per_day=1)
    for day in (5, 6, 7, 8):
        log_at(at(day, 10))
    frozen_clock.move_to(at(9, 9, 30))
    log_at(at(9, 10))
    frozen_clock.move_to(at(9, 12))
    three_a_day(first, therapist)
    for hour in (9, 13, 17):
        log_at(at(10, hour))
    log_at(at(11, 9))
    figures = figures_at(patient, frozen_clock, at(11, 14))
    # 5-8 March once a day, all logged; the 9th under the new version: 1 of 3; the
    # 10th: 3 of 3; today: the morning session logged, the rest still to come.
    assert [day.prescribed for day in figures.calendar] == [1, 1, 1, 1, 3, 3, 3]
    assert (figures.week.logged, figures.week.due) == (9, 11)
    assert figures.streak == 1
    # The count did not restart at the revision.
    assert figures.since_start.due == 12


def test_each_log_adds_its_slot_and_the_store_matches_a_recount_from_all_logs(
    patient, therapist, program, log_at, frozen_clock, settings
):
    # A log write adds its own slot to the stored adherence instead of reading all the
    # patient's logs again; after any mix of logs the result is what a recount gives.
    clinic_zone(patient, "Asia/Kolkata")  # half-hour offset: local days are not UTC days
    zone = ZoneInfo("Asia/Kolkata")
    first = program(at(4, 9, tz=zone), every_hours=2)
    moments = [
        at(3, 12, tz=zone),  # before the program began: not counted
        at(4, 7, 59, tz=zone),  # before waking hours on the first day: first slot
        at(4, 10, tz=zone),
        at(4, 10, 5, tz=zone),  # same slot twice
        at(5, 0, 10, tz=zone),  # just after local midnight
        at(5, 19, 59, tz=zone),
        at(5, 23, 30, tz=zone),  # after waking hours: last slot
    ]
    for moment in moments:
        log_at(moment)
    frozen_clock.move_to(at(6, 12, tz=zone))
    three_a_day(first, therapist)
    for moment in (at(6, 13, tz=zone), at(5, 14, tz=zone), at(7, 9, tz=zone)):
        log_at(moment)  # the 5 March one is back-dated, into the first version's day
    stored = Patient.objects.get(pk=patient.pk)
    assert stored.adherence == store_for(stored)
    assert stored.adherence["days"]["2026-03-04"] == 0b11  # 07:59 and 10:00-10:05
    assert "2026-03-03" not in stored.adherence["days"]


# --- a change of waking hours ------------------------------------------------------


def test_new_waking_hours_count_from_today_and_leave_the_days_before_as_they_were(
    patient, program, log_at, frozen_clock
):
    program(at(9, 7), times_per_day=3)  # 08-12, 12-16, 16-20
    for day in (9, 10):
        for hour in (9, 13, 17):
            log_at(at(day, hour))
    before = figures_at(patient, frozen_clock, at(11, 7))
    assert [day.kept_up for day in before.calendar[-3:-1]] == [True, True]
    # The patient now gets up at 06:00 and goes to bed at 23:00 (06-11:40, 11:40-17:20,
    # 17:20-23): counted with those hours, 13:00 and 17:00 would be one session.
    set_waking_hours(patient=patient, wake_start=time(6), wake_end=time(23))
    log_at(at(11, 11, 50))
    after = figures_at(patient, frozen_clock, at(11, 18))
    assert [day.kept_up for day in after.calendar[-3:-1]] == [True, True]
    assert (after.week.logged, after.streak) == (7, 2)
    # Today is counted with the new hours: 11:50 is the second session of three.
    assert after.today.slots == ("missed", "done", "open")
    stored = Patient.objects.get(pk=patient.pk)
    assert stored.earlier_waking_hours == [["2026-03-10", "08:00:00", "20:00:00"]]
    # The log written after the change counted in the stored figures as a recount does.
    assert stored.adherence == store_for(stored)


def test_every_n_hours_keeps_each_past_days_number_of_sessions(
    patient, program, log_at, frozen_clock
):
    program(at(9, 7), every_hours=2)  # six sessions over 08-20
    for hour in (8, 10, 12, 14, 16, 18):
        log_at(at(10, hour, 30))
    frozen_clock.move_to(at(11, 7))
    set_waking_hours(patient=patient, wake_start=time(7), wake_end=time(23))  # eight
    figures = figures_at(patient, frozen_clock, at(12, 6))
    yesterday, day_before = figures.calendar[-2], figures.calendar[-3]
    assert day_before.slots == ("done",) * 6 and day_before.kept_up
    assert len(yesterday.slots) == 8 and yesterday.logged == 0


def test_two_changes_on_one_day_keep_the_hours_that_applied_the_day_before(
    patient, program, frozen_clock
):
    program(at(9, 7), times_per_day=2)
    frozen_clock.move_to(at(11, 9))
    set_waking_hours(patient=patient, wake_start=time(6), wake_end=time(22))
    set_waking_hours(patient=patient, wake_start=time(7), wake_end=time(21))
    set_waking_hours(patient=patient, wake_start=time(7), wake_end=time(21))  # no change
    frozen_clock.move_to(at(13, 9))
    set_waking_hours(patient=patient, wake_start=time(9), wake_end=time(21))
    stored = Patient.objects.get(pk=patient.pk)
    assert stored.earlier_waking_hours == [
        ["2026-03-10", "08:00:00", "20:00:00"],
        ["2026-03-12", "07:00:00", "21:00:00"],
    ]
    assert stored.adherence == store_for(stored)


# --- the "not keeping up" rule -------------------------------------------------


def daily_logs(log_at, days, hours):
    for day in days:
        for hour in hours:
            log_at(at(day, hour))


def test_too_few_sessions_over_a_week_raises_one_grouped_alert(
    patient, program, log_at, frozen_clock
):
    from django.core.management import call_command

    from prescriptions.models import Alert

    program(at(1, 7), times_per_day=3)
    daily_logs(log_at, range(1, 12), [9])  # one session of three, every day
    frozen_clock.move_to(at(11, 14))
    out = StringIO()
    call_command("check_inactivity", stdout=out)
    assert "1 new" in out.getvalue()
    alert = Alert.objects.get(patient=patient)
    assert alert.kind == "no_logs" and alert.is_open
    # 5-10 March: 1 of 3 each; today 8-12 logged, the rest not due yet.
    assert alert.message == "7 of 19 sessions logged over the last 7 days (37%)."
    assert alert.get_kind_display() == "Not keeping up with the program"
    # Grouped: a second run while it is open raises nothing new.
    assert raise_inactivity_alerts() == []
    assert Alert.objects.filter(patient=patient).count() == 1
    assert Patient.objects.get(pk=patient.pk).open_alerts == 1


def test_keeping_up_over_half_or_a_week_not_yet_full_raises_nothing(
    patient, other_patient, therapist, program, log_at, frozen_clock
):
    program(at(1, 7), times_per_day=3)
    daily_logs(log_at, range(1, 12), [9, 13])  # two sessions of three: 13 of 19
    frozen_clock.move_to(at(11, 14))
    assert raise_inactivity_alerts() == []
    # Nothing logged by a patient who started two days ago: under the threshold, but
    # neither a whole week of program nor the clinic's three days without a log.
    frozen_clock.move_to(at(9, 9))
    create_prescription(
        patient=other_patient,
        by=therapist,
        items=[
            ItemSpec.from_exercise(
                Exercise.objects.filter(clinic__isnull=True).first(), times_per_day=6
            )
        ],
        activate=True,
    )
    frozen_clock.move_to(at(11, 14))
    assert raise_inactivity_alerts(patients=Patient.objects.filter(pk=other_patient.pk)) == []


def test_no_log_for_the_clinics_days_raises_the_alert_and_a_zero_threshold_keeps_only_that(
    patient, clinic, program, log_at, frozen_clock
):
    clinic.adherence_alert_percent = 0
    clinic.save()
    program(at(1, 7), times_per_day=3)
    daily_logs(log_at, range(1, 8), [9])  # a third of the sessions, then nothing
    frozen_clock.move_to(at(10, 8, 59))
    assert raise_inactivity_alerts() == []  # 2 days 23 hours: not yet 3 days
    frozen_clock.move_to(at(10, 9, 1))
    [alert] = raise_inactivity_alerts()
    assert alert.message == "No log since 2026-03-07."
