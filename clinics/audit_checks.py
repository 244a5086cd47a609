"""Checkpoints of the audit chains, and the check `verify_audit` runs against them.

Both count and check sealed events only, in chain order (`seq`), after sealing
whatever was waiting (clinics.audit_seal).

A chain (clinics.audit_chain) shows an edited, inserted or deleted row; what it
cannot show alone is that its newest rows, or all of them, were deleted. Each
checkpoint records a chain's length and head MAC at one moment, MAC'd with the
same key; a later chain shorter than a checkpoint, or with another row at the
checkpoint's position, was cut or rewritten.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from .audit_chain import GENESIS, checkpoint_mac, event_mac, macs_match, sealed_fields_of
from .audit_seal import entry_mac_holds, seal_chains
from .models import AuditCheckpoint, AuditEvent, Clinic, current_audit_key


@dataclass(frozen=True)
class Checkpoint:
    clinic_id: int | None
    count: int
    head_hash: str
    at: datetime
    mac: str
    source: str  # "database" or the file it was read from

    def genuine(self, key: bytes) -> bool:
        expected = checkpoint_mac(
            key, clinic_id=self.clinic_id, count=self.count, head_hash=self.head_hash, at=self.at
        )
        return macs_match(expected, self.mac)

    def describe(self) -> str:
        return f"the checkpoint of {self.at.isoformat()} ({self.source})"


def write_checkpoints(*, now: datetime | None = None) -> list[AuditCheckpoint]:
    """A checkpoint of each chain that has grown since its last one (sealed first, so
    it counts every event written until now)."""
    now = now or timezone.now()
    key = current_audit_key()
    seal_chains()
    written = []
    for clinic_id in [*Clinic.objects.order_by("pk").values_list("pk", flat=True), None]:
        with transaction.atomic():
            events = AuditEvent.objects.sealed().filter(clinic_id=clinic_id)
            count = events.count()
            last = AuditCheckpoint.objects.filter(clinic_id=clinic_id).order_by("-id").first()
            if count == 0 or (last is not None and last.count == count):
                continue
            head = events.order_by("-seq").values_list("hash", flat=True).first()
            mac = checkpoint_mac(key, clinic_id=clinic_id, count=count, head_hash=head, at=now)
            written.append(
                AuditCheckpoint.objects.create(
                    clinic_id=clinic_id, count=count, head_hash=head, at=now, mac=mac
                )
            )
    return written


def stored_checkpoints() -> Iterator[Checkpoint]:
    for row in AuditCheckpoint.objects.order_by("id").iterator():
        yield Checkpoint(row.clinic_id, row.count, row.head_hash, row.at, row.mac, "database")


def parse_checkpoint(line: dict[str, Any], source: str) -> Checkpoint:
    """One exported line (`AuditCheckpoint.as_json`) back as a checkpoint."""
    at = parse_datetime(str(line["at"]))
    if at is None:
        raise ValueError(f"not a date: {line['at']!r}")
    return Checkpoint(
        line["clinic"], int(line["count"]), str(line["head"]), at, str(line["mac"]), source
    )


def chain_problems(
    events: Iterable[AuditEvent], checkpoints: list[Checkpoint], key: bytes
) -> tuple[int, list[str]]:
    """Walk one chain in order against its checkpoints. Returns the number of
    events and a description of each thing found wrong (empty when it holds)."""
    problems: list[str] = []
    forged = [point for point in checkpoints if not point.genuine(key)]
    for point in forged:
        problems.append(f"{point.describe()} does not carry a valid MAC: it was forged or edited")
    wanted: dict[int, list[Checkpoint]] = {}
    for point in checkpoints:
        if point not in forged:
            wanted.setdefault(point.count, []).append(point)

    expected_prev, previous_id, count, broken = GENESIS, None, 0, False
    for event in events:
        count += 1
        if broken:
            continue
        if event.prev_hash != expected_prev:
            after = f"event {previous_id}" if previous_id else "the start of the chain"
            problems.append(
                f"event {event.id} does not follow {after}: an event before it was "
                "deleted, inserted or changed"
            )
            broken = True
        elif not macs_match(event.hash, event_mac(key, **sealed_fields_of(event))):
            problems.append(
                f"event {event.id} was changed after it was written (its MAC does not "
                "match: edited, or the chain recomputed without the audit key)"
            )
            broken = True
        for point in wanted.get(count, []):
            if not macs_match(point.head_hash, event.hash):
                problems.append(
                    f"event {event.id} is not the event {point.describe()} counted as "
                    f"number {count}: the chain was rewritten"
                )
        expected_prev, previous_id = event.hash, event.id

    longest = max(
        (point for points in wanted.values() for point in points), key=_count, default=None
    )
    if longest is not None and longest.count > count:
        if count == 0:
            problems.append(
                f"every event was deleted: {longest.describe()} counted {longest.count}"
            )
        else:
            problems.append(
                f"the newest events were deleted: {longest.describe()} counted "
                f"{longest.count} events, the chain has {count}"
            )
    return count, problems


def waiting_problems(events: Iterable[AuditEvent], key: bytes) -> tuple[int, list[str]]:
    """The events of one chain still waiting to be sealed: the number, and each one
    whose MAC shows it was changed (or written without the key) while it waited."""
    count, problems = 0, []
    for event in events:
        count += 1
        if not entry_mac_holds(event, key):
            problems.append(
                f"event {event.id} was changed before it was sealed (its MAC does not match: "
                "edited, or written without the audit key)"
            )
    return count, problems


def _count(point: Checkpoint) -> int:
    return point.count
