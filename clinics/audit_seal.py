"""Sealing the audit chains after the fact, so that no request holds a clinic-wide lock.

A request only inserts its event (clinics.models.AuditEvent.save): one INSERT, no
lock, with the MAC of its own fields. Extending a chain at that moment would make
every request of a clinic wait for the one before it (the clinic row locked until
commit). Instead the sealer links the waiting events, oldest id first, onto the end
of their clinic's chain: a position (`seq`), the MAC of the event before, and a MAC
over both. The worker runs it every minute (`clinics.tasks.seal_audit_chains`), and
the checkpoints and `verify_audit` run it before they count or check anything.

An event that commits after a later-numbered one was sealed is simply sealed in the
next round, after it: the chain's order is its `seq`, not its id.

An event whose MAC does not match its fields (changed, or inserted without the key,
while it waited) is not sealed; it stays waiting and `verify_audit` reports it.
"""

from __future__ import annotations

import logging

from django.db import connection, transaction

from .audit_chain import GENESIS, event_mac, macs_match, sealed_fields_of
from .models import AuditEvent, current_audit_key

logger = logging.getLogger(__name__)

# An arbitrary number naming the advisory lock only sealers take (never a request):
# two workers sealing at once would otherwise both extend a chain from the same head.
SEALING_LOCK = 7_140_813
BATCH = 1000


def entry_mac_holds(event: AuditEvent, key: bytes) -> bool:
    """Whether a waiting event is as its request wrote it (its MAC, without a link)."""
    return macs_match(event.hash, event_mac(key, **{**sealed_fields_of(event), "prev_hash": ""}))


def seal_chains() -> int:
    """Link every waiting event into its chain; returns how many were sealed."""
    sealed, after = 0, 0
    while after is not None:
        done, after = _seal_batch(after)
        sealed += done
    return sealed


def _seal_batch(after: int) -> tuple[int, int | None]:
    """Seal up to BATCH waiting events with ids above `after`; returns how many, and
    where the next batch starts (None when none is left)."""
    key = current_audit_key()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SEALING_LOCK])
        # SQLite runs one writing transaction at a time: it needs no lock of its own.
        waiting = list(AuditEvent.objects.pending().filter(id__gt=after).order_by("id")[:BATCH])
        heads: dict[int | None, tuple[int, str]] = {}
        sealed = 0
        for event in waiting:
            chain = event.clinic_id
            if chain not in heads:
                heads[chain] = (
                    AuditEvent.objects.sealed()
                    .filter(clinic_id=chain)
                    .order_by("-seq")
                    .values_list("seq", "hash")
                    .first()
                ) or (0, GENESIS)
            if not entry_mac_holds(event, key):
                logger.error(
                    "Audit event %s was changed before it was sealed; left out of the chain.",
                    event.pk,
                )
                continue
            seq, prev_hash = heads[chain]
            event.seq, event.prev_hash = seq + 1, prev_hash
            event.hash = event_mac(key, **sealed_fields_of(event))
            AuditEvent.objects.seal(
                event.pk, seq=event.seq, prev_hash=event.prev_hash, hash=event.hash
            )
            heads[chain] = (event.seq, event.hash)
            sealed += 1
    # Tampered rows stay waiting: the next batch starts after them, not with them.
    return sealed, waiting[-1].pk if len(waiting) == BATCH else None
