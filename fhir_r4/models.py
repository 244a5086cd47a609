"""What the FHIR surface stores: SMART Backend Services clients, the access tokens
they are given and the assertion ids they used, and Bulk Data export jobs.

No core app needs any of it: a SMART client reaches only the FHIR API, and an
export is a FHIR answer written ahead of time."""

from __future__ import annotations

import hashlib
import json
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from clinics.models import Clinic

# The signing algorithms SMART Backend Services asks servers to accept.
ALGORITHMS = ("RS384", "ES384")
# SMART v1 (`.read`) and v2 (`.rs`: read and search) spellings of a read scope.
READ_SUFFIXES = (".read", ".rs")


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def scope_type(scope: str) -> str | None:
    """The resource type (or `*`) a `system/<Type>.read` scope grants; None when
    the scope is not a read scope of that form."""
    if not scope.startswith("system/"):
        return None
    body = scope.removeprefix("system/")
    for suffix in READ_SUFFIXES:
        if body.endswith(suffix):
            resource_type = body.removesuffix(suffix)
            return resource_type or None
    return None


def scopes_allow(scopes: list[str], resource_type: str) -> bool:
    granted = {scope_type(scope) for scope in scopes}
    return "*" in granted or resource_type in granted


def public_jwks(value: Any) -> dict[str, Any]:
    """`value` (a JSON text or a parsed object) as a JSON Web Key Set of public
    keys SMART can sign with; ValidationError otherwise. Private parts are refused:
    the clinic system keeps its private key."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError as exc:
            raise ValidationError(_("The key set is not valid JSON.")) from exc
    if not isinstance(value, dict) or not isinstance(value.get("keys"), list) or not value["keys"]:
        raise ValidationError(_('A key set is a JSON object with a non-empty "keys" list.'))
    for key in value["keys"]:
        if not isinstance(key, dict) or key.get("kty") not in {"RSA", "EC"}:
            raise ValidationError(_("Each key must be an RSA or EC public key."))
        if "d" in key:
            raise ValidationError(
                _("The key set holds a private key: register only the public keys.")
            )
    try:
        KeySet.import_key_set(value)
    except (JoseError, ValueError, TypeError) as exc:
        raise ValidationError(_("The key set holds a key that cannot be read.")) from exc
    return value


class SmartClientQuerySet(models.QuerySet):
    def for_clinic(self, clinic: Clinic) -> SmartClientQuerySet:
        return self.filter(clinic=clinic)

    def usable(self) -> SmartClientQuerySet:
        return self.filter(revoked_at__isnull=True).select_related("clinic")


class SmartClient(models.Model):
    """A clinic system that signs in with SMART Backend Services: it proves who it
    is with a JWT signed by its private key, checked against the public keys
    registered here (inline, or fetched from its JWKS URL)."""

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="smart_clients")
    name = models.CharField(_("name"), max_length=50)
    client_id = models.CharField(_("client id"), max_length=64, unique=True, editable=False)
    jwks = models.JSONField(_("key set"), null=True, blank=True)
    jwks_url = models.URLField(_("key set URL"), max_length=500, blank=True)
    scopes = models.JSONField(_("scopes"), default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = SmartClientQuerySet.as_manager()

    class Meta:
        verbose_name = _("SMART backend client")
        verbose_name_plural = _("SMART backend clients")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(jwks__isnull=False) & models.Q(jwks_url=""))
                | (models.Q(jwks__isnull=True) & ~models.Q(jwks_url="")),
                name="smart_client_one_key_source",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.client_id})"

    @property
    def credential_label(self) -> str:
        return f"smart:{self.client_id}"

    def revoke(self) -> bool:
        """Stop the client and every token it holds; False if it already was revoked."""
        now = timezone.now()
        updated = (
            type(self).objects.filter(pk=self.pk, revoked_at__isnull=True).update(revoked_at=now)
        )
        if updated:
            self.revoked_at = now
            self.tokens.all().delete()
        return bool(updated)


def new_client_id() -> str:
    return secrets.token_urlsafe(24)


class SmartAccessTokenQuerySet(models.QuerySet):
    def find(self, raw: str, *, now: datetime | None = None) -> SmartAccessToken | None:
        now = now or timezone.now()
        return (
            self.filter(
                token_hash=hash_token(raw),
                expires_at__gt=now,
                client__revoked_at__isnull=True,
            )
            .select_related("client__clinic")
            .first()
        )


class SmartAccessToken(models.Model):
    """A bearer token given to a SMART client; only its hash is stored."""

    client = models.ForeignKey(SmartClient, on_delete=models.CASCADE, related_name="tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list)
    expires_at = models.DateTimeField(db_index=True)

    objects = SmartAccessTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("SMART access token")
        verbose_name_plural = _("SMART access tokens")

    def __str__(self) -> str:
        return f"{self.client.name} until {self.expires_at:%Y-%m-%d %H:%M}"

    # What the FHIR views ask of any credential (an API key answers the same).
    @property
    def clinic(self) -> Clinic:
        return self.client.clinic

    @property
    def credential_label(self) -> str:
        return self.client.credential_label

    @property
    def name(self) -> str:
        # The audit log names an API caller by its credential's `name`.
        return f"SMART {self.client.name}"

    def allows(self, resource_type: str) -> bool:
        return scopes_allow(self.scopes, resource_type)


class UsedAssertion(models.Model):
    """The `jti` of a client assertion already exchanged for a token, kept until the
    assertion expires, so that a copied assertion cannot be replayed."""

    client = models.ForeignKey(SmartClient, on_delete=models.CASCADE, related_name="+")
    jti = models.CharField(max_length=255)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("used client assertion")
        verbose_name_plural = _("used client assertions")
        constraints = [
            models.UniqueConstraint(fields=["client", "jti"], name="used_assertion_unique_jti")
        ]

    def __str__(self) -> str:
        return self.jti


class BulkExportQuerySet(models.QuerySet):
    def for_owner(self, clinic: Clinic, owner: str) -> BulkExportQuerySet:
        return self.filter(clinic=clinic, owner=owner)

    def expired(self, now: datetime | None = None) -> BulkExportQuerySet:
        return self.filter(expires_at__lte=now or timezone.now())


class BulkExport(models.Model):
    """One Bulk Data `$export` request: what was asked, how far the worker is, and
    the NDJSON files it wrote (in the private `handouts` storage, under `exports/`)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    class Level(models.TextChoices):
        SYSTEM = "system", _("system")
        GROUP = "group", _("group")
        PATIENT = "patient", _("patient")

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    # The credential that asked (`key:<prefix>` or `smart:<client id>`): only it may
    # poll, download or cancel.
    owner = models.CharField(max_length=100)
    token = models.CharField(max_length=43, unique=True, editable=False)
    level = models.CharField(max_length=10, choices=Level.choices)
    request_url = models.URLField(max_length=2000)
    since = models.DateTimeField(null=True, blank=True)
    types = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.CharField(max_length=100, blank=True)
    transaction_time = models.DateTimeField()
    output = models.JSONField(default=list)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(db_index=True)

    objects = BulkExportQuerySet.as_manager()

    class Meta:
        verbose_name = _("bulk export")
        verbose_name_plural = _("bulk exports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.level} export {self.pk}"

    @property
    def folder(self) -> str:
        return f"exports/{self.token}"


def export_lifetime() -> timedelta:
    return timedelta(minutes=settings.FHIR_EXPORT_KEEP_MINUTES)
