"""Background work every app can use: a retry policy for tasks and the email task.

Tasks run through Django's tasks API (the django-tasks backport) on a queue kept in
the database; `manage.py run_worker` works through it. A task that fails is logged
and queued again with a growing delay (30 s, 60 s, 120 s... up to
`settings.TASK_ATTEMPTS` tries in all); the failed attempt stays in the queue table
with its traceback, so nothing is lost silently.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

from .audit_checks import write_checkpoints
from .audit_seal import seal_chains

logger = logging.getLogger(__name__)


def retry_delay(attempt: int) -> timedelta:
    """How long to wait before trying again after the given (1-based) failed attempt."""
    return timedelta(seconds=settings.TASK_RETRY_SECONDS * 2 ** (attempt - 1))


def retried(function: Callable[..., Any]) -> Callable[..., Any]:
    """Queue the task again, later, when it raises; put it under `@task()`.

    The wrapped function takes one more keyword, `attempt` (1 on the first run).
    The exception still propagates, so the worker records this attempt as failed."""

    @functools.wraps(function)
    def run(*args: Any, attempt: int = 1, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except Exception:
            name = f"{function.__module__}.{function.__qualname__}"
            this_task = import_string(name)
            backend = this_task.get_backend()
            if attempt < settings.TASK_ATTEMPTS and backend.supports_defer:
                delay = retry_delay(attempt)
                logger.warning(
                    "Task %s failed (attempt %d of %d); trying again in %d s.",
                    name,
                    attempt,
                    settings.TASK_ATTEMPTS,
                    delay.total_seconds(),
                    exc_info=True,
                )
                this_task.using(run_after=timezone.now() + delay).enqueue(
                    *args, attempt=attempt + 1, **kwargs
                )
            else:
                logger.error(
                    "Task %s failed for good after %d attempts.", name, attempt, exc_info=True
                )
            raise

    return run


@task()
@retried
def send_email(
    *,
    subject: str,
    body: str,
    to: list[str],
    html: str | None = None,
    from_email: str | None = None,
) -> None:
    """Send one email; the message is composed (and translated) by whoever queues it."""
    message = EmailMultiAlternatives(subject, body, from_email, to)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()


@task()
@retried
def write_audit_checkpoints() -> int:
    """A checkpoint of each audit chain that grew (the scheduler queues it hourly)."""
    return len(write_checkpoints())


@task()
@retried
def seal_audit_chains() -> int:
    """Link the audit events requests wrote into their chains (queued every minute)."""
    return seal_chains()
