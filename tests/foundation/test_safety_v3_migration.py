"""The safety v3 migrations on a database made before them: logs keep their answers,
their stored reference and findings, and each grouped alert gains every finding its
logs stored, with the days, plus the message it held."""

from datetime import UTC, datetime

import pytest

from tests.migration_states import migrate_to, migrate_to_latest

BEFORE = [
    ("prescriptions", "0018_alert_log_days"),
    ("clinics", "0014_clinic_time_zone"),
]
AFTER = [
    ("prescriptions", "0020_reference_sources_of_safety_v3"),
    ("clinics", "0015_clinic_reference_days"),
]


def _finding(kind, reason, stop=True):
    return {"rule": kind, "kind": kind, "reason": reason, "stop": stop, "urgent": False}


@pytest.fixture
def latest_afterwards(transactional_db):
    """Whatever the test did, the next tests find every app at its latest migration."""
    yield
    migrate_to_latest()


# After a transactional test the tables are flushed and post_migrate loads the catalog again.
@pytest.mark.usefixtures("latest_afterwards")
def test_existing_logs_keep_their_meaning_and_alerts_gain_every_finding():
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
        SymptomLog = old.get_model("prescriptions", "SymptomLog")
        days = [datetime(2026, 3, 2, 10, tzinfo=UTC), datetime(2026, 3, 3, 10, tzinfo=UTC)]
        logs = [
            SymptomLog.objects.create(
                patient=patient,
                item=item,
                logged_at=when,
                sets_done=1,
                repetitions_done=10,
                pain=5,
                location=location,
                during="no_effect",
                after="worse",
                reference_location=reference,
                reference_source="previous_log",
                findings=[_finding("worse", f"Worse after the exercise (pain {n}/10).")],
                stop_exercise=True,
            )
            for n, (when, location, reference) in enumerate(
                zip(days, ["thigh", "thigh"], ["buttock", "thigh"], strict=True), start=5
            )
        ]
        Alert = old.get_model("prescriptions", "Alert")
        alert = Alert.objects.create(
            patient=patient,
            kind="worse",
            severity="warning",
            message=f"{exercise.name}: Worse after the exercise (pain 6/10).",
            exercise=exercise,
            count=2,
            last_seen_at=days[1],
        )
        alert.logs.set(logs)
        red_flag = Alert.objects.create(
            patient=patient,
            kind="red_flag",
            severity="urgent",
            message="Red flag reported: fever.",
            last_seen_at=days[0],
        )
    finally:
        new = migrate_to(AFTER)

    Alert = new.get_model("prescriptions", "Alert")
    assert Alert.objects.get(pk=alert.pk).findings == [
        {
            "message": f"{exercise.name}: Worse after the exercise (pain 5/10).",
            "days": ["2026-03-02"],
        },
        {
            "message": f"{exercise.name}: Worse after the exercise (pain 6/10).",
            "days": ["2026-03-03"],
        },
    ]
    assert Alert.objects.get(pk=red_flag.pk).findings == [
        {"message": "Red flag reported: fever.", "days": ["2026-03-02"]}
    ]
    stored = new.get_model("prescriptions", "SymptomLog").objects.order_by("logged_at")
    assert [
        (log.location, log.reference_location, log.reference_source, log.stop_exercise)
        for log in stored
    ] == [("thigh", "buttock", "previous_log", True), ("thigh", "thigh", "previous_log", True)]
    assert [log.findings[0]["kind"] for log in stored] == ["worse", "worse"]
    assert new.get_model("clinics", "Clinic").objects.get(pk=clinic.pk).reference_days == 3
