"""Recurring work, without cron: every worker runs this loop beside its queue, and a
unique row per (job, slot) makes exactly one of them queue each run.

- the reminder scan, every minute;
- the escalation of urgent alerts nobody acknowledged, every 5 minutes;
- the inactivity check, once a day from INACTIVITY_HOUR (local time) on, so a day
  whose workers were down at that hour still gets its check when one starts;
- the sealing of the audit chains, every minute (clinics.audit_seal);
- the audit checkpoints, every hour (clinics.audit_checks);
- tasks a killed worker left running go back to the queue, checked every minute.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError, close_old_connections, transaction
from django.dispatch import Signal
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from clinics.tasks import seal_audit_chains, write_audit_checkpoints
from prescriptions.tasks import check_inactivity, escalate_urgent_alerts

from .models import RecurringRun
from .tasks import scan_reminders

logger = logging.getLogger(__name__)

INACTIVITY_HOUR = 6
ESCALATION_EVERY_MINUTES = 5
TICK_SECONDS = 5

# Sent on every tick with `now`, so apps above the reminders (webhooks) queue their own
# recurring work without this module importing them.
tick = Signal()


def _claim(name: str, slot: datetime) -> bool:
    try:
        with transaction.atomic():
            RecurringRun.objects.create(name=name, slot=slot)
    except IntegrityError:
        return False
    return True


def run_due(now: datetime | None = None) -> list[str]:
    """Queue the recurring work due at `now` that no worker has queued yet."""
    now = now or timezone.now()
    queued = []
    minute = now.replace(second=0, microsecond=0)
    if _claim("reminders", minute):
        scan_reminders.enqueue(minute.isoformat())
        queued.append("reminders")
    if _claim("audit-seal", minute):
        seal_audit_chains.enqueue()
        queued.append("audit-seal")
    if minute.minute % ESCALATION_EVERY_MINUTES == 0 and _claim("escalation", minute):
        escalate_urgent_alerts.enqueue()
        queued.append("escalation")
    local = timezone.localtime(now)
    if local.time() >= time(INACTIVITY_HOUR):
        day = datetime.combine(local.date(), time(0), tzinfo=local.tzinfo)
        if _claim("inactivity", day):
            check_inactivity.enqueue()
            queued.append("inactivity")
    if _claim("audit-checkpoints", minute.replace(minute=0)):
        write_audit_checkpoints.enqueue()
        queued.append("audit-checkpoints")
    tick.send(sender=None, now=now)
    if _claim("abandoned-tasks", minute):
        requeue_abandoned(now)
    return queued


def requeue_abandoned(now: datetime | None = None) -> int:
    """Put back in the queue the tasks claimed more than TASK_ABANDONED_SECONDS ago and
    still running: their worker died (killed, or its machine lost) and nothing else
    would ever run them. Every task here may run again: a reminder already recorded is
    not sent again (one whose send was cut off before its row was committed may go out
    twice, rather than never), a handout copy is written again, sealing and checkpoints
    start from what is stored. The number put back."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.TASK_ABANDONED_SECONDS)
    abandoned = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=cutoff)
    count = abandoned.update(status=TaskResultStatus.READY, run_after=now)
    if count:
        logger.warning("%d abandoned tasks were put back in the queue.", count)
    return count


# Finished tasks are kept this long in the queue table (failed ones longer, to look into).
KEEP_SUCCESSFUL = timedelta(days=7)
KEEP_FAILED = timedelta(days=30)


def prune(now: datetime | None = None) -> None:
    """Drop old bookkeeping: past recurring slots and long-finished task rows."""
    now = now or timezone.now()
    RecurringRun.objects.filter(slot__lt=now - timedelta(days=3)).delete()
    DBTaskResult.objects.successful().filter(finished_at__lt=now - KEEP_SUCCESSFUL).delete()
    DBTaskResult.objects.failed().filter(finished_at__lt=now - KEEP_FAILED).delete()


class Scheduler(threading.Thread):
    def __init__(self) -> None:
        super().__init__(name="centra-scheduler", daemon=True)
        self.stopping = threading.Event()

    def run(self) -> None:
        ticks = 0
        while not self.stopping.is_set():
            try:
                run_due()
                ticks += 1
                if ticks % 720 == 1:  # at start, then hourly
                    prune()
            except Exception:
                logger.exception("The scheduler could not queue recurring work.")
            finally:
                close_old_connections()
            self.stopping.wait(TICK_SECONDS)
