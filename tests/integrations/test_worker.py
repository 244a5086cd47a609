"""The worker's side: the queue table holds the retry of a failed delivery, and the
scheduler's once-a-minute sweep picks up a queue whose task was lost."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from integrations.events import record_events
from integrations.models import Delivery
from integrations.tasks import deliver_webhooks, queue_due_webhooks
from reminders.schedule import run_due


def emit(patient, resource_id: int) -> None:
    record_events(
        event_type="log.recorded",
        patient_id=patient.pk,
        resource="symptom_log",
        resource_ids=[resource_id],
    )


def test_a_failed_delivery_is_queued_again_for_its_retry_time(
    endpoint, patient, receiver, queued_tasks, settings, frozen_clock
):
    settings.WEBHOOK_RETRY_SECONDS = 60
    Delivery.objects.all().delete()
    receiver.answers = [500]
    emit(patient, 7)

    # What the worker runs for the task (the worker itself is tested in reminders).
    deliver_webhooks.call(endpoint.pk, patient.pk)

    assert len(receiver.requests) == 1
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.task_path == "integrations.tasks.deliver_webhooks"
    assert retry.args_kwargs["args"] == [endpoint.pk, patient.pk]
    assert retry.run_after == Delivery.objects.get().next_attempt_at
    assert retry.run_after > timezone.now() + timedelta(seconds=50)

    frozen_clock.shift(timedelta(seconds=61))
    deliver_webhooks.call(*retry.args_kwargs["args"])

    assert len(receiver.requests) == 2
    assert Delivery.objects.get().status == "delivered"
    assert DBTaskResult.objects.filter(status="READY").count() == 1  # no further retry


def test_the_scheduler_sweeps_for_lost_retries_once_a_minute(endpoint, patient, receiver):
    Delivery.objects.all().delete()
    emit(patient, 7)  # its task was never queued: the commit hook did not run in this test
    now = datetime(2026, 3, 11, 14, 0, 5, tzinfo=UTC)

    run_due(now)  # the tick queues the sweep, which (tasks run at once here) sends it

    assert [json.loads(r["body"])["data"]["resource"]["id"] for r in receiver.requests] == [7]
    assert Delivery.objects.get().status == "delivered"
    # Another worker's scheduler, the same minute, queues no second sweep.
    assert queue_due_webhooks(now=now + timedelta(seconds=20)) is False
    assert queue_due_webhooks(now=now + timedelta(minutes=1)) is True
