from datetime import datetime, timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.models import F
from django.utils import timezone

from clinics.models import Clinic, Therapist
from patients.models import Patient
from prescriptions.models import (
    Alert,
    Prescription,
    PrescriptionItem,
    ProgressionSuggestion,
    SymptomLog,
)


def _counts():
    return {
        model.__name__: model.objects.count()
        for model in (Clinic, Therapist, Patient, Prescription, SymptomLog, Alert)
    }


def test_seeding_twice_gives_the_same_data(db, capsys):
    call_command("seed_demo")
    first = _counts()
    call_command("seed_demo")
    assert _counts() == first
    assert first["Clinic"] == 2 and first["Therapist"] == 3
    assert "anna" in capsys.readouterr().out


def test_the_printed_demo_logins_work_again_after_a_revoked_access(db):
    call_command("seed_demo")
    maria = Patient.objects.get(user__username="maria")
    maria.revoke_portal_access()
    call_command("seed_demo")
    maria.user.refresh_from_db()
    assert maria.user.is_active
    assert maria.user.check_password("centra-demo-2026")


def test_the_demo_patient_logs_show_centralization(db):
    call_command("seed_demo")
    maria = Patient.objects.get(user__username="maria")
    logs = list(maria.symptom_logs.order_by("logged_at"))
    assert len(logs) >= 14
    assert logs[0].location_rank > logs[-1].location_rank
    assert logs[0].pain > logs[-1].pain
    assert maria.prescriptions.get(status="active").progression.slug == "extension"
    # Her sessions record the symptoms before and after; the pain leaving the leg shows.
    sessions = list(maria.exercise_sessions.order_by("logged_at"))
    assert all(session.before_location for session in sessions)
    assert {session.logs.count() for session in sessions} == {3}
    assert "centralizing" in {session.response for session in sessions}


def test_the_second_clinic_is_kept_apart(db):
    call_command("seed_demo")
    nora = Therapist.objects.get(user__username="nora")
    assert set(Patient.objects.for_user(nora.user).values_list("clinic__slug", flat=True)) == {
        "northgate"
    }


def test_a_large_data_set_is_added_once(db):
    call_command("seed_demo", patients=12, days=5)
    first = _counts()
    call_command("seed_demo", patients=12, days=5)
    assert _counts() == first
    bulk = Patient.objects.filter(external_id__startswith="BULK-")
    assert bulk.count() == 12
    assert SymptomLog.objects.filter(patient__in=bulk).exists()
    assert Prescription.objects.filter(patient__in=bulk, status="active").count() == 12


def test_the_seeded_patients_overview_matches_their_logs_alerts_and_programs(db):
    from patients.models import Patient
    from prescriptions.summary import rebuild_summaries

    call_command("seed_demo", patients=4, days=5)
    columns = ["pk", "last_log", "first_location", "latest_location", "open_alerts"]
    columns += ["urgent_alerts", "attention", "active_version", "active_since"]
    seeded = list(Patient.objects.order_by("pk").values(*columns))
    Patient.objects.update(last_log=None, first_location="", open_alerts=0, attention=2)
    rebuild_summaries()
    assert list(Patient.objects.order_by("pk").values(*columns)) == seeded
    assert any(row["last_log"] for row in seeded)
    # The stored adherence too, the bulk patients' included (written without the services).
    from prescriptions.summary import rebuild_adherence

    stored = dict(Patient.objects.values_list("pk", "adherence"))
    assert bulk_ids() and all(stored[pk]["days"] for pk in bulk_ids())
    Patient.objects.update(adherence={})
    rebuild_adherence()
    assert dict(Patient.objects.values_list("pk", "adherence")) == stored


@pytest.mark.parametrize("zone", ["UTC", "Asia/Kolkata"])
def test_the_bulk_adherence_puts_logs_at_the_slot_edges_where_the_services_do(db, settings, zone):
    from dashboard.management.commands.seed_demo import _store_bulk_adherence
    from prescriptions.adherence import store_for, waking_minutes

    settings.TIME_ZONE = zone  # a half-hour offset moves every edge off the UTC hour
    call_command("seed_demo", patients=2, days=3)
    bulk = list(Patient.objects.filter(external_id__startswith="BULK-").order_by("pk"))
    program = Prescription.objects.get(patient=bulk[0])
    items = list(program.items.order_by("position"))
    # Each slot's first and last instants, and those of the day and of the waking hours.
    length = timedelta(minutes=waking_minutes(bulk[0].wake_start, bulk[0].wake_end)) / 7
    day = datetime.combine(timezone.localdate() - timedelta(days=1), bulk[0].wake_start)
    edges = [day + length * n for n in range(8)]
    edges += [day.replace(hour=0), day.replace(hour=23, minute=59, second=59)]
    moments = {edge + timedelta(microseconds=shift) for edge in edges for shift in (0, -1)}
    log = SymptomLog.objects.filter(patient=bulk[0]).first()
    SymptomLog.objects.bulk_create(
        [
            SymptomLog(
                patient=bulk[0],
                item=log.item,
                logged_at=timezone.make_aware(moment),
                sets_done=log.sets_done,
                repetitions_done=log.repetitions_done,
                pain=log.pain,
                location=log.location,
                during=log.during,
                after=log.after,
            )
            for moment in sorted(moments)
        ]
    )
    # Seven sessions: slots of 102 6/7 minutes, edges at no whole second.
    PrescriptionItem.objects.filter(
        prescription__patient__in=bulk, position=items[0].position
    ).update(times_per_day=7, every_hours=None)
    items = list(program.items.order_by("position"))
    _store_bulk_adherence(bulk, items, program.activated_at)
    for patient in bulk:
        patient.refresh_from_db()
        assert patient.adherence == store_for(patient)
    assert patient.adherence["periods"][0][2] == 7


def bulk_ids():
    from patients.models import Patient

    return set(Patient.objects.filter(external_id__startswith="BULK-").values_list("pk", flat=True))


def test_the_demo_has_a_patient_ready_to_progress(db):
    call_command("seed_demo")
    call_command("seed_demo")
    suggestion = ProgressionSuggestion.objects.open().get()
    assert (suggestion.patient.full_name, suggestion.direction) == ("Lucia Ferreira", "forward")
    assert suggestion.to_exercise.slug == "prone-press-up-sustained"
    assert suggestion.patient.progress_suggestion == "forward"


def test_the_demo_has_an_improving_episode_and_a_discharged_one(db):
    from prescriptions.models import Episode, OutcomeMeasure
    from prescriptions.outcomes import episode_summary

    call_command("seed_demo")
    call_command("seed_demo")
    maria = Patient.objects.get(user__username="maria")
    pain = list(
        OutcomeMeasure.objects.filter(patient=maria, instrument="nprs")
        .order_by("taken_at")
        .values_list("score", flat=True)
    )
    assert len(pain) == 2 and pain[0] - pain[-1] >= 2
    daniel = Patient.objects.get(external_id="RV-1006")
    episode = Episode.objects.get(patient=daniel)
    assert episode.ended_at is not None
    summary = episode_summary(episode)
    assert summary.centralized
    assert all(change.improvement >= 2 for change in summary.changes if change.mcid)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the SQL load is PostgreSQL's")
def test_the_bulk_load_leaves_the_log_tables_keys_and_indexes_as_they_were(db):
    def keys_and_indexes():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = 'prescriptions_symptomlog'::regclass ORDER BY conname"
            )
            constraints = cursor.fetchall()
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes "
                "WHERE tablename = 'prescriptions_symptomlog' ORDER BY indexname"
            )
            return constraints, cursor.fetchall()

    before = keys_and_indexes()
    call_command("seed_demo", patients=6, days=8)
    assert keys_and_indexes() == before
    bulk = Patient.objects.filter(external_id__startswith="BULK-")
    logs = SymptomLog.objects.filter(patient__in=bulk)
    # Three exercises a day, on most of the 8 days, each tied to its own patient's program.
    assert 6 * 3 * 4 <= logs.count() <= 6 * 3 * 8
    assert not logs.exclude(item__prescription__patient=F("patient")).exists()
    assert set(logs.values_list("pain", flat=True)) <= set(range(11))


def test_every_demo_patient_speaks_a_language_centra_has(db):
    call_command("seed_demo", verbosity=0)

    languages = set(Patient.objects.values_list("preferred_language", flat=True))

    assert languages <= {code for code, _name in settings.LANGUAGES}
    assert languages == {"en", "es"}
