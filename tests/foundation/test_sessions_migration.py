"""The sessions migrations on a database made before them: every earlier log becomes a
session of one, its pain and location the "after", with nothing to compare before it,
and the log keeps its answers, reference and findings."""

from datetime import UTC, datetime

import pytest

from tests.migration_states import migrate_to, migrate_to_latest

BEFORE = [("prescriptions", "0021_alert_kinds_of_safety_v3_and_red_flag_tiers")]
AFTER = [("prescriptions", "0024_stop_lifted_by_a_therapist")]


@pytest.fixture
def latest_afterwards(transactional_db):
    """Whatever the test did, the next tests find every app at its latest migration."""
    yield
    migrate_to_latest()


# After a transactional test the tables are flushed and post_migrate loads the catalog again.
@pytest.mark.usefixtures("latest_afterwards")
def test_every_earlier_log_becomes_a_session_of_one_and_keeps_its_meaning():
    old = migrate_to(BEFORE)
    try:
        user = old.get_model("auth", "User").objects.create(username="pt")
        clinic = old.get_model("clinics", "Clinic").objects.create(name="Old", slug="old")
        patient = old.get_model("patients", "Patient").objects.create(
            clinic=clinic, first_name="Ana", last_name="Old", starting_location="buttock"
        )
        exercise = old.get_model("exercises", "Exercise").objects.filter(clinic=None).first()
        program = old.get_model("prescriptions", "Prescription").objects.create(
            patient=patient, prescribed_by=user, status="active", version=1
        )
        item = old.get_model("prescriptions", "PrescriptionItem").objects.create(
            prescription=program, exercise=exercise, position=1, times_per_day=2
        )
        finding = {
            "rule": "peripheralization",
            "kind": "peripheralization",
            "reason": "Peripheralization.",
            "stop": True,
            "urgent": False,
            "further_out": True,
        }
        SymptomLog = old.get_model("prescriptions", "SymptomLog")
        logs = [
            SymptomLog.objects.create(
                patient=patient,
                item=item,
                logged_at=datetime(2026, 3, day, 10, tzinfo=UTC),
                sets_done=1,
                repetitions_done=10,
                pain=pain,
                location=location,
                during="no_effect",
                after="no_effect",
                reference_location="buttock",
                reference_source="starting_location",
                findings=findings,
                stop_exercise=bool(findings),
                new_symptoms=symptoms,
                source="api",
            )
            for day, pain, location, findings, symptoms in [
                (2, 6, "thigh", [finding], ["numbness"]),
                (3, 2, "buttock", [], []),
            ]
        ]
    finally:
        new = migrate_to(AFTER)

    stored = list(new.get_model("prescriptions", "SymptomLog").objects.order_by("logged_at"))
    assert [(log.pain, log.location, log.stop_exercise) for log in stored] == [
        (6, "thigh", True),
        (2, "buttock", False),
    ]
    assert stored[0].findings == [finding]
    assert [(log.back_pain, log.leg_pain) for log in stored] == [(None, None), (None, None)]
    sessions = new.get_model("prescriptions", "ExerciseSession").objects.order_by("logged_at")
    assert [
        (
            s.patient_id,
            s.prescription_id,
            s.logged_at,
            s.after_pain,
            s.after_location,
            s.before_location,
            s.response,
            s.new_symptoms,
            s.source,
        )
        for s in sessions
    ] == [
        (
            patient.pk,
            program.pk,
            logs[0].logged_at,
            6,
            "thigh",
            "",
            "not_compared",
            ["numbness"],
            "api",
        ),
        (patient.pk, program.pk, logs[1].logged_at, 2, "buttock", "", "not_compared", [], "api"),
    ]
    assert [log.session_id for log in stored] == [s.pk for s in sessions]
