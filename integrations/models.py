"""Webhooks: the clinic's endpoints, the outbox of events and each event's delivery.

An event is written in the transaction of the change it reports (see events.py), so a
rolled-back write leaves nothing to send and a committed one cannot be lost; the worker
then delivers it (delivery.py). See docs/webhooks.md.
"""

from __future__ import annotations

import base64
import secrets
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clinics.models import Clinic


class EventType(models.TextChoices):
    ALERT_RAISED = "alert.raised", _("Alert raised")
    ALERT_ACKNOWLEDGED = "alert.acknowledged", _("Alert acknowledged")
    LOG_RECORDED = "log.recorded", _("Symptom log recorded")
    PROGRAM_ACTIVATED = "program.activated", _("Program activated")
    PROGRAM_ENDED = "program.ended", _("Program ended")
    PATIENT_CHANGED = "patient.changed", _("Patient added or changed")
    OUTCOME_RECORDED = "outcome.recorded", _("Outcome measure recorded")
    ASSESSMENT_RECORDED = "assessment.recorded", _("Assessment recorded")


def new_secret() -> str:
    """A signing secret in the Standard Webhooks form: `whsec_` and 32 random bytes."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


class EndpointQuerySet(models.QuerySet):
    def for_clinic(self, clinic: Clinic) -> EndpointQuerySet:
        return self.filter(clinic=clinic)


class Endpoint(models.Model):
    """A clinic system's URL that receives the events it chose."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="webhook_endpoints")
    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    events = models.JSONField(_("events"), default=list)
    # Needed in clear to sign each delivery; shown to the administrator once.
    secret = models.CharField(max_length=80, default=new_secret, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = EndpointQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self) -> str:
        return self.url

    def event_labels(self) -> list[str]:
        labels = dict(EventType.choices)
        return [str(labels[code]) for code in self.events if code in labels]


class Event(models.Model):
    """One entry of the outbox: what happened, to whom, and the payload sent for it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    # The patient's id orders delivery (one patient's events go out in turn); a plain
    # number, so the outbox never keeps a patient from being removed.
    patient_id = models.PositiveBigIntegerField(null=True)
    type = models.CharField(max_length=24, choices=EventType)
    occurred_at = models.DateTimeField()
    payload = models.JSONField()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(type__in=EventType.values), name="webhook_event_type_known"
            )
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.webhook_id}"

    @property
    def webhook_id(self) -> str:
        """The id receivers de-duplicate on: the same for every attempt and resend."""
        return f"evt_{self.public_id.hex}"


class DeliveryQuerySet(models.QuerySet):
    def for_clinic(self, clinic: Clinic) -> DeliveryQuerySet:
        return self.filter(endpoint__clinic=clinic)

    def pending(self) -> DeliveryQuerySet:
        return self.filter(status=Delivery.Status.PENDING)


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the given number of failed attempts: doubling, at most 6 h."""
    seconds = settings.WEBHOOK_RETRY_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, 6 * 3600))


class Delivery(models.Model):
    """One event on its way to one endpoint, with the outcome of its last attempt."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Given up")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries")
    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    # Copied from the event: the queue of one patient at one endpoint, delivered in order.
    patient_id = models.PositiveBigIntegerField(null=True)
    status = models.CharField(max_length=9, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    # A worker sending this delivery holds it until then, so no other sends it at once.
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=200, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-event_id", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "endpoint"], name="one_delivery_per_endpoint"),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "delivered", "failed"]),
                name="webhook_delivery_status_known",
            ),
        ]
        indexes = [
            models.Index(
                fields=["endpoint", "patient_id", "status", "event"], name="delivery_queue"
            ),
            models.Index(fields=["status", "next_attempt_at"], name="delivery_due"),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint}"

    def record_attempt(self, *, now: datetime, status_code: int | None, error: str = "") -> None:
        """Store one attempt's outcome: delivered on a 2xx, else retried later or given up."""
        self.attempts += 1
        self.last_attempt_at = now
        self.last_status_code = status_code
        self.last_error = error[:200]
        self.claimed_until = None
        if status_code is not None and 200 <= status_code < 300:
            self.status = self.Status.DELIVERED
            self.delivered_at = now
        elif self.attempts >= settings.WEBHOOK_ATTEMPTS:
            self.status = self.Status.FAILED
        else:
            self.next_attempt_at = now + retry_delay(self.attempts)
        self.save(
            update_fields=[
                "attempts",
                "last_attempt_at",
                "last_status_code",
                "last_error",
                "claimed_until",
                "status",
                "delivered_at",
                "next_attempt_at",
            ]
        )

    def resend(self, *, now: datetime) -> None:
        """Queue the event again for this endpoint, with a fresh count of attempts."""
        self.status = self.Status.PENDING
        self.attempts = 0
        self.next_attempt_at = now
        self.claimed_until = None
        self.save(update_fields=["status", "attempts", "next_attempt_at", "claimed_until"])
