"""10,000 reminders due in the same minute: how long until two workers have sent them all.

A fresh database gets 10,000 patients, each with a program in use and an email reminder
at the same time. Two `run_worker` processes are started and idle; then the minute's
scan is queued (as the scheduler does) and the clock runs until every reminder has its
row and its email in a capturing backend (Django's file backend, in a temporary
folder). They must all be out within the minute.

By default the database is a temporary SQLite file; set BENCH_REMINDERS_DATABASE_URL to
an empty PostgreSQL database (it is migrated and filled here) to measure PostgreSQL,
where the workers claim tasks with SKIP LOCKED. Run as
`.venv/bin/python bench/bench_reminders.py`.
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PATIENTS = int(os.environ.get("BENCH_REMINDERS", "10000"))
WORKERS = 2
LIMIT_SECONDS = 60


def fill() -> str:
    """Migrate and load the patients; prints the minute their reminders are due."""
    import django

    django.setup()
    from datetime import UTC, datetime, time, timedelta

    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from clinics.models import Clinic, Therapist
    from patients.models import Patient
    from prescriptions.models import Prescription
    from reminders.models import ReminderPlan

    call_command("migrate", verbosity=0)
    clinic = Clinic.objects.create(name="Bench Physio", slug="bench")
    user = get_user_model().objects.create_user(username="bench-therapist")
    Therapist.objects.create(user=user, clinic=clinic)
    # A reminder time a few minutes ahead (within waking hours), so the scan finds it.
    now = datetime.now(UTC)
    due = (now + timedelta(minutes=2)).replace(second=0, microsecond=0)
    local = due.astimezone(django.utils.timezone.get_current_timezone())
    if not time(8) <= local.time() <= time(20):
        raise SystemExit("Run with TIME_ZONE set so that it is daytime (the bench sets it).")
    patients = Patient.objects.bulk_create(
        [
            Patient(clinic=clinic, first_name=f"P{n}", last_name="Bench", email=f"p{n}@bench.test")
            for n in range(PATIENTS)
        ],
        batch_size=2000,
    )
    Prescription.objects.bulk_create(
        [
            Prescription(
                patient=patient,
                prescribed_by=user,
                version=1,
                status=Prescription.Status.ACTIVE,
                activated_at=now - timedelta(days=1),
            )
            for patient in patients
        ],
        batch_size=2000,
    )
    ReminderPlan.objects.bulk_create(
        [
            ReminderPlan(patient=patient, times=[local.strftime("%H:%M")], by_email=True)
            for patient in patients
        ],
        batch_size=2000,
    )
    print(due.isoformat())


def daytime_zone() -> str:
    """A fixed-offset zone in which it is now mid-day, so the reminders are in waking hours."""
    hour = time.gmtime().tm_hour
    offset = (13 - hour + 12) % 24 - 12  # hours to add to UTC to reach about 13:00
    # POSIX Etc/GMT names have the sign inverted.
    return "UTC" if offset == 0 else f"Etc/GMT{'-' if offset > 0 else '+'}{abs(offset)}"


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="centra-bench-reminders-"))
    mail = folder / "mail"
    mail.mkdir()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "TIME_ZONE": daytime_zone(),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail),
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "DEBUG": "0",
        "LOG_LEVEL": "WARNING",
    }
    url = os.environ.get("BENCH_REMINDERS_DATABASE_URL", "")
    if url:
        env["DATABASE_URL"] = url
    else:
        env.pop("DATABASE_URL", None)
        env["SQLITE_PATH"] = str(folder / "bench.sqlite3")
    python = sys.executable
    started = time.perf_counter()
    due = (
        subprocess.run(
            [python, __file__, "fill"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    print(f"{PATIENTS} patients loaded in {time.perf_counter() - started:.1f} s")

    workers = [
        subprocess.Popen(
            [
                python,
                "manage.py",
                "run_worker",
                "--no-reload",
                "--no-schedule",
                "--interval",
                "0.05",
                "--worker-id",
                f"bench-{n}",
                "-v",
                "0",
            ],
            cwd=ROOT,
            env=env,
        )
        for n in range(WORKERS)
    ]
    try:
        time.sleep(4)  # the workers are up and idle, as in production
        started = time.perf_counter()
        subprocess.run([python, __file__, "enqueue", due], cwd=ROOT, env=env, check=True)
        counted = 0
        while time.perf_counter() - started < LIMIT_SECONDS * 3:
            counted = sum(path.read_text().count("\nSubject: ") for path in mail.iterdir())
            if counted >= PATIENTS:
                break
            time.sleep(0.2)
        elapsed = time.perf_counter() - started
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=30)
    sent = subprocess.run(
        [python, __file__, "count"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    print(
        f"reminders: {counted} emails, {sent} recorded, enqueued and sent by {WORKERS} workers "
        f"in {elapsed:.1f} s ({counted / elapsed:.0f}/s; limit {LIMIT_SECONDS} s)"
    )
    if counted < PATIENTS or int(sent) != counted or elapsed > LIMIT_SECONDS:
        raise SystemExit("FAIL: not every reminder went out once within the minute")


def enqueue(due: str) -> None:
    """What the scheduler does at the minute: queue the scan."""
    import django

    django.setup()
    from reminders.tasks import scan_reminders

    scan_reminders.enqueue(due)


def count() -> None:
    import django

    django.setup()
    from reminders.models import SentReminder

    print(SentReminder.objects.count())


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    command = sys.argv[1] if len(sys.argv) > 1 else "main"
    if command == "fill":
        fill()
    elif command == "enqueue":
        enqueue(sys.argv[2])
    elif command == "count":
        count()
    else:
        main()
