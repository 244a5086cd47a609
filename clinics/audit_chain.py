"""The hash chain that makes the audit log tamper-evident.

Each event stores the hash of the previous event of its clinic (`prev_hash`)
and a hash over its own content and that link (`hash`). Editing a row changes
its hash; deleting or inserting one breaks the next row's link. `manage.py
verify_audit` walks each clinic's chain and reports the first broken link.

Pure functions of plain values, so a data migration can use them too.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64


def canonical(
    *,
    clinic_id: int | None,
    actor_label: str,
    action: str,
    object_type: str,
    object_id: str,
    patient_id: int | None,
    at: datetime,
    ip: str | None,
    detail: Any,
    prev_hash: str,
) -> bytes:
    """The event's content as bytes, the same however it was read back.

    The actor's user id is left out on purpose: deleting a user empties that
    column (SET NULL) without anyone tampering; `actor_label` keeps who it was.
    """
    content = {
        "clinic": clinic_id,
        "actor": actor_label,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "patient": patient_id,
        "at": at.astimezone(UTC).isoformat(),
        "ip": ip,
        "detail": detail,
        "prev": prev_hash,
    }
    return json.dumps(content, sort_keys=True, separators=(",", ":"), default=str).encode()


def event_hash(**fields: Any) -> str:
    return hashlib.sha256(canonical(**fields)).hexdigest()


def fields_of(event: Any) -> dict[str, Any]:
    return {
        "clinic_id": event.clinic_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "patient_id": event.patient_id,
        "at": event.at,
        "ip": event.ip,
        "detail": event.detail,
        "prev_hash": event.prev_hash,
    }
