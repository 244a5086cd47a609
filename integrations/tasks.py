"""The worker's webhook tasks (see delivery.py for the sending itself)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task

from reminders.models import RecurringRun

from .delivery import deliver_queue, due_queues


@task()
def deliver_webhooks(endpoint_id: int, patient_id: int | None) -> None:
    """Send one patient's waiting events to one endpoint, and come back for a retry."""
    again = deliver_queue(endpoint_id=endpoint_id, patient_id=patient_id)
    if again is not None and deliver_webhooks.get_backend().supports_defer:
        deliver_webhooks.using(run_after=again).enqueue(endpoint_id, patient_id)


@task()
def deliver_due_webhooks() -> int:
    """Queue a delivery run for every queue that is due: the safety net for a retry
    whose task was lost (a worker stopped mid-run, a crash right after a commit)."""
    queues = due_queues()
    for endpoint_id, patient_id in queues:
        deliver_webhooks.enqueue(endpoint_id, patient_id)
    return len(queues)


def queue_due_webhooks(*, now=None, **kwargs) -> bool:
    """Queue `deliver_due_webhooks` once a minute, whichever worker's scheduler asks
    first (connected to the scheduler's tick in apps.py)."""
    minute = (now or timezone.now()).replace(second=0, microsecond=0)
    try:
        with transaction.atomic():
            RecurringRun.objects.create(name="webhooks", slot=minute)
    except IntegrityError:
        return False
    deliver_due_webhooks.enqueue()
    return True
