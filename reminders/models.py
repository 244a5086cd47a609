"""A patient's exercise reminders: when, by which channels, and what went out.

A sent reminder is recorded by channel and time only, never its content. The row is
unique per patient, slot and channel, so two workers scanning the same minute cannot
both send one reminder: the second insert fails and that worker moves on.
"""

from __future__ import annotations

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from patients.models import Patient


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    PUSH = "push", _("Notification")


class ReminderPlan(models.Model):
    patient = models.OneToOneField(
        Patient, on_delete=models.CASCADE, related_name="reminder_plan", verbose_name=_("patient")
    )
    # Local times of day, "HH:MM", sorted.
    times = models.JSONField(_("reminder times"), default=list, blank=True)
    by_email = models.BooleanField(_("by email"), default=False)
    by_push = models.BooleanField(_("by notification"), default=False)
    # The secret in the private calendar feed's address; empty when there is no feed.
    calendar_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Reminders of {self.patient}"

    @property
    def channels(self) -> list[str]:
        return [
            channel
            for channel, on in ((Channel.EMAIL, self.by_email), (Channel.PUSH, self.by_push))
            if on
        ]

    @property
    def is_on(self) -> bool:
        return bool(self.times) and (bool(self.channels) or bool(self.calendar_token))

    def new_calendar_token(self) -> str:
        self.calendar_token = secrets.token_urlsafe(32)
        return self.calendar_token


class PushSubscription(models.Model):
    """One browser or installed app that accepted notifications (Web Push)."""

    patient = models.ForeignKey(
        Patient, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Push subscription of {self.patient}"

    def info(self) -> dict:
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}


class SentReminder(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="sent_reminders")
    slot = models.DateTimeField(_("due at"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "slot", "channel"], name="one_reminder_per_patient_slot_channel"
            ),
            models.CheckConstraint(
                condition=models.Q(channel__in=Channel.values), name="sent_reminder_channel_valid"
            ),
        ]
        indexes = [models.Index(fields=["slot"], name="sent_reminder_slot")]

    def __str__(self) -> str:
        return f"{self.channel} reminder to {self.patient_id} for {self.slot}"


class RecurringRun(models.Model):
    """Recurring work already queued for a time slot; unique, so among several workers
    exactly one queues each minute's reminder scan and each day's inactivity check."""

    name = models.CharField(max_length=50)
    slot = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["name", "slot"], name="one_recurring_run_per_slot")
        ]

    def __str__(self) -> str:
        return f"{self.name} at {self.slot}"
