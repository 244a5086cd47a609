"""`Idempotency-Key` on POST: a retry gets the first answer instead of a second write.

The record is inserted in the same transaction as the write it protects, so:
- a write that fails (any error) leaves no record, and the client may retry it
  with the same key, corrected;
- two copies of one request arriving together are serialized by the unique
  constraint: the second waits for the first to commit, then replays its answer;
- a record only exists for a write that happened, on every app server (it is in
  the database, not in a local cache).
Records last 24 hours; expired ones of a credential are removed as it makes new ones.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from clinics.models import AuditEvent, Clinic, audit

from .auth import credential_label
from .models import IdempotencyRecord

HEADER = "Idempotency-Key"
# Printable ASCII without spaces at the ends: UUIDs and the like, never control characters.
KEY_PATTERN = re.compile(r"[\x21-\x7e]([\x20-\x7e]{0,253}[\x21-\x7e])?")
REPLAY_HEADER = "Idempotent-Replayed"


class IdempotencyKeyReused(exceptions.APIException):
    # 409: the key is already bound to another request, a conflict with stored state.
    status_code = status.HTTP_409_CONFLICT
    default_detail = _(
        "This Idempotency-Key was already used with a different request (method, path or "
        "body) in the last 24 hours. Use a new key for a new request."
    )
    default_code = "idempotency_key_reused"


def _fingerprint(request: Request) -> str:
    body = json.dumps(request.data, sort_keys=True, separators=(",", ":"), cls=JSONEncoder)
    text = f"{request.method} {request.path}\n{body}"
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _replay(request: Request, record: IdempotencyRecord, clinic: Clinic) -> Response:
    # Replaying shows the stored answer (possibly patient data) again: that is a read.
    audit(
        action=AuditEvent.Action.VIEW,
        request=request,
        clinic=clinic,
        object_type="idempotent_replay",
        object_id=record.pk,
        detail={"path": request.path, "idempotency_key": record.key},
    )
    return Response(
        record.response_body, status=record.status_code, headers={REPLAY_HEADER: "true"}
    )


def run_idempotently(request: Request, clinic: Clinic, handler: Callable[[], Response]) -> Response:
    """Answer a POST through `handler`, or with the answer stored for its key."""
    key = request.headers.get(HEADER)
    if key is None:
        return handler()
    if not KEY_PATTERN.fullmatch(key):
        raise exceptions.ValidationError(
            {HEADER: [_("Use 1 to 255 printable ASCII characters, e.g. a UUID.")]}
        )
    owner = credential_label(request)
    fingerprint = _fingerprint(request)
    now = timezone.now()
    with transaction.atomic():
        IdempotencyRecord.objects.filter(
            owner=owner, created_at__lt=now - IdempotencyRecord.LIFETIME
        ).delete()
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(
                    clinic=clinic, owner=owner, key=key, fingerprint=fingerprint, created_at=now
                )
        except IntegrityError:
            record = IdempotencyRecord.objects.get(owner=owner, key=key)
            if record.fingerprint != fingerprint:
                raise IdempotencyKeyReused() from None
            return _replay(request, record, clinic)
        response = handler()
        if not status.is_success(response.status_code):
            # Only a write that happened is remembered; a refused one may be retried.
            transaction.set_rollback(True)
            return response
        # Stored as the client saw it: JSON-encoded then decoded, so dates are strings.
        record.status_code = response.status_code
        record.response_body = json.loads(json.dumps(response.data, cls=JSONEncoder))
        record.save(update_fields=["status_code", "response_body"])
    return response
