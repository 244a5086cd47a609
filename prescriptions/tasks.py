"""Background tasks of the programs core."""

from __future__ import annotations

from django_tasks import task

from clinics.tasks import retried

from .services import raise_inactivity_alerts


@task()
@retried
def check_inactivity() -> int:
    """The daily "not keeping up" check (scheduled by `manage.py run_worker`)."""
    return len(raise_inactivity_alerts())
