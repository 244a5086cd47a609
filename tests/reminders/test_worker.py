"""The background worker: tasks queued in the database and worked through by
`run_worker`; a failed task tried again later; the handout rendered on activation;
two workers on PostgreSQL never sending one reminder twice."""

import logging
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from api.models import create_api_key
from clinics.tasks import send_email
from prescriptions.services import activate_prescription
from reminders.models import RecurringRun, ReminderPlan, SentReminder
from reminders.schedule import prune, requeue_abandoned, run_due
from reminders.services import due_reminders
from reminders.tasks import scan_reminders, send_reminders
from tests.factories import make_patient, make_prescription
from tests.handouts.pdfs import pdf_text
from tests.handouts.test_handout_on_paper import text_sizes

ROOT = Path(__file__).resolve().parents[2]


def work_through_queue() -> None:
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()


@pytest.mark.django_db(transaction=True)  # the worker closes connections left in a transaction
def test_a_failed_task_is_logged_and_tried_again_later(
    queued_tasks, settings, frozen_clock, caplog
):
    # A mail server that is down: nothing listens on port 9.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", 9, False
    send_email.enqueue(subject="Hello", body="Your link", to=["paula@example.test"])
    work_through_queue()

    failed = DBTaskResult.objects.get(status="FAILED")
    assert "ConnectionRefusedError" in failed.exception_class_path or failed.traceback
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.args_kwargs["kwargs"]["attempt"] == 2
    assert retry.run_after > datetime.now(UTC) + timedelta(seconds=20)
    assert "trying again" in caplog.text

    # The server is back; the retry's time comes and the mail goes.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    work_through_queue()
    assert mail.outbox == []  # not before its time
    frozen_clock.shift(timedelta(seconds=31))
    work_through_queue()
    assert [message.subject for message in mail.outbox] == ["Hello"]
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 1


@pytest.mark.django_db(transaction=True)  # the worker closes connections left in a transaction
def test_a_task_that_keeps_failing_stops_after_its_attempts_and_stays_recorded(
    queued_tasks, settings, frozen_clock, caplog
):
    settings.TASK_ATTEMPTS = 2
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", 9, False
    send_email.enqueue(subject="Hello", body="Your link", to=["paula@example.test"])
    work_through_queue()
    frozen_clock.shift(timedelta(minutes=5))
    work_through_queue()
    assert DBTaskResult.objects.filter(status="FAILED").count() == 2
    assert not DBTaskResult.objects.filter(status="READY").exists()
    assert "failed for good after 2 attempts" in caplog.text


@pytest.mark.django_db(transaction=True)  # the worker closes connections left in a transaction
def test_a_task_its_killed_worker_left_running_is_queued_again_and_then_runs(
    queued_tasks, settings, mailoutbox
):
    settings.TASK_ABANDONED_SECONDS = 600
    now = timezone.now()
    send_email.enqueue(subject="Hello", body="Body", to=["pat@example.org"])
    send_email.enqueue(subject="Still going", body="Body", to=["sam@example.org"])
    abandoned, busy = DBTaskResult.objects.order_by("enqueued_at")
    # Claimed by a worker that was then killed; and one claimed a moment ago.
    abandoned.claim("killed-worker")
    DBTaskResult.objects.filter(pk=abandoned.pk).update(started_at=now - timedelta(minutes=11))
    busy.claim("live-worker")
    DBTaskResult.objects.filter(pk=busy.pk).update(started_at=now - timedelta(minutes=9))

    assert requeue_abandoned(now) == 1
    assert DBTaskResult.objects.get(pk=busy.pk).status == "RUNNING"
    work_through_queue()
    assert DBTaskResult.objects.get(pk=abandoned.pk).status == "SUCCESSFUL"
    assert [message.subject for message in mailoutbox] == ["Hello"]


@pytest.mark.django_db
def test_the_scheduler_queues_each_minute_once_and_the_daily_check_once(queued_tasks):
    now = datetime(2026, 3, 11, 14, 0, 5, tzinfo=UTC)
    assert run_due(now) == [
        "reminders",
        "audit-seal",
        "escalation",
        "inactivity",
        "audit-checkpoints",
    ]
    # A second worker's scheduler, the same minute: nothing more.
    assert run_due(now + timedelta(seconds=20)) == []
    assert run_due(now + timedelta(minutes=1)) == ["reminders", "audit-seal"]
    assert run_due(now + timedelta(minutes=5)) == ["reminders", "audit-seal", "escalation"]
    assert run_due(now + timedelta(hours=1)) == [
        "reminders",
        "audit-seal",
        "escalation",
        "audit-checkpoints",
    ]
    assert RecurringRun.objects.filter(name="inactivity").count() == 1
    assert DBTaskResult.objects.filter(task_path__endswith="check_inactivity").count() == 1
    assert DBTaskResult.objects.filter(task_path__endswith="escalate_urgent_alerts").count() == 3


@pytest.mark.django_db(transaction=True)
def test_old_finished_tasks_and_slots_are_pruned_and_recent_ones_kept(queued_tasks, frozen_clock):
    send_email.enqueue(subject="Old", body="x", to=["a@example.test"])
    run_due()
    work_through_queue()
    frozen_clock.shift(timedelta(days=8))
    send_email.enqueue(subject="New", body="x", to=["a@example.test"])
    work_through_queue()
    prune()
    assert list(DBTaskResult.objects.values_list("args_kwargs__kwargs__subject", flat=True)) == [
        "New"
    ]
    assert not RecurringRun.objects.exists()


def describe(pdf: bytes) -> tuple[str, str, str]:
    """(reader, language, print size) of a handout, as a reader of the paper tells them."""
    text = pdf_text(pdf)
    spanish = "Su programa de ejercicios" in text or "Programa de ejercicios en casa de" in text
    therapist = "Home exercise program of" in text or "Programa de ejercicios en casa de" in text
    large = min(size for size, _char in text_sizes(pdf)) >= 14
    return (
        "therapist" if therapist else "patient",
        "es" if spanish else "en",
        "large" if large else "normal",
    )


@pytest.mark.usefixtures("render_ahead")
@pytest.mark.django_db(transaction=True)  # the worker closes connections left in a transaction
def test_every_copy_anyone_can_download_is_rendered_in_the_background_and_served_from_storage(
    queued_tasks, handout_store, patient, therapist, django_capture_on_commit_callbacks, caplog
):
    cache.clear()
    caplog.set_level(logging.INFO)
    _row, api_key = create_api_key(clinic=patient.clinic, name="EHR sync", created_by=therapist)
    draft = make_prescription(patient, therapist, activate=False)
    with django_capture_on_commit_callbacks(execute=True):
        activate_prescription(prescription=draft)
    assert DBTaskResult.objects.filter(task_path__endswith="render_handout_pdf").count() == 1
    work_through_queue()

    # The handout page's copies (the therapist's and the patient's, in the patient's
    # English) and the API's (the patient's, in English or Spanish), each in both sizes.
    stored = {describe(path.read_bytes()): path for path in handout_store.glob("*.pdf")}
    assert sorted(stored) == [
        ("patient", "en", "large"),
        ("patient", "en", "normal"),
        ("patient", "es", "large"),
        ("patient", "es", "normal"),
        ("therapist", "en", "large"),
        ("therapist", "en", "normal"),
    ]
    assert all(path.name.startswith(f"handout-{draft.pk}-v1-") for path in stored.values())

    # Marked, to tell a stored copy from a new render.
    marks = {variant: b"%PDF-1.7 stored " + "-".join(variant).encode() for variant in stored}
    for variant, path in stored.items():
        path.write_bytes(marks[variant])
    page = reverse("handouts:pdf", args=[draft.pk])
    api_url = f"/api/v1/prescriptions/{draft.pk}/handout.pdf"
    downloads = []
    for user, reader in ((patient.user, "patient"), (therapist, "therapist")):
        client = Client()
        client.force_login(user)
        for size in ("normal", "large"):
            downloads.append(((reader, "en", size), client.get(f"{page}?size={size}")))
    api = Client(HTTP_AUTHORIZATION=f"Api-Key {api_key}", HTTP_ACCEPT="application/pdf")
    for language in ("en", "es"):
        for size in ("normal", "large"):
            downloads.append(
                (("patient", language, size), api.get(f"{api_url}?lang={language}&size={size}"))
            )
    client = Client()
    client.force_login(patient.user)
    downloads.append((("patient", "en", "normal"), client.get(page)))

    for variant, response in downloads:
        assert response.status_code == 200, variant
        assert response.content == marks[variant], variant
    assert len(list(handout_store.glob("*.pdf"))) == len(stored)  # nothing rendered
    # The operator sees where each download came from in the log: the first download
    # of a copy reads the store, the cache keeps it from there; none waited for a render.
    sources = [
        record.args[1] for record in caplog.records if "served (source" in record.getMessage()
    ]
    assert sorted(set(sources)) == ["cache", "stored"]
    assert sources.count("stored") == len(stored)


@pytest.mark.hazard("H-07")
@pytest.mark.usefixtures("render_ahead")
@pytest.mark.django_db(transaction=True)
def test_a_new_version_leaves_only_its_own_stored_handouts(
    queued_tasks, handout_store, patient, therapist, django_capture_on_commit_callbacks
):
    other_patient = make_patient(patient.clinic, first_name="Other")
    with django_capture_on_commit_callbacks(execute=True):
        first = make_prescription(patient, therapist)
        others = make_prescription(other_patient, therapist)
    work_through_queue()
    folder = handout_store
    assert len(list(folder.glob(f"handout-{first.pk}-*.pdf"))) == 6
    (folder / f"handout-{first.pk}-v1-0000stale.pdf").write_bytes(b"%PDF old layout")

    with django_capture_on_commit_callbacks(execute=True):
        second = make_prescription(patient, therapist)
    work_through_queue()
    first.refresh_from_db()
    assert first.status == first.Status.ENDED
    assert not list(folder.glob(f"handout-{first.pk}-*.pdf"))
    # The revision's own copies replace them: every one anyone can download.
    revised = [describe(path.read_bytes()) for path in folder.glob(f"handout-{second.pk}-*.pdf")]
    assert len(set(revised)) == len(revised) == 6
    # Another patient's copies are theirs to keep.
    assert len(list(folder.glob(f"handout-{others.pk}-*.pdf"))) == 6
    # The ended version still downloads: rendered again on demand.
    client = Client()
    client.force_login(therapist)
    response = client.get(reverse("handouts:pdf", args=[first.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


@pytest.mark.django_db
def test_the_handout_is_rendered_inline_when_the_worker_has_not_made_it(
    handout_store, patient_client, prescription
):
    response = patient_client.get(reverse("handouts:pdf", args=[prescription.pk]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


@pytest.mark.hazard("H-08")
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real concurrent workers")
@pytest.mark.django_db(transaction=True)
def test_two_workers_on_postgresql_never_send_one_reminder_twice(
    queued_tasks, clinic, therapist, tmp_path
):
    patients = [make_patient(clinic, first_name=f"P{n}") for n in range(120)]
    for patient in patients:
        make_prescription(patient, therapist)
        ReminderPlan.objects.create(patient=patient, times=["09:00"], by_email=True)
    DBTaskResult.objects.all().delete()  # the handout renders the activations queued
    at_nine = datetime(2026, 3, 11, 9, 0, 20, tzinfo=UTC)
    due = due_reminders(at_nine)
    assert len(due) == 120
    items = [[d.patient_id, d.slot.isoformat(), d.channel] for d in due]
    # Every reminder queued three times over, in overlapping batches, as if several
    # schedulers had raced: the workers must still send each exactly once.
    for start in range(0, 120, 20):
        send_reminders.enqueue(items[start : start + 40])
    send_reminders.enqueue(items)
    scan_reminders.enqueue(at_nine.isoformat())

    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path),
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
    }
    command = [sys.executable, "manage.py", "run_worker", "--batch", "--no-schedule", "--no-reload"]
    workers = [
        subprocess.Popen([*command, "--worker-id", f"w{n}"], cwd=ROOT, env=env) for n in range(2)
    ]
    for worker in workers:
        assert worker.wait(timeout=90) == 0

    assert SentReminder.objects.count() == 120
    messages = sum(path.read_text().count("\nSubject: ") for path in tmp_path.iterdir())
    assert messages == 120
    assert not DBTaskResult.objects.exclude(status="SUCCESSFUL").exists()


@pytest.mark.django_db(transaction=True)
def test_invitation_and_password_reset_emails_are_queued_and_sent_by_the_worker(
    queued_tasks, client, clinic, therapist
):
    patient = make_patient(clinic, first_name="Ines", email="ines@example.test")
    client.force_login(therapist)
    response = client.post(reverse("patients:invite", kwargs={"pk": patient.pk}), follow=True)
    assert "The portal link is being emailed to ines@example.test." in response.content.decode()
    client.logout()
    client.post(reverse("password_reset"), {"email": therapist.email})
    assert mail.outbox == []  # nothing goes out inside the request
    # Queued by id (the worker composes each email): no link in the queue table.
    assert sorted(DBTaskResult.objects.values_list("task_path", flat=True)) == [
        "config.tasks.send_password_reset",
        "dashboard.tasks.send_portal_invitation",
    ]

    work_through_queue()
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        ["ines@example.test", therapist.email]
    )
    assert "/portal/activate/" in next(m.body for m in mail.outbox if m.to == ["ines@example.test"])


@pytest.mark.django_db(transaction=True)
def test_without_rendering_ahead_nothing_is_queued_and_the_first_download_stores_its_copy(
    queued_tasks, handout_store, patient, therapist, django_capture_on_commit_callbacks
):
    draft = make_prescription(patient, therapist, activate=False)
    with django_capture_on_commit_callbacks(execute=True):
        activate_prescription(prescription=draft)
    assert not DBTaskResult.objects.filter(task_path__endswith="render_handout_pdf").exists()
    assert not list(handout_store.glob("*.pdf"))
    client = Client()
    client.force_login(patient.user)
    response = client.get(reverse("handouts:pdf", args=[draft.pk]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert len(list(handout_store.glob("*.pdf"))) == 1
