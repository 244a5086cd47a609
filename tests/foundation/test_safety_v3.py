"""Safety v3 through `record_symptom_log`: each log judged against the reference
location, a spread that persists, recurrence after no pain, pain rise compared like
with like, contradictory answers refused, grouped alerts that keep every finding, and
no progression suggested while the pain lies further out."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from prescriptions.models import Alert, ProgressionSuggestion, SymptomLog
from prescriptions.services import record_symptom_log
from tests.factories import make_prescription


def _log(prescription, *, position=1, days_ago=0.0, **overrides):
    values = {
        "patient": prescription.patient,
        "item": prescription.items.get(position=position),
        "pain": 4,
        "location": "thigh",
        "during": "no_effect",
        "after": "no_worse",
        "sets_done": 1,
        "repetitions_done": 10,
        "logged_at": timezone.now() - timedelta(days=days_ago),
    }
    values.update(overrides)
    return record_symptom_log(**values)


@pytest.fixture
def started_at_thigh(prescription):
    patient = prescription.patient
    patient.starting_location = "thigh"
    patient.save()
    return prescription


@pytest.mark.hazard("H-01")
def test_peripheralization_that_persists_stops_every_log_and_counts_each_day(started_at_thigh):
    """The issue's case: started at the thigh, then 17 logs below the knee over 6 days."""
    outcomes = [
        _log(started_at_thigh, location="below_knee", days_ago=6 - n / 3, during="decrease")
        for n in range(17)
    ]
    assert all(outcome.stop_exercise for outcome in outcomes)
    references = {(o.log.reference_location, o.log.reference_source) for o in outcomes[1:]}
    assert references == {("thigh", "persisting")}
    alert = Alert.objects.get()
    assert (alert.kind, alert.count) == ("peripheralization", 17)
    days = {timezone.localdate(outcome.log.logged_at) for outcome in outcomes}
    assert alert.days_seen == sorted(days) and len(days) == 6
    assert all("below the knee" in finding["message"] for finding in alert.findings)


def test_a_log_back_at_the_reference_ends_the_spread(started_at_thigh):
    _log(started_at_thigh, location="below_knee", days_ago=2)
    _log(started_at_thigh, location="below_knee", days_ago=1)
    back = _log(started_at_thigh, location="thigh", days_ago=0.1)
    assert not back.stop_exercise
    assert back.log.reference_location == "thigh"
    later = _log(started_at_thigh, location="thigh")
    assert not later.stop_exercise


@pytest.mark.hazard("H-01")
def test_a_location_held_for_a_whole_day_becomes_the_reference(prescription):
    for hours in (0, 3, 6):
        _log(prescription, location="one_side", days_ago=2 - hours / 24)
    outcome = _log(prescription, location="buttock", days_ago=1)
    log = SymptomLog.objects.get(pk=outcome.log.pk)
    assert (log.reference_location, log.reference_source) == ("one_side", "held")
    assert log.stop_exercise


@pytest.mark.hazard("H-01")
def test_one_good_moment_is_not_held(prescription):
    patient = prescription.patient
    patient.starting_location = "thigh"
    patient.save()
    _log(prescription, location="one_side", days_ago=1)
    _log(prescription, location="thigh", days_ago=1 - 3 / 24)
    outcome = _log(prescription, location="thigh")
    assert (outcome.log.reference_location, outcome.log.reference_source) == ("thigh", "held")
    assert not outcome.stop_exercise


def test_a_held_day_older_than_the_clinics_reference_days_no_longer_counts(prescription):
    clinic = prescription.patient.clinic
    clinic.reference_days = 2
    clinic.save()
    _log(prescription, location="central", days_ago=3)
    outcome = _log(prescription, location="one_side", days_ago=0)
    assert outcome.log.reference_source == "previous_log"


@pytest.mark.hazard("H-03")
def test_recurrence_after_no_pain_is_a_quiet_note_not_a_stop(prescription):
    _log(prescription, pain=0, location="none", days_ago=1)
    _log(prescription, pain=0, location="none", days_ago=0.1)
    outcome = _log(prescription, pain=3, location="central", during="decrease", after="better")
    assert not outcome.stop_exercise
    assert [finding["kind"] for finding in outcome.findings] == ["recurrence"]
    alert = Alert.objects.get()
    assert (alert.kind, alert.severity, alert.exercise) == ("recurrence", "note", None)
    patient = prescription.patient
    patient.refresh_from_db()
    assert (patient.open_alerts, patient.attention) == (0, 2)


@pytest.mark.hazard("H-01")
def test_from_no_pain_to_the_buttock_is_peripheralization(prescription):
    _log(prescription, pain=0, location="none", days_ago=1)
    outcome = _log(prescription, pain=3, location="buttock")
    assert outcome.stop_exercise
    assert "peripheralization" in {finding["kind"] for finding in outcome.findings}


@pytest.mark.hazard("H-03")
def test_centralization_with_more_pain_raises_no_pain_rise(prescription):
    _log(prescription, pain=4, location="thigh", days_ago=1)
    outcome = _log(prescription, pain=7, location="one_side", during="centralize")
    assert [finding["kind"] for finding in outcome.findings] == ["centralization"]
    assert not Alert.objects.exists()


def test_a_pain_rise_at_the_same_place_is_still_raised(prescription):
    _log(prescription, pain=3, location="thigh", days_ago=2)
    _log(prescription, pain=2, location="thigh", days_ago=1)
    _log(prescription, pain=6, location="thigh", days_ago=1 - 2 / 24)
    outcome = _log(prescription, pain=6, location="thigh")
    assert [finding["kind"] for finding in outcome.findings] == ["pain_rise"]
    assert "up from its recent level of 2/10" in Alert.objects.get().message


@pytest.mark.parametrize(
    ("pain", "location", "field"), [(7, "none", "location"), (0, "foot", "pain")]
)
@pytest.mark.hazard("H-05")
def test_contradictory_answers_are_refused_and_nothing_is_stored(
    prescription, pain, location, field
):
    with pytest.raises(ValidationError) as error:
        _log(prescription, pain=pain, location=location)
    assert field in error.value.message_dict
    assert not SymptomLog.objects.exists()
    assert not Alert.objects.exists()


def test_a_grouped_alert_keeps_every_distinct_finding_with_its_day(prescription):
    _log(prescription, location="thigh", after="worse", days_ago=2)
    _log(prescription, location="thigh", after="worse", pain=6, days_ago=1)
    _log(prescription, location="thigh", after="worse", pain=6)
    alert = Alert.objects.get()
    assert alert.count == 3
    messages = [finding["message"] for finding in alert.findings]
    assert len(messages) == 2 and "4/10" in messages[0] and "6/10" in messages[1]
    assert [len(finding["days"]) for finding in alert.findings] == [1, 2]
    assert alert.message == messages[1]


@pytest.mark.hazard("H-10")
def test_no_progression_is_suggested_while_a_recent_log_lay_further_out(
    patient, therapist, frozen_clock
):
    patient.starting_location = "buttock"
    patient.save()
    program = make_prescription(patient, therapist, first=3)
    program.activated_at = timezone.now() - timedelta(days=10)
    program.save()
    # Another exercise of the program spread the pain six days ago.
    _log(program, position=1, location="thigh", days_ago=6)
    # Then five days unchanged at the current step: its rule (3 days) is met.
    for days_ago in (5, 4, 3, 2, 1, 0):
        _log(program, position=3, location="central", after="no_better", days_ago=days_ago)
    assert not ProgressionSuggestion.objects.exists()

    # A week after the spread the same unchanged days point forward again.
    frozen_clock.shift(timedelta(days=1.5))
    _log(program, position=3, location="central", after="no_better", days_ago=0)
    suggestion = ProgressionSuggestion.objects.get()
    assert (suggestion.direction, suggestion.status) == ("forward", "open")


@pytest.mark.hazard("H-10")
def test_an_open_suggestion_is_withdrawn_when_the_pain_spreads(patient, therapist):
    program = make_prescription(patient, therapist, first=3)
    program.activated_at = timezone.now() - timedelta(days=10)
    program.save()
    for days_ago in (4, 3, 2):
        _log(program, position=3, location="central", after="no_better", days_ago=days_ago)
    assert ProgressionSuggestion.objects.get().status == "open"
    _log(program, position=1, location="thigh", days_ago=1)
    assert ProgressionSuggestion.objects.get().status == "outdated"
    patient.refresh_from_db()
    assert patient.progress_suggestion == ""
