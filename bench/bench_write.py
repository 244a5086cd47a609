"""The write path: what a portal session of 3 exercises and one API log cost, beside a
bare insert of the same rows.

On the seed (BENCH_PATIENTS bulk patients, 300 unless set, BENCH_DAYS days of logs, 30
unless set), one bulk patient with a program of at least three exercises logs:

- a session of 3 exercises through the portal page (`POST /portal/session/`: sign-in,
  every safety rule, alerts, overview, adherence, suggestion, audit events);
- the same session through `record_session` alone (the service, no request);
- one log through the REST API (`POST /api/v1/symptom-logs/`);
- the baseline: the session row and its 3 logs inserted in one transaction, nothing
  judged, nothing refreshed.

Each is the median of ROUNDS after a warm-up, with the queries of one call; the goal is
a session within 3x the bare insert. Runs on a throwaway SQLite file; on PostgreSQL
when BENCH_POSTGRES_URL (or DATABASE_URL) is a PostgreSQL URL, on a throwaway database
made there. Run as `.venv/bin/python bench/bench_write.py`.
"""

from __future__ import annotations

import os
import tempfile
import uuid

from benchkit import (
    base_env,
    measuring,
    postgres_url,
    run_measure,
    seed,
    setup_django,
    sqlite_env,
    throwaway_postgres,
    timed,
)

PATIENTS = int(os.environ.get("BENCH_PATIENTS", "300"))
DAYS = int(os.environ.get("BENCH_DAYS", "30"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "30"))
WARMUP = 3
EXERCISES = 3


def measure() -> None:
    setup_django()
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.test import Client
    from django.utils import timezone

    from api.models import create_api_key
    from clinics.models import Clinic
    from patients.models import Patient
    from prescriptions.models import ExerciseSession, Prescription, SymptomLog
    from prescriptions.services import record_red_flag_check
    from prescriptions.sessions import ExerciseAnswer, Symptoms, record_session

    clinic = Clinic.objects.get(slug="riverside")
    programs = (
        Prescription.objects.active()
        .filter(patient__clinic=clinic, patient__external_id__startswith="BULK-")
        .select_related("patient__clinic")
        .order_by("patient_id")
    )
    program = next(p for p in programs if p.items.count() >= EXERCISES)
    patient = program.patient
    items = list(program.items.select_related("exercise").order_by("position"))
    done = items[:EXERCISES]
    if patient.user is None:
        patient.user = get_user_model().objects.create_user(f"bench-write-{patient.pk}")
        patient.save(update_fields=["user"])
    record_red_flag_check(patient=patient, answered_yes=[])
    _, key = create_api_key(clinic=clinic, name="write bench", read_only=False)
    earlier = SymptomLog.objects.filter(patient=patient).count()

    portal = Client()
    portal.force_login(patient.user)

    def portal_session() -> None:
        data = {
            "session_token": uuid.uuid4().hex,
            "session-nerves": "none",
            "before-back_pain": "3",
            "before-leg_pain": "0",
            "before-location": "central",
            "after-back_pain": "3",
            "after-leg_pain": "0",
            "after-location": "central",
        }
        for item in items:
            prefix = f"item-{item.pk}-"
            if item in done:
                data.update(
                    {
                        prefix + "status": "done",
                        prefix + "sets_done": str(item.sets),
                        prefix + "repetitions_done": str(item.repetitions),
                        prefix + "during": "decrease",
                        prefix + "after": "better",
                    }
                )
            else:
                data[prefix + "status"] = "skipped"
        response = portal.post("/portal/session/", data)
        assert response.status_code == 302, response.content[:500]

    def service_session() -> None:
        record_session(
            patient=Patient.objects.select_related("clinic").get(pk=patient.pk),
            exercises=[
                ExerciseAnswer(
                    item=item,
                    done=item in done,
                    during="decrease",
                    after="better",
                    sets_done=item.sets,
                    repetitions_done=item.repetitions,
                )
                for item in items
            ],
            before=Symptoms(3, 0, "central"),
            after=Symptoms(3, 0, "central"),
        )

    api = Client(HTTP_AUTHORIZATION=f"Api-Key {key}")

    def api_log() -> None:
        response = api.post(
            "/api/v1/symptom-logs/",
            {
                "item": done[0].pk,
                "sets_done": 1,
                "repetitions_done": 10,
                "pain": 3,
                "location": "central",
                "during": "decrease",
                "after": "better",
            },
            content_type="application/json",
        )
        assert response.status_code == 201, response.content[:500]

    def bare_insert() -> None:
        now = timezone.now()
        with transaction.atomic():
            session = ExerciseSession.objects.create(
                patient=patient,
                prescription=program,
                logged_at=now,
                before_back_pain=3,
                before_leg_pain=0,
                before_location="central",
                after_pain=3,
                after_back_pain=3,
                after_leg_pain=0,
                after_location="central",
                response="unchanged",
                source="portal",
            )
            SymptomLog.objects.bulk_create(
                SymptomLog(
                    patient=patient,
                    item=item,
                    session=session,
                    logged_at=now,
                    sets_done=item.sets,
                    repetitions_done=item.repetitions,
                    pain=3,
                    back_pain=3,
                    leg_pain=0,
                    location="central",
                    during="decrease",
                    after="better",
                    source="portal",
                )
                for item in done
            )

    figures = {}
    for name, call in (
        ("bare insert (baseline)", bare_insert),
        (f"portal session of {EXERCISES}", portal_session),
        (f"record_session of {EXERCISES}", service_session),
        ("API log", api_log),
    ):
        figures[name] = timed(call, rounds=ROUNDS, warmup=WARMUP)
    logs = SymptomLog.objects.filter(patient=patient).count() - earlier
    print(
        f"Write path on {connection.vendor} (seed --patients {PATIENTS} --days {DAYS}; a "
        f"patient with {earlier} earlier logs; median of {ROUNDS}; {logs} logs written)"
    )
    baseline = figures["bare insert (baseline)"][0]
    for name, (seconds, queries) in figures.items():
        print(
            f"  {name:<26} {seconds * 1000:7.1f} ms  {queries:3d} queries  "
            f"{seconds / baseline:5.1f}x the bare insert"
        )


def main() -> None:
    if measuring():
        measure()
        return
    server = postgres_url()
    if server:
        with throwaway_postgres(server, "bench_write") as url:
            env = base_env(DATABASE_URL=url, SQLITE_PATH="")
            seed(env, patients=PATIENTS, days=DAYS)
            run_measure(__file__, env)
        return
    with tempfile.TemporaryDirectory(dir="/tmp") as folder:
        env = sqlite_env(folder, "bench-write")
        seed(env, patients=PATIENTS, days=DAYS)
        run_measure(__file__, env)


if __name__ == "__main__":
    main()
