"""Secure messages between a patient and their clinic: one thread per patient.

Messages are part of the record: they are never edited or deleted, they stay when
the patient is archived (the thread and its messages protect the patient row), and
every write is audited by the services (`messaging/services.py`).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinics.models import Clinic
from patients.models import Patient
from prescriptions.models import ScopedQuerySet

# Long enough for a question with some detail, short enough to stay a message.
MAX_BODY = 2000


class Author(models.TextChoices):
    PATIENT = "patient", _("Patient")
    CLINIC = "clinic", _("Clinic")


class ThreadQuerySet(ScopedQuerySet):
    def with_counts(self) -> ThreadQuerySet:
        """Each thread's unread and flagged messages from the patient, for the inbox."""
        from_patient = Q(messages__author=Author.PATIENT, messages__read_at__isnull=True)
        return self.annotate(
            unread=Count("messages", filter=from_patient),
            unread_flagged=Count("messages", filter=from_patient & ~Q(messages__warning_signs=[])),
        )


class Thread(models.Model):
    patient = models.OneToOneField(
        Patient, on_delete=models.PROTECT, related_name="message_thread", verbose_name=_("patient")
    )
    # Who answers; empty: any of the clinic's therapists.
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned to"),
    )
    last_message_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ThreadQuerySet.as_manager()

    class Meta:
        verbose_name = _("message thread")
        verbose_name_plural = _("message threads")
        indexes = [models.Index(fields=["last_message_at"], name="thread_last_message")]

    def __str__(self) -> str:
        return f"Messages of {self.patient}"


class MessageQuerySet(ScopedQuerySet):
    def unread_from_patients(self) -> MessageQuerySet:
        return self.filter(author=Author.PATIENT, read_at__isnull=True)

    def unread_from_clinic(self) -> MessageQuerySet:
        return self.filter(author=Author.CLINIC, read_at__isnull=True)


class Message(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.PROTECT, related_name="messages")
    # The thread's patient, kept here too so that scoping and the audit read it directly.
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="messages")
    author = models.CharField(_("from"), max_length=10, choices=Author)
    # The therapist who wrote it; empty for the patient and for an API key.
    author_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The name shown with the message, kept as written (a therapist may leave).
    author_name = models.CharField(_("name"), max_length=200)
    body = models.TextField(_("message"), max_length=MAX_BODY)
    # Red-flag codes whose words the message mentions (messaging/warning_signs.py).
    warning_signs = models.JSONField(_("warning signs mentioned"), default=list, blank=True)
    created_at = models.DateTimeField(_("sent"), default=timezone.now, db_index=True)
    # When the other side read it: the clinic for a patient's message, and back.
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        constraints = [
            models.CheckConstraint(
                condition=Q(author__in=["patient", "clinic"]), name="message_author_valid"
            ),
            models.CheckConstraint(condition=~Q(body=""), name="message_body_not_empty"),
        ]

    def __str__(self) -> str:
        return f"Message {self.pk} from the {self.author} of {self.patient_id}"

    @property
    def flagged(self) -> bool:
        return bool(self.warning_signs)

    @property
    def from_patient(self) -> bool:
        return self.author == Author.PATIENT


def unread_counts(clinic: Clinic, user: Any) -> dict[str, int]:
    """Unread messages from patients: the clinic's, and those of threads assigned to
    `user`, in one query (the dashboard shows both in its navigation)."""
    return (
        Message.objects.for_clinic(clinic)
        .unread_from_patients()
        .aggregate(clinic=Count("pk"), mine=Count("pk", filter=Q(thread__assigned_to=user)))
    )
