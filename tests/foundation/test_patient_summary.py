"""The overview stored on each patient stays right after every kind of write."""

import threading
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from patients.models import Patient
from prescriptions.adherence import store_for
from prescriptions.models import Alert, Prescription, SymptomLog
from prescriptions.services import (
    ItemSpec,
    end_prescription,
    raise_inactivity_alerts,
    record_red_flag_check,
    record_symptom_log,
    revise_prescription,
)
from prescriptions.summary import rebuild_summaries, refresh_summary
from tests.factories import make_patient, make_prescription

SUMMARY = (
    "last_log",
    "first_location",
    "latest_location",
    "open_alerts",
    "urgent_alerts",
    "attention",
    "active_version",
    "active_progression",
    "active_since",
    "first_activated",
)


# One log of a progression program: the patient lock, the safety rules' look back (one
# query), the log, the overview (one read, one UPDATE) and the suggestion (with the
# step's branches in the progression graph, and the dismissed ones read once), inside a
# savepoint (the test's transaction); which of the clinic's webhook endpoints want the
# log (integrations/events.py); and the log's session of one.
WRITE_QUERIES = 16


def log(patient, *, days_ago=0.0, **answers):
    values = {
        "pain": 3,
        "location": "buttock",
        "during": "centralize",
        "after": "better",
        "sets_done": 1,
        "repetitions_done": 10,
        "logged_at": timezone.now() - timedelta(days=days_ago),
    }
    values.update(answers)
    item = Prescription.objects.get(patient=patient, status="active").items.first()
    return record_symptom_log(patient=patient, item=item, **values)


def stored(patient) -> dict:
    return Patient.objects.filter(pk=patient.pk).values(*SUMMARY).get()


def recomputed(patient) -> dict:
    Patient.objects.filter(pk=patient.pk).update(
        last_log=None, first_location="", latest_location="", open_alerts=0, urgent_alerts=0
    )
    rebuild_summaries(Patient.objects.filter(pk=patient.pk))
    return stored(patient)


def test_a_new_patient_has_an_empty_overview(patient):
    assert stored(patient) == {
        "last_log": None,
        "first_location": "",
        "latest_location": "",
        "open_alerts": 0,
        "urgent_alerts": 0,
        "attention": 2,
        "active_version": None,
        "active_progression": "",
        "active_since": None,
        "first_activated": None,
    }


def test_activating_a_program_shows_it_in_use(patient, therapist):
    program = make_prescription(patient, therapist)
    summary = stored(patient)
    assert summary["active_version"] == 1
    assert summary["active_progression"] == program.progression.name
    assert summary["active_since"] == program.activated_at
    assert summary["first_activated"] == program.activated_at


def test_a_draft_is_not_a_program_in_use(patient, therapist):
    make_prescription(patient, therapist, activate=False)
    assert stored(patient)["active_version"] is None


def test_logs_set_the_last_log_and_where_the_pain_reached_first_and_now(patient, prescription):
    log(patient, days_ago=2, location="thigh")
    latest = log(patient, days_ago=0.5, location="central").log
    summary = stored(patient)
    assert summary["last_log"] == latest.logged_at
    assert (summary["first_location"], summary["latest_location"]) == ("thigh", "central")


def test_a_back_dated_log_changes_where_the_pain_reached_first_not_now(patient, prescription):
    log(patient, days_ago=1, location="buttock")
    log(patient, days_ago=5, location="foot")
    summary = stored(patient)
    assert (summary["first_location"], summary["latest_location"]) == ("foot", "buttock")


def test_a_warning_alert_counts_as_open(patient, prescription):
    log(patient, after="worse")
    summary = stored(patient)
    assert (summary["open_alerts"], summary["urgent_alerts"], summary["attention"]) == (1, 0, 1)


def test_a_red_flag_makes_the_patient_urgent(patient, prescription):
    log(patient, after="worse")
    record_red_flag_check(patient=patient, answered_yes=["bladder_bowel"])
    summary = stored(patient)
    assert (summary["open_alerts"], summary["urgent_alerts"], summary["attention"]) == (2, 1, 0)


def test_acknowledging_alerts_brings_the_patient_back_to_calm(patient, prescription, therapist):
    log(patient, after="worse")
    record_red_flag_check(patient=patient, answered_yes=["bladder_bowel"])
    urgent = Alert.objects.get(patient=patient, severity="urgent")
    urgent.acknowledge(by=therapist)
    assert (stored(patient)["open_alerts"], stored(patient)["attention"]) == (1, 1)
    Alert.objects.get(patient=patient, acknowledged_at__isnull=True).acknowledge(by=therapist)
    summary = stored(patient)
    assert (summary["open_alerts"], summary["urgent_alerts"], summary["attention"]) == (0, 0, 2)


def test_an_inactivity_alert_counts_as_open(patient, prescription):
    log(patient)
    assert raise_inactivity_alerts(now=timezone.now() + timedelta(days=30))
    assert (stored(patient)["open_alerts"], stored(patient)["attention"]) == (1, 1)


def test_a_revision_is_the_new_version_and_adherence_still_counts_from_the_first(
    patient, prescription, therapist
):
    first_activated = stored(patient)["first_activated"]
    new = revise_prescription(
        prescription=prescription,
        items=[ItemSpec.from_item(item) for item in prescription.items.all()],
        by=therapist,
    )
    summary = stored(patient)
    assert summary["active_version"] == 2
    assert summary["active_since"] == new.activated_at
    assert summary["first_activated"] == first_activated


def test_ending_the_program_leaves_no_program_in_use(patient, prescription):
    end_prescription(prescription=prescription)
    summary = stored(patient)
    assert (summary["active_version"], summary["active_progression"]) == (None, "")


def test_a_log_costs_the_same_queries_on_the_fortieth_log_as_on_the_second(
    patient, prescription, django_assert_num_queries
):
    # The program began three weeks ago, so every log counts for adherence.
    Prescription.objects.filter(pk=prescription.pk).update(
        activated_at=timezone.now() - timedelta(days=21)
    )
    refresh_summary(patient.pk)
    item = prescription.items.first()

    def write(days_ago):
        record_symptom_log(
            patient=patient,
            item=item,
            pain=3,
            location="buttock",
            during="centralize",
            after="better",
            sets_done=1,
            repetitions_done=10,
            logged_at=timezone.now() - timedelta(days=days_ago),
        )

    write(20)
    with django_assert_num_queries(WRITE_QUERIES):
        write(19.5)
    for day in range(38):
        write(19 - day / 2)
    with django_assert_num_queries(WRITE_QUERIES):
        write(0)
    assert patient.symptom_logs.count() == 41
    stored = Patient.objects.get(pk=patient.pk)
    assert stored.adherence == store_for(stored)


def test_a_rebuild_finds_what_the_writes_stored(patient, prescription, therapist):
    log(patient, days_ago=3, location="thigh", after="worse")
    log(patient, days_ago=1, location="central", pain=9)
    record_red_flag_check(patient=patient, answered_yes=["bladder_bowel"])
    before = stored(patient)
    assert recomputed(patient) == before


def test_the_rebuild_command_repairs_an_overview_changed_behind_its_back(patient, prescription):
    log(patient, after="worse")
    before = stored(patient)
    Patient.objects.update(open_alerts=0, attention=2, last_log=None)
    call_command("rebuild_summaries", stdout=StringIO())
    assert stored(patient) == before


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_logs_and_acknowledgements_leave_a_right_overview(clinic, therapist):
    patient = make_patient(clinic, first_name="Cora", last_name="Current")
    make_prescription(patient, therapist)
    log(patient, after="worse", days_ago=1)
    first_alert = Alert.objects.get(patient=patient)
    errors = []
    barrier = threading.Barrier(6)

    def write(action):
        try:
            barrier.wait()
            action()
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    actions = [
        lambda n=n: log(patient, days_ago=n / 100, after="worse" if n % 2 else "better")
        for n in range(5)
    ] + [lambda: first_alert.acknowledge(by=therapist)]
    threads = [threading.Thread(target=write, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert SymptomLog.objects.filter(patient=patient).count() == 6
    summary = stored(patient)
    assert (
        summary["open_alerts"]
        == Alert.objects.filter(patient=patient, acknowledged_at__isnull=True).count()
    )
    assert (
        summary["last_log"]
        == SymptomLog.objects.filter(patient=patient).latest("logged_at").logged_at
    )
    assert recomputed(patient) == summary
