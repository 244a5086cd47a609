"""Background tasks of the programs core."""

from __future__ import annotations

from django_tasks import task

from clinics.tasks import retried

from .escalation import escalate_overdue_alerts
from .services import raise_inactivity_alerts


@task()
@retried
def check_inactivity() -> int:
    """The daily "not keeping up" check (scheduled by `manage.py run_worker`)."""
    return len(raise_inactivity_alerts())


@task()
@retried
def escalate_urgent_alerts() -> int:
    """Urgent alerts nobody acknowledged in time go to the clinic's administrators
    (scheduled every 5 minutes by `manage.py run_worker`)."""
    return len(escalate_overdue_alerts())
