import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from clinics.audit_checks import (
    Checkpoint,
    chain_problems,
    parse_checkpoint,
    stored_checkpoints,
    waiting_problems,
)
from clinics.audit_seal import seal_chains
from clinics.models import AuditEvent, Clinic, current_audit_key


def read_checkpoint_file(path: str) -> list[Checkpoint]:
    try:
        lines = Path(path).read_text().splitlines()
    except OSError as exc:
        raise CommandError(f"Cannot read {path}: {exc.strerror}.") from exc
    points = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            points.append(parse_checkpoint(json.loads(line), source=f"{path}:{number}"))
        except (ValueError, KeyError, TypeError) as exc:
            raise CommandError(f"{path}, line {number}: not a checkpoint ({exc}).") from exc
    return points


class Command(BaseCommand):
    help = (
        "Check that the audit log was not altered: recompute each clinic's keyed chain "
        "and hold it against the checkpoints (those in the database and any exported "
        "copies given with --checkpoints). Reports edited, deleted, inserted, "
        "recomputed and cut-off chains; exits with an error if any is found."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--checkpoints",
            action="append",
            default=[],
            metavar="FILE",
            help="JSON lines written by `audit_checkpoints` and kept off the server.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        key = current_audit_key()
        # What requests wrote since the worker last sealed is checked as a chain too.
        seal_chains()
        points = list(stored_checkpoints())
        for path in options["checkpoints"]:
            points += read_checkpoint_file(path)
        labels: dict[int | None, str] = {
            clinic.pk: f"{clinic.name} ({clinic.slug})" for clinic in Clinic.objects.order_by("pk")
        }
        for point in points:
            labels.setdefault(point.clinic_id, f"clinic {point.clinic_id} (not in the database)")
        labels.setdefault(None, "events without a clinic")
        broken = 0
        for clinic_id, label in labels.items():
            chain = AuditEvent.objects.filter(clinic_id=clinic_id)
            mine = [point for point in points if point.clinic_id == clinic_id]
            count, problems = chain_problems(chain.sealed().order_by("seq").iterator(), mine, key)
            waiting, refused = waiting_problems(chain.pending().order_by("id").iterator(), key)
            problems += refused
            if problems:
                broken += 1
                for problem in problems:
                    self.stdout.write(f"BROKEN  {label}: {problem}")
            else:
                later = f" ({waiting} written since, not sealed yet)" if waiting else ""
                self.stdout.write(f"ok      {label}: {count} events{later}")
        if broken:
            raise CommandError(f"The audit log was altered: {broken} chain(s) broken.")
