"""The safety rules through `record_symptom_log`: what is stored on the log, the
alerts raised, grouped and acknowledged, relapse, nerve symptoms and retries."""

import threading
import uuid
from datetime import timedelta

import pytest
import time_machine
from django.db import close_old_connections, connection
from django.utils import timezone

from prescriptions.models import Alert, SymptomLog
from prescriptions.services import (
    acknowledge_alerts,
    record_red_flag_check,
    record_symptom_log,
    urgent_alert_open,
)
from tests.factories import make_prescription


def _log(prescription, *, position=1, **overrides):
    values = {
        "patient": prescription.patient,
        "item": prescription.items.get(position=position),
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
def test_pain_further_out_than_the_last_log_stops_whatever_the_labels(prescription):
    _log(prescription, location="thigh", during="decrease", after="better")
    outcome = _log(prescription, location="below_knee", during="decrease", after="better")
    assert outcome.stop_exercise
    log = SymptomLog.objects.get(pk=outcome.log.pk)
    assert (log.stop_exercise, log.reference_location, log.reference_source) == (
        True,
        "thigh",
        "previous_log",
    )
    assert [finding["kind"] for finding in log.findings] == ["peripheralization"]
    alert = Alert.objects.get()
    assert (alert.kind, alert.severity, alert.exercise) == (
        "peripheralization",
        "warning",
        log.item.exercise,
    )
    assert '"decrease"' in alert.message and "below the knee" in alert.message
    assert list(alert.logs.all()) == [log]


def test_the_previous_log_is_found_across_program_versions(prescription, therapist):
    _log(prescription, location="buttock")
    newer = make_prescription(prescription.patient, therapist, progression="flexion")
    outcome = _log(newer, location="thigh", during="centralize", after="better")
    assert outcome.stop_exercise
    assert outcome.log.reference_location == "buttock"


@pytest.mark.hazard("H-01")
def test_the_first_log_is_compared_with_the_starting_location(prescription):
    patient = prescription.patient
    patient.starting_location = "buttock"
    patient.save()
    outcome = _log(prescription, location="thigh", during="abolish", after="better")
    assert outcome.stop_exercise
    assert outcome.log.reference_source == "starting_location"
    assert Alert.objects.get().kind == "peripheralization"


def test_pain_closer_to_the_spine_is_stored_as_centralization_and_raises_nothing(prescription):
    _log(prescription, location="thigh")
    outcome = _log(prescription, location="central", during="centralize", after="better")
    assert not outcome.stop_exercise
    assert [finding["kind"] for finding in outcome.log.findings] == ["centralization"]
    assert not Alert.objects.exists()


def test_a_spread_answer_stops_even_when_the_data_says_centralization(prescription):
    _log(prescription, location="thigh")
    outcome = _log(prescription, location="buttock", during="peripheralize")
    assert outcome.stop_exercise
    assert Alert.objects.get().kind == "peripheralization"


def test_a_relapse_after_a_fall_raises_a_pain_rise(prescription):
    start = timezone.now() - timedelta(days=5)
    for day, pain in enumerate([8, 5, 2]):
        _log(prescription, pain=pain, logged_at=start + timedelta(days=day))
    assert not Alert.objects.exists()
    outcome = _log(prescription, pain=7)
    alert = Alert.objects.get()
    assert (alert.kind, alert.exercise) == ("pain_rise", None)
    assert "2/10" in alert.message
    assert alert in outcome.alerts


def test_the_lowest_pain_older_than_a_week_is_not_the_recent_level(prescription):
    _log(prescription, pain=6, logged_at=timezone.now() - timedelta(days=20))
    _log(prescription, pain=2, logged_at=timezone.now() - timedelta(days=10))
    _log(prescription, pain=6, logged_at=timezone.now() - timedelta(days=2))
    _log(prescription, pain=8)
    assert not Alert.objects.exists()


def test_the_clinics_threshold_decides_a_pain_rise(prescription):
    clinic = prescription.patient.clinic
    clinic.pain_rise_threshold = 5
    clinic.save()
    _log(prescription, pain=2, logged_at=timezone.now() - timedelta(hours=3))
    _log(prescription, pain=6)
    assert not Alert.objects.exists()
    _log(prescription, pain=7)
    assert Alert.objects.get().kind == "pain_rise"


def test_new_numbness_stops_and_alerts(prescription):
    outcome = _log(prescription, new_symptoms=["numbness"], during="decrease", after="better")
    assert outcome.stop_exercise and not outcome.urgent
    assert SymptomLog.objects.get().new_symptoms == ["numbness"]
    alert = Alert.objects.get()
    assert (alert.kind, alert.severity) == ("neurological", "warning")
    assert not urgent_alert_open(prescription.patient)


def test_symptoms_in_both_legs_raise_an_urgent_alert(prescription):
    outcome = _log(prescription, new_symptoms=["both_legs"])
    assert outcome.stop_exercise and outcome.urgent
    assert Alert.objects.get().severity == "urgent"
    assert urgent_alert_open(prescription.patient)


def test_an_unknown_nerve_symptom_is_refused_and_nothing_is_stored(prescription):
    with pytest.raises(Exception, match="nerve symptom"):
        _log(prescription, new_symptoms=["elbow"])
    assert not SymptomLog.objects.exists()


@pytest.mark.hazard("H-01")
def test_repeated_warnings_group_into_one_alert_with_a_count(prescription, therapist):
    logs = [_log(prescription, after="worse").log for _ in range(5)]
    alert = Alert.objects.get()
    assert alert.count == 5
    assert set(alert.logs.all()) == set(logs)
    assert alert.last_seen_at >= alert.created_at
    # Another exercise is another group.
    _log(prescription, position=2, after="worse")
    assert Alert.objects.open().count() == 2
    # Acknowledging closes the group; the next warning opens a new one.
    alert.acknowledge(by=therapist)
    _log(prescription, after="worse")
    fresh = Alert.objects.open().get(exercise=alert.exercise)
    assert fresh.pk != alert.pk and fresh.count == 1


def test_a_later_urgent_repeat_makes_the_group_urgent(prescription):
    _log(prescription, new_symptoms=["numbness"])
    _log(prescription, new_symptoms=["weakness"])
    alert = Alert.objects.get()
    assert (alert.count, alert.severity) == (2, "urgent")


def test_acknowledge_all_closes_every_open_alert_of_the_patient(prescription, therapist):
    _log(prescription, after="worse")
    _log(prescription, position=2, new_symptoms=["numbness"])
    record_red_flag_check(patient=prescription.patient, answered_yes=["urination"])
    assert acknowledge_alerts(patient=prescription.patient, by=therapist) == 3
    assert not Alert.objects.open().exists()
    assert set(Alert.objects.values_list("acknowledged_by", flat=True)) == {therapist.pk}
    assert not urgent_alert_open(prescription.patient)


@pytest.mark.hazard("H-05")
def test_a_repeated_client_id_returns_the_first_log_and_stores_nothing(prescription):
    client_id = uuid.uuid4()
    first = _log(prescription, client_id=client_id, after="worse")
    again = _log(prescription, client_id=client_id, after="worse", pain=9)
    assert first.created and not again.created
    assert again.log == first.log and again.log.pain == 4
    assert SymptomLog.objects.count() == 1
    assert Alert.objects.get().count == 1
    assert [alert.pk for alert in again.alerts] == [Alert.objects.get().pk]


def test_the_same_client_id_for_another_patient_is_another_log(prescription, other_patient):
    client_id = uuid.uuid4()
    _log(prescription, client_id=client_id)
    other = make_prescription(other_patient, prescription.prescribed_by)
    _log(other, client_id=client_id)
    assert SymptomLog.objects.count() == 2


@pytest.mark.hazard("H-03")
def test_every_emergency_red_flag_yes_raises_one_grouped_urgent_alert(patient):
    with time_machine.travel("2026-03-02 09:00Z"):
        record_red_flag_check(patient=patient, answered_yes=["both_legs"])
    with time_machine.travel("2026-03-03 09:00Z"):
        record_red_flag_check(patient=patient, answered_yes=["leg_weakness"])
    alert = Alert.objects.get()
    assert (alert.kind, alert.severity, alert.count) == ("red_flag", "urgent", 2)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real concurrent writers")
@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_warnings_give_one_open_alert_with_a_count_of_20(
    prescription,
):
    patient = prescription.patient
    item = prescription.items.get(position=1)
    barrier = threading.Barrier(20)
    errors = []

    def send() -> None:
        try:
            barrier.wait()
            record_symptom_log(
                patient=patient,
                item=item,
                pain=5,
                location="buttock",
                during="no_effect",
                after="worse",
                sets_done=1,
                repetitions_done=10,
            )
        except Exception as error:
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert SymptomLog.objects.count() == 20
    alert = Alert.objects.open().get(patient=patient, kind="worse")
    assert alert.count == 20
    assert alert.logs.count() == 20
