from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.http import HttpRequest


class Clinic(models.Model):
    class PaperSize(models.TextChoices):
        A4 = "A4", _("A4")
        LETTER = "LETTER", _("US Letter")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    paper_size = models.CharField(
        _("handout paper size"), max_length=6, choices=PaperSize, default=PaperSize.A4
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    inactivity_alert_days = models.PositiveSmallIntegerField(
        _("alert after this many days without a log"), default=3
    )
    emergency_number = models.CharField(
        _("emergency number"),
        max_length=20,
        default="112",
        help_text=_("The number patients call in an emergency; shown on the portal and handout."),
    )
    pain_rise_threshold = models.PositiveSmallIntegerField(
        _("pain rise that raises an alert (points)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_(
            "An alert is raised when pain rises this many points above the lowest of the "
            "last 7 days, or above the first log."
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
                condition=models.Q(inactivity_alert_days__gte=1), name="clinic_inactivity_days_min"
            ),
            models.CheckConstraint(
                condition=models.Q(pain_rise_threshold__gte=1, pain_rise_threshold__lte=10),
                name="clinic_pain_rise_threshold_range",
            ),
            models.CheckConstraint(
                condition=~models.Q(emergency_number=""), name="clinic_emergency_number_set"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Therapist(models.Model):
    """A user's membership of one clinic; a user is a therapist of at most one clinic."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="therapist"
    )
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="therapists")
    is_clinic_admin = models.BooleanField(_("clinic administrator"), default=False)

    class Meta:
        verbose_name = _("therapist")
        verbose_name_plural = _("therapists")

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


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise TypeError("Audit events are append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("Audit events are append-only.")


class AuditEvent(models.Model):
    """One read or write of clinic data. Rows are only ever added."""

    class Action(models.TextChoices):
        VIEW = "view", _("viewed")
        CREATE = "create", _("created")
        UPDATE = "update", _("updated")
        DELETE = "delete", _("deleted")
        DOWNLOAD = "download", _("downloaded")
        LOGIN = "login", _("signed in")

    clinic = models.ForeignKey(
        Clinic, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Who acted, as text that survives the user's deletion (or names an API key).
    actor_label = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=10, choices=Action)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=64, blank=True)
    patient_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_type}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise TypeError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("Audit events are append-only.")


def _client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    # Behind a proxy, axes' ipware setting already tells which address to trust.
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or None


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
) -> AuditEvent:
    """Write one audit event; the single way the app records reads and writes.

    The clinic and patient are worked out from `target` when it has them (a
    patient, or anything with a `patient`), so callers pass just the object.
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
    return AuditEvent.objects.create(
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
