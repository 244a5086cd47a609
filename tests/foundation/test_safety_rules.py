"""The safety rules, applied by the one function every log goes through."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from prescriptions.models import Alert, SymptomLog
from prescriptions.services import (
    raise_inactivity_alerts,
    record_red_flag_check,
    record_symptom_log,
    red_flags_due,
)


def _log(prescription, **overrides):
    values = {
        "patient": prescription.patient,
        "item": prescription.items.first(),
        "pain": 4,
        "location": "buttock",
        "during": "no_effect",
        "after": "no_worse",
        "sets_done": 1,
        "repetitions_done": 10,
    }
    values.update(overrides)
    return record_symptom_log(**values)


@pytest.mark.hazard("H-01")
def test_a_peripheralizing_log_raises_one_alert_and_says_stop(prescription):
    outcome = _log(prescription, during="peripheralize", after="worse", location="thigh")
    assert outcome.stop_exercise
    alert = Alert.objects.get(patient=prescription.patient)
    assert alert.kind == "peripheralization" and alert.symptom_log == outcome.log
    assert alert.severity == "warning"


def test_worse_afterwards_raises_an_alert_and_says_stop(prescription):
    outcome = _log(prescription, after="worse")
    assert outcome.stop_exercise
    assert list(Alert.objects.values_list("kind", flat=True)) == ["worse"]


def test_a_centralizing_better_log_raises_nothing(prescription):
    outcome = _log(prescription, during="centralize", after="better", location="central")
    assert not outcome.stop_exercise
    assert not Alert.objects.exists()


def test_pain_three_points_above_the_first_log_raises_one_alert(prescription):
    _log(prescription, pain=2)
    _log(prescription, pain=4)
    assert not Alert.objects.exists()
    _log(prescription, pain=5)
    _log(prescription, pain=6)
    assert list(Alert.objects.values_list("kind", flat=True)) == ["pain_rise"]


@pytest.mark.hazard("H-05")
def test_a_repeated_client_token_stores_one_log(prescription):
    first = _log(prescription, client_token="abc", after="worse")
    again = _log(prescription, client_token="abc", after="worse")
    assert first.created and not again.created
    assert again.log == first.log
    assert SymptomLog.objects.count() == 1
    assert Alert.objects.count() == 1


@pytest.mark.hazard("H-05")
def test_a_log_for_another_patients_exercise_is_refused(prescription, other_patient):
    with pytest.raises(ValidationError):
        _log(prescription, patient=other_patient)
    assert not SymptomLog.objects.exists()


@pytest.mark.hazard("H-05")
def test_bad_values_are_refused_before_anything_is_saved(prescription):
    for bad in ({"pain": 11}, {"location": "shoulder"}, {"during": "sideways"}):
        with pytest.raises(ValidationError):
            _log(prescription, **bad)
    assert not SymptomLog.objects.exists()


def test_a_red_flag_yes_raises_an_urgent_alert(patient):
    assert red_flags_due(patient)
    check, [alert] = record_red_flag_check(patient=patient, answered_yes=["saddle_numbness"])
    assert not red_flags_due(patient)
    assert alert.severity == "urgent" and alert.kind == "red_flag"
    assert check.answered_yes == ["saddle_numbness"]


def test_all_red_flags_answered_no_raise_nothing(patient):
    check, alerts = record_red_flag_check(patient=patient, answered_yes=[])
    assert alerts == [] and check.answered_yes == []
    assert not Alert.objects.exists()


def test_no_logs_for_the_clinics_days_raises_one_alert(prescription):
    _log(prescription)
    later = timezone.now() + timedelta(
        days=prescription.patient.clinic.inactivity_alert_days, hours=1
    )
    assert len(raise_inactivity_alerts(now=later)) == 1
    assert raise_inactivity_alerts(now=later) == []
    assert Alert.objects.get().kind == "no_logs"


def test_acknowledging_keeps_who_and_when(prescription, therapist, colleague):
    _log(prescription, after="worse")
    alert = Alert.objects.get()
    assert alert.acknowledge(by=therapist)
    assert not alert.acknowledge(by=colleague)
    alert.refresh_from_db()
    assert alert.acknowledged_by == therapist and alert.acknowledged_at is not None
