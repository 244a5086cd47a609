import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from clinics.audit_checks import write_checkpoints
from clinics.models import AuditCheckpoint


class Command(BaseCommand):
    help = (
        "Write a checkpoint of each audit chain that grew since its last one, then print "
        "the checkpoints as JSON lines, for shipping off the server (append them to a "
        "file elsewhere; `verify_audit --checkpoints FILE` reads it back)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--after",
            type=int,
            default=0,
            metavar="ID",
            help="Print only checkpoints after this id (the last one already shipped).",
        )
        parser.add_argument(
            "--no-write", action="store_true", help="Only print; write no new checkpoint."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["no_write"]:
            write_checkpoints()
        for point in AuditCheckpoint.objects.filter(id__gt=options["after"]).order_by("id"):
            self.stdout.write(json.dumps({"id": point.pk, **point.as_json()}, sort_keys=True))
