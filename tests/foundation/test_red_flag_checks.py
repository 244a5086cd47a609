"""The red-flag table's timing rule and `record_red_flag_check`: what is asked when,
what is refused, and which alert each tier raises."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from prescriptions.models import Alert, RedFlagCheck
from prescriptions.red_flags import QUESTION_CODES, Tier, has_leg_symptoms, questions, tiers_due
from prescriptions.services import record_red_flag_check, red_flag_tiers_due, urgent_alert_open

TODAY = date(2026, 3, 10)
EMERGENCY = [q.code for q in questions([Tier.EMERGENCY])]
DOCTOR_TODAY = [q.code for q in questions([Tier.TODAY])]
ALL = list(QUESTION_CODES)


@pytest.mark.parametrize(
    ("leg_symptoms", "asked_on", "due"),
    [
        (False, [], ["emergency", "today"]),
        (True, [], ["emergency", "today"]),
        (True, [(TODAY, ALL)], []),
        (True, [(TODAY - timedelta(days=1), ALL)], ["emergency"]),
        (False, [(TODAY - timedelta(days=1), ALL)], []),
        (False, [(TODAY - timedelta(days=6), ALL)], []),
        (False, [(TODAY - timedelta(days=7), ALL)], ["emergency", "today"]),
        (True, [(TODAY - timedelta(days=3), ALL), (TODAY, EMERGENCY)], []),
        (True, [(TODAY - timedelta(days=7), ALL), (TODAY, EMERGENCY)], ["today"]),
        # A check made before the tiers asked the retired questions too.
        (False, [(TODAY, ["fever_weight_loss", "cancer"])], ["emergency"]),
        # A check dated ahead of the day asked about does not count.
        (False, [(TODAY + timedelta(days=1), ALL)], ["emergency", "today"]),
    ],
)
@pytest.mark.hazard("H-03")
def test_each_tier_is_due_after_its_own_interval(leg_symptoms, asked_on, due):
    assert tiers_due(today=TODAY, leg_symptoms=leg_symptoms, asked_on=asked_on) == due


@pytest.mark.parametrize(
    ("location", "legs"),
    [
        (None, False),
        ("", False),
        ("none", False),
        ("central", False),
        ("one_side", False),
        ("buttock", True),
        ("thigh", True),
        ("below_knee", True),
        ("foot", True),
    ],
)
def test_leg_symptoms_start_at_the_buttock(location, legs):
    assert has_leg_symptoms(location) is legs


def test_the_service_reads_the_weeks_checks_and_the_starting_location(patient):
    assert red_flag_tiers_due(patient) == ["emergency", "today"]
    record_red_flag_check(
        patient=patient, answered_yes=[], on=timezone.localdate() - timedelta(days=1)
    )
    assert red_flag_tiers_due(patient) == []
    patient.starting_location = "below_knee"
    patient.save()
    assert red_flag_tiers_due(patient) == ["emergency"]


@pytest.mark.parametrize(
    ("answered_yes", "asked", "field"),
    [
        (["cancer"], None, "answered_yes"),
        (["fever_weight_loss"], None, "answered_yes"),
        (["headache"], None, "answered_yes"),
        ([], ["cancer"], "asked"),
        (["fever"], EMERGENCY, "answered_yes"),
    ],
)
def test_answers_outside_the_questions_asked_are_refused_and_store_nothing(
    patient, answered_yes, asked, field
):
    with pytest.raises(ValidationError) as error:
        record_red_flag_check(patient=patient, answered_yes=answered_yes, asked=asked)
    assert field in error.value.message_dict
    assert not RedFlagCheck.objects.exists()


def test_a_second_answer_the_same_day_joins_the_days_check_and_raises_only_its_own_tier(
    patient,
):
    _check, first = record_red_flag_check(
        patient=patient, answered_yes=["night_pain"], asked=DOCTOR_TODAY
    )
    assert [(a.kind, a.severity) for a in first] == [("red_flag_today", "warning")]
    assert not urgent_alert_open(patient)
    check, second = record_red_flag_check(
        patient=patient, answered_yes=["urination"], asked=EMERGENCY
    )
    assert [(a.kind, a.severity) for a in second] == [("red_flag", "urgent")]
    assert check.asked == sorted(ALL)
    assert check.answered_yes == ["night_pain", "urination"]
    assert Alert.objects.get(kind="red_flag_today").count == 1
    assert urgent_alert_open(patient)
    # The same yes again the same day raises nothing new.
    _check, again = record_red_flag_check(patient=patient, answered_yes=["urination"])
    assert again == [] and Alert.objects.get(kind="red_flag").count == 1


def test_a_risk_history_makes_the_doctor_today_alert_urgent_but_does_not_pause(patient):
    patient.risk_factors = ["steroids"]
    patient.save()
    _check, [alert] = record_red_flag_check(patient=patient, answered_yes=["weight_loss"])
    assert (alert.kind, alert.severity) == ("red_flag_today", "urgent")
    assert not urgent_alert_open(patient)


@pytest.mark.hazard("H-10")
def test_an_urgent_doctor_today_alert_holds_a_progression_until_acknowledged(patient, therapist):
    from prescriptions.services import accept_suggestion
    from tests.suggestion_factory import make_ready_to_progress

    suggestion = make_ready_to_progress(patient, therapist)
    patient.risk_factors = ["cancer"]
    patient.save()
    record_red_flag_check(patient=patient, answered_yes=["night_pain"])
    with pytest.raises(ValidationError):
        accept_suggestion(suggestion=suggestion, by=therapist)
