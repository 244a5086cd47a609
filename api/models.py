from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.models import AbstractAPIKey, APIKeyManager

from clinics.models import Clinic

# The shape of the keys djangorestframework-api-key makes: an 8-character prefix, a
# dot and a 32-character secret. Anything else is refused before touching the
# database, so a hostile header cannot reach a query.
KEY_PATTERN = re.compile(r"[A-Za-z0-9]{8}\.[A-Za-z0-9]{32}")


class ClinicAPIKeyManager(APIKeyManager):
    def get_usable_keys(self) -> models.QuerySet:
        return super().get_usable_keys().select_related("clinic")

    def for_clinic(self, clinic: Clinic) -> models.QuerySet:
        return self.filter(clinic=clinic)

    def find(self, raw_key: str) -> ClinicAPIKey | None:
        """The usable key `raw_key` belongs to, or None if it is malformed,
        unknown, wrong, revoked or expired."""
        if not KEY_PATTERN.fullmatch(raw_key):
            return None
        try:
            key = self.get_from_key(raw_key)
        except self.model.DoesNotExist:
            return None
        return None if key.has_expired else key


class ClinicAPIKey(AbstractAPIKey):
    """A clinic system's credential. Only a hash of the key is stored; the key
    itself is shown once, when it is made."""

    # last_used_at is written at most this often, so that busy clients do not
    # turn every read into a write.
    LAST_USED_RESOLUTION = timedelta(minutes=1)

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="api_keys")
    read_only = models.BooleanField(
        _("read-only"), default=False, help_text=_("A read-only key cannot create or change data.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = ClinicAPIKeyManager()

    class Meta(AbstractAPIKey.Meta):
        verbose_name = _("clinic API key")
        verbose_name_plural = _("clinic API keys")
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def record_use(self) -> None:
        now = timezone.now()
        if self.last_used_at is not None and now - self.last_used_at < self.LAST_USED_RESOLUTION:
            return
        type(self).objects.filter(pk=self.pk).update(last_used_at=now)
        self.last_used_at = now

    def revoke(self) -> bool:
        """Stop the key working for good; False if it already was revoked."""
        updated = (
            type(self)
            .objects.filter(pk=self.pk, revoked=False)
            .update(revoked=True, revoked_at=timezone.now())
        )
        if updated:
            self.refresh_from_db(fields=["revoked", "revoked_at"])
            self._initial_revoked = True
        return bool(updated)


def create_api_key(
    *,
    clinic: Clinic,
    name: str,
    read_only: bool = False,
    created_by: Any = None,
    expires_at: datetime | None = None,
) -> tuple[ClinicAPIKey, str]:
    """A new key for `clinic`; returns the key row and the key itself, which is
    never stored and must be shown now. After `expires_at` (if given) the key
    answers 401, like a revoked one."""
    return ClinicAPIKey.objects.create_key(
        clinic=clinic,
        name=name,
        read_only=read_only,
        created_by=created_by,
        expiry_date=expires_at,
    )


def end_of_day(day: date | None) -> datetime | None:
    """The last moment of `day` in the clinic's time zone (None stays None)."""
    if day is None:
        return None
    return timezone.make_aware(datetime.combine(day, time.max))


class IdempotencyRecord(models.Model):
    """The first answer to a POST sent with an `Idempotency-Key` header.

    Stored in the database so that a retry reaching another app server gets the
    same answer. `owner` names the credential (one API key, or one signed-in
    user), so two systems of one clinic never collide on a key.
    """

    LIFETIME = timedelta(hours=24)

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    owner = models.CharField(max_length=80)
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64, help_text=_("Hash of method, path and body."))
    status_code = models.PositiveSmallIntegerField(null=True)
    response_body = models.JSONField(null=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("idempotency record")
        verbose_name_plural = _("idempotency records")
        constraints = [
            models.UniqueConstraint(fields=["owner", "key"], name="idempotency_owner_key_unique")
        ]
        indexes = [models.Index(fields=["owner", "created_at"])]

    def __str__(self) -> str:
        return f"{self.owner} {self.key}"
