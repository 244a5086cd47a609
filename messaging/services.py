"""The writes of messaging: send (as the patient or as the clinic), mark read, assign.

Each runs in a transaction, audits itself, and queues the notification after the
commit, so a rolled-back message notifies nobody.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clinics.models import AuditEvent, audit, clinic_of
from patients.models import Patient

from .models import MAX_BODY, Author, Message, Thread
from .tasks import notify_new_message
from .warning_signs import warning_signs_in


def thread_of(patient: Patient) -> Thread:
    thread, _created = Thread.objects.get_or_create(patient=patient)
    return thread


def clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write a message.")})
    if len(body) > MAX_BODY:
        raise ValidationError(
            {"body": _("A message can be at most %(max)d characters long.") % {"max": MAX_BODY}}
        )
    return body


def _send(
    *, patient: Patient, author: str, author_name: str, body: str, by: Any, request: Any
) -> Message:
    body = clean_body(body)
    with transaction.atomic():
        thread = Thread.objects.select_for_update().get(pk=thread_of(patient).pk)
        now = timezone.now()
        message = Message.objects.create(
            thread=thread,
            patient=patient,
            author=author,
            author_user=by,
            author_name=author_name[:200],
            body=body,
            warning_signs=warning_signs_in(body) if author == Author.PATIENT else [],
            created_at=now,
        )
        thread.last_message_at = now
        thread.save(update_fields=["last_message_at", "updated_at"])
        audit(
            action=AuditEvent.Action.CREATE,
            target=message,
            request=request,
            actor=by,
            detail={"author": author, "warning_signs": message.warning_signs},
        )
        transaction.on_commit(lambda: notify_new_message.enqueue(message.pk))
    return message


def send_as_patient(*, patient: Patient, body: str, request: Any = None) -> Message:
    """A message from the patient to their clinic; flagged when it mentions a warning sign."""
    if patient.archived:
        raise ValidationError(_("The record is archived: messages can no longer be sent."))
    return _send(
        patient=patient,
        author=Author.PATIENT,
        author_name=patient.full_name,
        body=body,
        by=patient.user,
        request=request,
    )


def send_as_clinic(*, patient: Patient, body: str, by: Any = None, request: Any = None) -> Message:
    """A message from the clinic: by a therapist (`by`) or by a clinic system's API key.
    Sending answers the patient, so their messages before it count as read."""
    if patient.archived:
        raise ValidationError(_("The record is archived: messages can no longer be sent."))
    name = (by.get_full_name() or by.get_username()) if by is not None else patient.clinic.name
    with transaction.atomic():
        message = _send(
            patient=patient,
            author=Author.CLINIC,
            author_name=name,
            body=body,
            by=by,
            request=request,
        )
        mark_read(thread=message.thread, reader=Author.CLINIC, by=by, request=request)
    return message


def mark_read(*, thread: Thread, reader: str, by: Any = None, request: Any = None) -> int:
    """Mark the other side's messages as read by `reader` (patient or clinic); the number."""
    other = Author.CLINIC if reader == Author.PATIENT else Author.PATIENT
    with transaction.atomic():
        unread = Message.objects.filter(thread=thread, author=other, read_at__isnull=True)
        ids = list(unread.values_list("pk", flat=True))
        if ids:
            Message.objects.filter(pk__in=ids).update(
                read_at=timezone.now(), read_by=by, updated_at=timezone.now()
            )
            audit(
                action=AuditEvent.Action.UPDATE,
                target=thread,
                request=request,
                actor=by,
                object_type="message",
                detail={"read": ids, "reader": reader},
            )
    return len(ids)


def assign(*, thread: Thread, therapist: Any, by: Any = None, request: Any = None) -> Thread:
    """Give the thread to a therapist of the patient's clinic (None: to nobody)."""
    if therapist is not None and clinic_of(therapist) != thread.patient.clinic:
        raise ValidationError({"therapist": _("Choose a therapist of this clinic.")})
    with transaction.atomic():
        thread.assigned_to = therapist
        thread.save(update_fields=["assigned_to", "updated_at"])
        audit(
            action=AuditEvent.Action.UPDATE,
            target=thread,
            request=request,
            actor=by,
            detail={"assigned_to": therapist.pk if therapist is not None else None},
        )
    return thread
