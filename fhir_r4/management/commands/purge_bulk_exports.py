"""`manage.py purge_bulk_exports`: delete the Bulk Data exports whose time is up.

The worker deletes each export when its time is up; this sweeps up any it missed
(a worker that was down, a queue emptied by hand)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from fhir_r4.bulk import purge_expired_exports


class Command(BaseCommand):
    help = "Delete the FHIR Bulk Data exports (and their files) whose time is up"

    def handle(self, *args: Any, **options: Any) -> None:
        removed = purge_expired_exports()
        self.stdout.write(f"{removed} expired export(s) deleted.")
