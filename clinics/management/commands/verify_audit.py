from typing import Any

from django.core.management.base import BaseCommand, CommandError

from clinics.audit_chain import GENESIS, event_hash, fields_of
from clinics.models import AuditEvent, Clinic


def first_broken_link(events) -> str | None:
    """Walk one clinic's events in order; describe the first that does not hold."""
    expected_prev = GENESIS
    previous_id = None
    for event in events:
        if event.prev_hash != expected_prev:
            after = f"event {previous_id}" if previous_id else "the start of the chain"
            return (
                f"event {event.id} does not follow {after}: an event before it was "
                "deleted, inserted or changed"
            )
        if event.hash != event_hash(**fields_of(event)):
            return f"event {event.id} was changed after it was written"
        expected_prev = event.hash
        previous_id = event.id
    return None


class Command(BaseCommand):
    help = (
        "Check that the audit log was not altered: recompute each clinic's hash chain "
        "and report the first broken link. Exits with an error if one is broken."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        chains: list[tuple[str, int | None]] = [
            (f"{clinic.name} ({clinic.slug})", clinic.pk) for clinic in Clinic.objects.all()
        ]
        chains.append(("events without a clinic", None))
        broken = 0
        for label, clinic_id in chains:
            events = AuditEvent.objects.filter(clinic_id=clinic_id).order_by("id").iterator()
            problem = first_broken_link(events)
            count = AuditEvent.objects.filter(clinic_id=clinic_id).count()
            if problem:
                broken += 1
                self.stdout.write(f"BROKEN  {label}: {problem}")
            else:
                self.stdout.write(f"ok      {label}: {count} events")
        if broken:
            raise CommandError(f"The audit log was altered: {broken} chain(s) broken.")
