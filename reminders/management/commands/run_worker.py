"""`manage.py run_worker`: the background worker, with the recurring-work scheduler.

The same as django-tasks-db's `db_worker` (same options), plus a thread that queues
the reminder scan every minute and the inactivity check every day. Run as many as you
like, on as many machines: on PostgreSQL each task is claimed by one worker
(SELECT ... FOR UPDATE SKIP LOCKED) and each recurring run is queued by one.
"""

from __future__ import annotations

import os
from argparse import ArgumentParser
from typing import Any

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand

from reminders.schedule import Scheduler


class Command(DBWorkerCommand):
    help = "Run the background worker and the recurring-work scheduler"

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--no-schedule",
            action="store_false",
            dest="schedule",
            help="Only work through the queue; queue no recurring work.",
        )

    def handle(self, *args: Any, schedule: bool = True, **options: Any) -> None:
        reloader_parent = options.get("reload") and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true"
        if schedule and not options.get("batch") and not reloader_parent:
            Scheduler().start()
        super().handle(*args, **options)
