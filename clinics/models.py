from __future__ import annotations

import zoneinfo
from contextvars import ContextVar
from datetime import time
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .audit_chain import audit_key, event_mac, sealed_fields_of
from .client_ip import client_ip
from .validators import (
    tel_link,
    validate_emergency_number,
    validate_open_days,
    validate_phone,
    validate_time_zone,
)

if TYPE_CHECKING:
    from django.http import HttpRequest


def _logo_path(instance: Clinic, filename: str) -> str:
    return f"clinics/{instance.pk or 'new'}/{filename}"


def default_time_zone() -> str:
    """A new clinic's time zone: the server's, so its hours are what they were before
    clinics had their own."""
    return settings.TIME_ZONE


def zone_named(name: str) -> zoneinfo.ZoneInfo:
    """The time zone of this IANA name; the server's if the name is empty or unknown
    (names are validated when saved, so only a zone this machine dropped falls back).
    ZoneInfo keeps each zone it made, so this costs nothing after the first call."""
    try:
        return zoneinfo.ZoneInfo(name or settings.TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


class Clinic(models.Model):
    class PaperSize(models.TextChoices):
        A4 = "A4", _("A4")
        LETTER = "LETTER", _("US Letter")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    paper_size = models.CharField(
        _("handout paper size"), max_length=6, choices=PaperSize, default=PaperSize.A4
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True, validators=[validate_phone])
    address = models.TextField(
        _("address"), max_length=300, blank=True, help_text=_("As it should appear on paper.")
    )
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    logo = models.ImageField(
        _("logo"),
        upload_to=_logo_path,
        blank=True,
        help_text=_("Printed at the top of the handout. PNG, JPEG or WebP, at most 2 MB."),
    )
    inactivity_alert_days = models.PositiveSmallIntegerField(
        _("alert after this many days without a log"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )
    outcome_interval_days = models.PositiveSmallIntegerField(
        _("outcome measures every this many days"),
        default=14,
        validators=[MinValueValidator(7), MaxValueValidator(90)],
        help_text=_(
            "Patients are asked for their outcome measures at the start of an episode, "
            "again after this many days, and at discharge."
        ),
    )
    adherence_alert_percent = models.PositiveSmallIntegerField(
        _("alert when adherence stays under (%)"),
        default=50,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_(
            "The not-keeping-up alert is raised when the sessions logged over the "
            "last 7 days are under this share of those prescribed. 0 turns it off."
        ),
    )
    emergency_number = models.CharField(
        _("emergency number"),
        max_length=20,
        default="112",
        validators=[validate_emergency_number],
        help_text=_("The number patients call in an emergency; shown on the portal and handout."),
    )
    pain_rise_threshold = models.PositiveSmallIntegerField(
        _("pain rise that raises an alert (points)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_(
            "An alert is raised when pain rises this many points above its recent level "
            "(the lowest daily median of the last 7 days)."
        ),
    )
    reference_days = models.PositiveSmallIntegerField(
        _("days a held pain location stays the reference"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(14)],
        help_text=_(
            "Each log is compared with the most central pain location the patient held on "
            "a whole day within this many days. A setting: no published value exists."
        ),
    )
    # Opening hours: an urgent alert nobody acknowledges within this many of them goes
    # to the clinic's administrators (prescriptions/escalation.py). No published figure
    # exists for it; it is a setting, 2 hours by default.
    urgent_escalation_hours = models.PositiveSmallIntegerField(
        _("escalate an unacknowledged urgent alert after (opening hours)"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
        help_text=_(
            "An urgent alert that nobody has acknowledged after this many opening hours is "
            "emailed to the clinic's administrators: 1 to 24."
        ),
    )
    # What the message composer promises patients (messaging). No published figure
    # exists for a reply time; it is a setting, two working days by default.
    message_reply_hours = models.PositiveSmallIntegerField(
        _("we answer messages within (hours)"),
        default=48,
        validators=[MinValueValidator(1), MaxValueValidator(168)],
        help_text=_(
            "Shown to patients when they write a message, so they know when to expect "
            "an answer: 1 to 168."
        ),
    )
    opens_at = models.TimeField(_("opens at"), default=time(8, 0))
    closes_at = models.TimeField(_("closes at"), default=time(18, 0))
    # ISO weekday numbers, Monday 1 to Sunday 7: "12345" is Monday to Friday.
    open_days = models.CharField(
        _("open on"), max_length=7, default="12345", validators=[validate_open_days]
    )
    # The day counts of the progression suggestions (prescriptions/progression.py). No
    # published source gives these numbers: they are settings, and docs/progressions.md
    # says so.
    progression_good_days = models.PositiveSmallIntegerField(
        _("good days in a row before suggesting the next step"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text=_(
            "The most recent days logged at a step, one after another, with the pain "
            "centralized, eased or gone and nothing worse."
        ),
    )
    progression_unchanged_days = models.PositiveSmallIntegerField(
        _("unchanged days in a row before suggesting more force"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text=_(
            "The most recent days logged at a step, one after another, with the symptoms "
            "unchanged: the step is not helping."
        ),
    )
    progression_pain_free_days = models.PositiveSmallIntegerField(
        _("pain-free days in a row before suggesting recovery of function or maintenance"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
    )
    require_mfa = models.BooleanField(
        _("require two-step sign-in for every therapist"),
        default=False,
        help_text=_(
            "Therapists without an authenticator app are asked to set one up before "
            "they can open anything else."
        ),
    )
    # Stored datetimes are UTC; the clinic's days and clock are this zone's.
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default=default_time_zone,
        validators=[validate_time_zone],
        help_text=_(
            "The dashboard shows times in this zone. Reminders, the day's sessions and the "
            "daily questions follow it for patients who have not chosen a zone of their own."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("clinic")
        verbose_name_plural = _("clinics")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(paper_size__in=["A4", "LETTER"]), name="clinic_paper_size_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(inactivity_alert_days__gte=1, inactivity_alert_days__lte=90),
                name="clinic_inactivity_days_range",
            ),
            models.CheckConstraint(
                condition=models.Q(pain_rise_threshold__gte=1, pain_rise_threshold__lte=10),
                name="clinic_pain_rise_threshold_range",
            ),
            models.CheckConstraint(
                condition=models.Q(reference_days__gte=1, reference_days__lte=14),
                name="clinic_reference_days_range",
            ),
            models.CheckConstraint(
                condition=~models.Q(emergency_number=""), name="clinic_emergency_number_set"
            ),
            *(
                models.CheckConstraint(
                    condition=models.Q(**{f"{name}__gte": 1, f"{name}__lte": 30}),
                    name=f"clinic_{name}_range",
                )
                for name in (
                    "progression_good_days",
                    "progression_unchanged_days",
                    "progression_pain_free_days",
                )
            ),
            models.CheckConstraint(
                condition=models.Q(adherence_alert_percent__lte=100),
                name="clinic_adherence_alert_percent_range",
            ),
            models.CheckConstraint(
                condition=models.Q(urgent_escalation_hours__gte=1, urgent_escalation_hours__lte=24),
                name="clinic_urgent_escalation_hours_range",
            ),
            models.CheckConstraint(
                condition=models.Q(message_reply_hours__gte=1, message_reply_hours__lte=168),
                name="clinic_message_reply_hours_range",
            ),
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="clinic_opening_hours_order",
            ),
            models.CheckConstraint(
                condition=~models.Q(open_days=""),
                name="clinic_open_days_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zone_named(self.time_zone)

    @property
    def phone_link(self) -> str:
        """`tel:` and the phone's digits (with its leading +); empty if not diallable."""
        return tel_link(self.phone)

    @property
    def emergency_link(self) -> str:
        return tel_link(self.emergency_number)


class Therapist(models.Model):
    """A user's membership of one clinic; a user is a therapist of at most one clinic."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="therapist"
    )
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="therapists")
    is_clinic_admin = models.BooleanField(_("clinic administrator"), default=False)
    language = models.CharField(
        _("dashboard language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Empty: the language of your browser."),
    )

    class Meta:
        verbose_name = _("therapist")
        verbose_name_plural = _("therapists")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    language__in=["", *(code for code, _name in settings.LANGUAGES)]
                ),
                name="therapist_language_valid",
            )
        ]

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.get_username()


def therapist_of(user: Any) -> Therapist | None:
    """The user's clinic membership, or None for anonymous users and patients."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    try:
        return user.therapist
    except ObjectDoesNotExist:
        return None


def clinic_of(user: Any) -> Clinic | None:
    therapist = therapist_of(user)
    return therapist.clinic if therapist else None


# The request being answered, so that rules deep in a queryset can name who asked
# and from where (set by config.middleware.CurrentRequestMiddleware).
current_request: ContextVar[HttpRequest | None] = ContextVar("centra_request", default=None)


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows whose view it is (`scoped_to`). When a scoped `get()`
    finds nothing but the row exists outside the scope (another clinic's or
    another patient's), a "denied" audit event records the id asked for. The
    answer stays the same: DoesNotExist, hence 404. Every scoped get in the app
    goes through here, so the rule lives in one place."""

    _scope_clinic_id: int | None = None
    _scoped: bool = False

    def scoped_to(self, clinic_id: int | None) -> Any:
        clone = self._chain()
        clone._scoped = True
        clone._scope_clinic_id = clinic_id
        return clone

    def _clone(self) -> Any:
        clone = super()._clone()
        clone._scoped = self._scoped
        clone._scope_clinic_id = self._scope_clinic_id
        return clone

    def get(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().get(*args, **kwargs)
        except self.model.DoesNotExist:
            if self._scoped:
                _audit_denied(self.model, kwargs, self._scope_clinic_id)
            raise


def _audit_denied(model: type[models.Model], lookup: dict[str, Any], clinic_id: int | None) -> None:
    """Record the refusal where it tells nobody new that the id exists: in the
    trail of the clinic that owns the record (naming the asker only when they are
    of that clinic), or, when no clinic owns it, in the site-level log. Never in
    the asking clinic's trail, which would list which ids other clinics hold."""
    asked = lookup.get("pk", lookup.get("id"))
    if asked is None:
        return
    try:
        record = model._default_manager.filter(pk=asked).first()
    except (ValueError, TypeError, ValidationError):
        return  # not even a valid id
    if record is None:
        return
    request = current_request.get()
    patient = getattr(record, "patient", None)
    owner = getattr(patient, "clinic", None) or getattr(record, "clinic", None)
    owner = owner if isinstance(owner, Clinic) else None
    path = request.path if request is not None else ""
    outsider = owner is not None and owner.pk != clinic_id
    audit(
        action=AuditEvent.Action.DENIED,
        request=request,
        target=record if owner is not None else None,
        clinic=owner,
        # The actor's id stays on the row for the site operator; the owner's export
        # shows no other clinic's user or key names.
        actor_label="another clinic" if outsider else "",
        object_type=model._meta.model_name,
        object_id=str(asked),
        detail={"asked_for": str(asked), "path": path, "from_another_clinic": outsider},
    )


class AuditEventQuerySet(models.QuerySet):
    def for_clinic(self, clinic: Clinic) -> AuditEventQuerySet:
        return self.filter(clinic=clinic)

    def update(self, **kwargs: Any) -> int:
        raise TypeError("Audit events are append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("Audit events are append-only.")

    def sealed(self) -> AuditEventQuerySet:
        return self.filter(seq__isnull=False)

    def pending(self) -> AuditEventQuerySet:
        return self.filter(seq__isnull=True)

    def seal(self, pk: int, *, seq: int, prev_hash: str, hash: str) -> int:
        """Link one event into its chain: the only change an event ever takes, and
        only once (a sealed row is never matched again). For clinics.audit_seal."""
        rows = self.filter(pk=pk, seq__isnull=True)
        return models.QuerySet.update(rows, seq=seq, prev_hash=prev_hash, hash=hash)


class AuditEvent(models.Model):
    """One read or write of clinic data. Rows are only ever added."""

    class Action(models.TextChoices):
        VIEW = "view", _("viewed")
        CREATE = "create", _("created")
        UPDATE = "update", _("updated")
        DELETE = "delete", _("deleted")
        DOWNLOAD = "download", _("downloaded")
        LOGIN = "login", _("signed in")
        LOGOUT = "logout", _("signed out")
        LOGIN_FAILED = "login_failed", _("failed to sign in")
        LOCKOUT = "lockout", _("was locked out")
        PASSWORD = "password", _("changed the password")
        MFA = "mfa", _("used two-step verification")
        DENIED = "denied", _("was denied")
        EXPORT = "export", _("exported")

    clinic = models.ForeignKey(
        Clinic, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The MAC covers the actor's id, so deleting a user must leave it as written:
    # no database constraint, nothing done on delete (`actor_label` names them).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    # Who acted, as text that survives the user's deletion (or names an API key).
    actor_label = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=20, choices=Action)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=64, blank=True)
    patient_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    # Set before saving (not auto_now_add), because the hash covers it.
    at = models.DateTimeField(default=timezone.now, db_index=True, editable=False)
    ip = models.GenericIPAddressField(null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    # The chain (clinics.audit_seal). A request only inserts its event: no position
    # yet, no link, and as `hash` the MAC of its fields alone. The sealer then gives it
    # its position in the clinic's chain, the MAC of the event before it and its own
    # MAC over both, so no request waits for another clinic request's event.
    seq = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    hash = models.CharField(max_length=64, blank=True, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        constraints = [
            models.CheckConstraint(
                # AuditEvent.Action's values (a nested class is out of reach here);
                # tests/foundation/test_choice_constraints.py keeps the two the same.
                condition=models.Q(
                    action__in=[
                        "view",
                        "create",
                        "update",
                        "delete",
                        "download",
                        "login",
                        "logout",
                        "login_failed",
                        "lockout",
                        "password",
                        "mfa",
                        "denied",
                        "export",
                    ]
                ),
                name="audit_event_action_valid",
            ),
            # One event per place in a chain: two sealers at once could not fork it.
            models.UniqueConstraint(fields=["clinic", "seq"], name="audit_event_one_per_place"),
        ]
        indexes = [
            # The sealer's work list stays small however long the log grows.
            models.Index(
                fields=["id"], condition=models.Q(seq__isnull=True), name="audit_event_pending"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_type}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise TypeError("Audit events are append-only.")
        self._unlinked()
        super().save(*args, **kwargs)

    def _unlinked(self) -> None:
        # Stored as the database will give it back, so the MAC can be recomputed.
        self.ip = self._meta.get_field("ip").get_prep_value(self.ip) or None
        # Unlinked: one INSERT, no lock. The MAC lets the sealer refuse a row that was
        # changed, or written without the key, before it was sealed.
        self.seq, self.prev_hash = None, ""
        self.hash = event_mac(current_audit_key(), **sealed_fields_of(self))

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("Audit events are append-only.")


def current_audit_key() -> bytes:
    return audit_key(audit_key_setting=settings.AUDIT_KEY, secret_key=settings.SECRET_KEY)


class AuditCheckpoint(models.Model):
    """A chain's length and head MAC at one moment, itself MAC'd: what shows that
    the newest events, or all of them, were deleted. Copies kept off the server
    (`manage.py audit_checkpoints`) also survive whoever deletes these rows."""

    clinic = models.ForeignKey(
        Clinic, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    count = models.PositiveBigIntegerField()
    head_hash = models.CharField(max_length=64)
    at = models.DateTimeField(default=timezone.now, editable=False)
    mac = models.CharField(max_length=64, editable=False)

    class Meta:
        ordering = ["id"]
        verbose_name = _("audit checkpoint")
        verbose_name_plural = _("audit checkpoints")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} clinic {self.clinic_id}: {self.count} events"

    def as_json(self) -> dict[str, Any]:
        return {
            "clinic": self.clinic_id,
            "count": self.count,
            "head": self.head_hash,
            "at": self.at.isoformat(),
            "mac": self.mac,
        }


def _client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return client_ip(request)


def audit(
    *,
    action: str,
    target: models.Model | None = None,
    request: HttpRequest | None = None,
    actor: Any = None,
    actor_label: str = "",
    clinic: Clinic | None = None,
    object_type: str = "",
    object_id: str | int = "",
    detail: dict[str, Any] | None = None,
    unsaved: bool = False,
) -> AuditEvent:
    """Write one audit event; the single way the app records reads and writes.

    The clinic and patient are worked out from `target` when it has them (a
    patient, or anything with a `patient`), so callers pass just the object.
    `unsaved`: the event is returned unwritten, for `audit_each`.
    """
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        actor = user if user is not None and user.is_authenticated else None
    if not actor_label:
        api_key = getattr(request, "auth", None) if request is not None else None
        if actor is not None:
            actor_label = actor.get_username()
        elif api_key is not None and hasattr(api_key, "name"):
            actor_label = f"api-key:{api_key.name}"
    patient = None
    if target is not None:
        # Matched by label: the audit log sits below the patients app and must not import it.
        is_patient = target._meta.label_lower == "patients.patient"
        patient = target if is_patient else getattr(target, "patient", None)
        object_type = object_type or target._meta.model_name
        object_id = object_id or target.pk
    if clinic is None and patient is not None:
        clinic = patient.clinic
    if clinic is None and target is not None:
        clinic = getattr(target, "clinic", None)
    event = AuditEvent(
        clinic=clinic,
        actor=actor,
        actor_label=actor_label[:200],
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        patient_id=patient.pk if patient is not None else None,
        ip=_client_ip(request),
        detail=detail or {},
    )
    if not unsaved:
        event.save()
    return event


def audit_each(
    *,
    action: str,
    targets: list[models.Model],
    request: HttpRequest | None = None,
    detail: dict[str, Any] | None = None,
) -> list[AuditEvent]:
    """`audit` of each of `targets` (the logs of one session, say), written in one
    INSERT: one event per target, as many calls of `audit` would write."""
    events = [
        audit(action=action, target=target, request=request, detail=detail, unsaved=True)
        for target in targets
    ]
    for event in events:
        event._unlinked()
    return AuditEvent.objects.bulk_create(events)
