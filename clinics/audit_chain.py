"""The keyed chain that makes the audit log tamper-evident, and the checkpoints
that make it prove its own length.

Each event stores the MAC of the previous event of its clinic (`prev_hash`) and a
MAC over every field of its own and that link (`hash`): HMAC-SHA256 keyed by
`settings.AUDIT_KEY`, a secret kept outside the database. Editing a row changes
its MAC; deleting or inserting one breaks the next row's link; and whoever can
write to the database but does not hold the key cannot recompute the chain.

A chain alone cannot show that its newest rows, or all of them, were deleted.
Checkpoints can: at intervals the worker records each chain's length and head MAC,
itself MAC'd, and an operator ships them off the server (`manage.py
audit_checkpoints`). `manage.py verify_audit` checks the chains against them.

Pure functions of plain values, so a data migration can use them too.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64


def audit_key(*, audit_key_setting: str, secret_key: str) -> bytes:
    """The MAC key: AUDIT_KEY, or outside production one derived from SECRET_KEY
    (settings refuse production without AUDIT_KEY)."""
    if audit_key_setting:
        return audit_key_setting.encode()
    return hashlib.sha256(b"centra-audit-development:" + secret_key.encode()).digest()


def _json(content: dict[str, Any]) -> bytes:
    return json.dumps(content, sort_keys=True, separators=(",", ":"), default=str).encode()


def sealed_content(
    *,
    clinic_id: int | None,
    actor_id: int | None,
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
    """Every field of the event (its row id aside, which the chain order stands
    for) as bytes, the same however it was read back."""
    return _json(
        {
            "v": 2,
            "clinic": clinic_id,
            "actor_id": actor_id,
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
    )


def event_mac(key: bytes, **fields: Any) -> str:
    return hmac.new(key, sealed_content(**fields), hashlib.sha256).hexdigest()


def sealed_fields_of(event: Any) -> dict[str, Any]:
    return {
        "clinic_id": event.clinic_id,
        "actor_id": event.actor_id,
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


def checkpoint_mac(
    key: bytes, *, clinic_id: int | None, count: int, head_hash: str, at: datetime
) -> str:
    content = _json(
        {
            "checkpoint": 1,
            "clinic": clinic_id,
            "count": count,
            "head": head_hash,
            "at": at.astimezone(UTC).isoformat(),
        }
    )
    return hmac.new(key, content, hashlib.sha256).hexdigest()


def macs_match(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


# The first chain (migration 0002): unkeyed SHA-256 without the actor's id. Kept so
# that migration runs, and so the upgrade can check the old chain before re-sealing.


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
    return _json(content)


def event_hash(**fields: Any) -> str:
    return hashlib.sha256(canonical(**fields)).hexdigest()


def fields_of(event: Any) -> dict[str, Any]:
    fields = sealed_fields_of(event)
    del fields["actor_id"]
    return fields
