"""Reminder tasks: a scan every minute queues the due reminders in batches."""

from __future__ import annotations

from datetime import datetime

from django_tasks import task

from clinics.tasks import retried

from .services import Due, batches, due_reminders, send_due


@task()
@retried
def scan_reminders(now: str | None = None) -> int:
    """Queue every reminder due at `now` (ISO time; the scheduler's minute)."""
    due = due_reminders(datetime.fromisoformat(now) if now else None)
    for batch in batches(due):
        send_reminders.enqueue(
            [[item.patient_id, item.slot.isoformat(), item.channel] for item in batch]
        )
    return len(due)


@task()
@retried
def send_reminders(items: list[list]) -> int:
    return send_due(
        [
            Due(int(patient_id), datetime.fromisoformat(slot), channel)
            for patient_id, slot, channel in items
        ]
    )
