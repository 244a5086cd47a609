from __future__ import annotations

import hashlib
import secrets
import zoneinfo
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.exceptions import ObjectDoesNotExist
from django.db import models, transaction
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from clinics.models import Clinic, ScopedQuerySet, clinic_of, zone_named
from clinics.validators import validate_time_zone

from .signals import portal_access_revoked


class Classification(models.TextChoices):
    DERANGEMENT = "derangement", _("Derangement")
    DYSFUNCTION = "dysfunction", _("Dysfunction")
    POSTURAL = "postural", _("Postural syndrome")
    OTHER = "other", _("Other (spinal stenosis among others)")


class DirectionalPreference(models.TextChoices):
    EXTENSION = "extension", _("Extension")
    FLEXION = "flexion", _("Flexion")
    LATERAL_LEFT = "lateral_left", _("Lateral, left")
    LATERAL_RIGHT = "lateral_right", _("Lateral, right")
    NONE = "none", _("None")


class Location(models.TextChoices):
    """Where the pain reaches (the most distal symptom), from the centre outwards."""

    NONE = "none", _("No pain")
    CENTRAL = "central", _("Centre of the low back")
    ONE_SIDE = "one_side", _("One side of the low back")
    BUTTOCK = "buttock", _("Buttock")
    THIGH = "thigh", _("Thigh")
    BELOW_KNEE = "below_knee", _("Below the knee")
    FOOT = "foot", _("Foot")


class PainfulSide(models.TextChoices):
    """The side of the body the patient's symptoms are on, recorded by the therapist.

    One-sided exercises take their instruction from it (see `exercises.dosage`)."""

    LEFT = "left", _("Left")
    RIGHT = "right", _("Right")
    BOTH = "both", _("Both sides")
    CENTRAL = "central", _("Central (neither side more)")


class RiskFactor(models.TextChoices):
    """Risk history the therapist records once; it is never asked of the patient daily.

    Any of these raises the urgency of a "see a doctor today" answer."""

    CANCER = "cancer", _("Cancer, now or in the past")
    STEROIDS = "steroids", _("Long-term steroid use")
    OSTEOPOROSIS = "osteoporosis", _("Osteoporosis")
    TRAUMA = "trauma", _("Significant trauma (a fall, an accident)")
    IMMUNOSUPPRESSION = "immunosuppression", _("Immunosuppression")
    DRUG_USE = "drug_use", _("Intravenous drug use")


# The MDT responses to a movement, during and after it: the symptom logs and the
# assessment's repeated-movement tests use the same codes.
class DuringResponse(models.TextChoices):
    PRODUCE = "produce", _("Produce")
    ABOLISH = "abolish", _("Abolish")
    INCREASE = "increase", _("Increase")
    DECREASE = "decrease", _("Decrease")
    CENTRALIZE = "centralize", _("Centralize")
    PERIPHERALIZE = "peripheralize", _("Peripheralize")
    NO_EFFECT = "no_effect", _("No effect")


class AfterResponse(models.TextChoices):
    BETTER = "better", _("Better")
    WORSE = "worse", _("Worse")
    NO_BETTER = "no_better", _("No better")
    NO_WORSE = "no_worse", _("No worse")
    NO_EFFECT = "no_effect", _("No effect")


# How far from the spine each location is: a rising rank is peripheralization.
LOCATION_RANK = {code: rank for rank, code in enumerate(Location.values)}


# Sessions are spread over the waking hours: a span shorter than this is a typing
# slip, and would count a whole day's sessions in a few minutes.
MIN_WAKING_HOURS = 6


def waking_hours_problem(wake_start: time | None, wake_end: time | None) -> str | None:
    """What is wrong with these waking hours, in words for the person who typed them
    (None: nothing). Every page and the API check hours with it. Hours may cross
    midnight (a night shift: up at 22:00, to bed at 06:00)."""
    if wake_start is None or wake_end is None:
        return None
    if wake_end == wake_start:
        return str(_("Bedtime must be another time than the time of waking up."))
    awake = (
        (wake_end.hour * 60 + wake_end.minute) - (wake_start.hour * 60 + wake_start.minute)
    ) % (24 * 60)
    if awake < MIN_WAKING_HOURS * 60:
        return str(
            _("Waking hours must span at least %(hours)d hours: the sessions are spread over them.")
            % {"hours": MIN_WAKING_HOURS}
        )
    return None


def patient_of(user: Any) -> Patient | None:
    """The patient record behind a portal login, or None."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    try:
        return user.patient
    except ObjectDoesNotExist:
        return None


NULLS_PLACED = {None: {}, True: {"nulls_first": True}, False: {"nulls_last": True}}


class PatientQuerySet(ScopedQuerySet):
    def for_clinic(self, clinic: Clinic) -> PatientQuerySet:
        return self.filter(clinic=clinic).scoped_to(clinic.pk)

    def for_user(self, user: Any) -> PatientQuerySet:
        """What `user` may see: a therapist their clinic's patients, a patient
        themself, anyone else nothing. Every view starts from here."""
        clinic = clinic_of(user)
        if clinic is not None:
            return self.for_clinic(clinic)
        patient = patient_of(user)
        if patient is not None:
            return self.filter(user=user).scoped_to(patient.clinic_id)
        return self.none()

    def active(self) -> PatientQuerySet:
        return self.filter(archived=False)

    # Each sort of the list: (field, descending, nulls first: None for a field that is
    # never empty), between (archived, attention) and the id that breaks ties.
    LIST_SORTS = {
        "name": [("last_name", False, None), ("first_name", False, None)],
        "recent_log": [("last_log", True, False)],
        "no_recent_log": [("last_log", False, True)],
        "newest": [("created_at", True, None)],
    }

    @classmethod
    def list_keys(cls, sort: str) -> list[tuple[str, bool, bool | None]]:
        middle = cls.LIST_SORTS.get(sort, cls.LIST_SORTS["name"])
        return [("archived", False, None), ("attention", False, None), *middle, ("id", False, None)]

    def in_list_order(self, sort: str = "name") -> PatientQuerySet:
        """The patient list's order: active before archived, then who needs attention
        (urgent alerts, other alerts, the rest), then `sort`. Each order has an index
        led by (clinic, archived, attention), so a page is read straight off it."""
        order = []
        for field, descending, nulls_first in self.list_keys(sort):
            nulls = {None: {}, True: {"nulls_first": True}, False: {"nulls_last": True}}[
                nulls_first
            ]
            order.append(F(field).desc(**nulls) if descending else F(field).asc(**nulls))
        return self.order_by(*order)

    def beyond(self, sort: str, row: dict[str, Any], *, backwards: bool = False) -> PatientQuerySet:
        """The rows after `row` (its values of `list_keys`) in the list's order, or
        before it: a keyset page starts there, read off the same index as the first."""
        condition, same = Q(pk__in=[]), Q()
        for field, descending, nulls_first in self.list_keys(sort):
            if backwards:
                descending = not descending
                nulls_first = None if nulls_first is None else not nulls_first
            value = row[field]
            if value is None:
                after = Q(**{f"{field}__isnull": False}) if nulls_first else Q(pk__in=[])
                equal = Q(**{f"{field}__isnull": True})
            else:
                after = Q(**{f"{field}__{'lt' if descending else 'gt'}": value})
                if nulls_first is False:
                    after |= Q(**{f"{field}__isnull": True})
                equal = Q(**{field: value})
            condition |= same & after
            same &= equal
        return self.filter(condition)


class Patient(models.Model):
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="patients")
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    email = models.EmailField(_("email"), blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    large_print = models.BooleanField(
        _("large-print handout"),
        default=False,
        help_text=_("The handout is printed at 14 pt and more unless another size is chosen."),
    )
    external_id = models.CharField(
        _("external id"),
        max_length=100,
        blank=True,
        help_text=_("The patient's id in the clinic's own system, if any."),
    )
    classification = models.CharField(
        _("MDT classification"), max_length=12, choices=Classification, blank=True
    )
    directional_preference = models.CharField(
        _("directional preference"), max_length=14, choices=DirectionalPreference, blank=True
    )
    starting_location = models.CharField(
        _("where the pain reached at the start"),
        max_length=10,
        choices=Location,
        blank=True,
        help_text=_(
            "Recorded at assessment. Until the patient's first log, a log reaching further "
            "from the spine than this counts as peripheralization."
        ),
    )
    painful_side = models.CharField(
        _("painful side"),
        max_length=7,
        choices=PainfulSide,
        blank=True,
        help_text=_("One-sided exercises take their side from it."),
    )
    # Codes of `RiskFactor`, recorded by the therapist (patient record, assessment, API).
    risk_factors = models.JSONField(_("risk history"), default=list, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="patient",
        verbose_name=_("portal login"),
    )
    archived = models.BooleanField(_("archived"), default=False)
    # Sessions of the program are spread over these hours (see prescriptions/adherence.py).
    wake_start = models.TimeField(
        _("wakes up at"),
        default=time(8, 0),
        help_text=_("Sessions of the program are spread over the waking hours."),
    )
    wake_end = models.TimeField(_("goes to bed at"), default=time(20, 0))
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text=_("Empty: the clinic's. Reminders and the day's sessions follow this zone."),
    )
    # The waking hours before each change, oldest first: [last day they applied
    # (ISO date), wake_start, wake_end]. Adherence counts each past day with the hours
    # of that day, so a change does not rewrite what was kept up before it.
    earlier_waking_hours = models.JSONField(default=list, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    # The overview the patient list shows and sorts by, kept up to date by
    # `prescriptions.summary.refresh_summary` in the same transaction as every write
    # that changes it (a log, an alert raised or acknowledged, a program started or
    # ended), so the list reads its 25 rows without looking at logs or alerts.
    last_log = models.DateTimeField(null=True, blank=True, editable=False)
    first_location = models.CharField(max_length=10, blank=True, editable=False)
    latest_location = models.CharField(max_length=10, blank=True, editable=False)
    open_alerts = models.PositiveIntegerField(default=0, editable=False)
    urgent_alerts = models.PositiveIntegerField(default=0, editable=False)
    # 0: an urgent alert is open, 1: another alert is open, 2: nothing open. The list
    # shows the patients who need attention first, in this order.
    attention = models.PositiveSmallIntegerField(default=2, editable=False)
    active_version = models.PositiveIntegerField(null=True, blank=True, editable=False)
    active_progression = models.CharField(max_length=200, blank=True, editable=False)
    active_since = models.DateTimeField(null=True, blank=True, editable=False)
    first_activated = models.DateTimeField(null=True, blank=True, editable=False)
    # The direction of the patient's open progression suggestion ("forward", "back",
    # "reassess"), or "": kept by `prescriptions.progression.refresh_suggestion`.
    progress_suggestion = models.CharField(max_length=8, blank=True, editable=False)
    suggested_exercise = models.ForeignKey(
        "exercises.Exercise",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    # The program periods and, per day, which sessions are logged (bit masks);
    # prescriptions.adherence works the figures out from it at read time.
    adherence = models.JSONField(default=dict, blank=True, editable=False)

    objects = PatientQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        verbose_name = _("patient")
        verbose_name_plural = _("patients")
        # The patient list's sorts, each led by what every list filters and orders on
        # first (clinic, archived, attention). The "last log" sorts, which need NULLS
        # placement, and the name search (trigrams) are PostgreSQL-only indexes made in
        # migration 0002.
        indexes = [
            models.Index(
                fields=["clinic", "archived", "attention", "last_name", "first_name", "id"],
                name="patient_list_by_name",
            ),
            models.Index(
                fields=["clinic", "archived", "attention", "-created_at", "id"],
                name="patient_list_newest",
            ),
        ]
        constraints = [
            # "EHR-7" and "ehr-7" are one patient to a clinic system's user.
            models.UniqueConstraint(
                "clinic",
                Lower("external_id"),
                condition=~Q(external_id=""),
                name="patient_external_id_unique_in_clinic_any_case",
                violation_error_message=_(
                    "Another patient of this clinic already has this external id."
                ),
            ),
            models.CheckConstraint(
                condition=Q(classification__in=["", *Classification.values]),
                name="patient_classification_valid",
            ),
            models.CheckConstraint(
                condition=Q(directional_preference__in=["", *DirectionalPreference.values]),
                name="patient_directional_preference_valid",
            ),
            models.CheckConstraint(
                condition=Q(starting_location__in=["", *Location.values]),
                name="patient_starting_location_valid",
            ),
            models.CheckConstraint(
                condition=Q(painful_side__in=["", *PainfulSide.values]),
                name="patient_painful_side_valid",
            ),
            models.CheckConstraint(
                condition=Q(preferred_language__in=[code for code, _name in settings.LANGUAGES]),
                name="patient_preferred_language_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    # What the portal login copies from the record when it is made.
    LOGIN_FIELDS = ("email", "first_name", "last_name")

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        if self.user_id and (update_fields is None or set(self.LOGIN_FIELDS) & set(update_fields)):
            self.sync_login()

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def risk_factor_labels(self) -> list[str]:
        """The risk history in words, in `RiskFactor` order."""
        return [str(label) for code, label in RiskFactor.choices if code in self.risk_factors]

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        """The time zone the patient's days run in: their own, else their clinic's.
        Reminders, adherence days, the portal's "today" and the daily questions use it."""
        return zone_named(self.time_zone or self.clinic.time_zone)

    def local_now(self, moment: datetime | None = None) -> datetime:
        """`moment` (default now) on the patient's clock."""
        return timezone.localtime(moment or timezone.now(), self.zone)

    def local_date(self, moment: datetime | None = None) -> date:
        """The patient's calendar day at `moment` (default now)."""
        return self.local_now(moment).date()

    @property
    def has_portal_access(self) -> bool:
        return self.user is not None and self.user.is_active

    def sync_login(self) -> None:
        """Carry the record's email and name to the portal login. The login's email is
        where a password reset goes and the address the patient signs in with, so a
        corrected address must replace the old one there too: the old one (a typo,
        a former partner's, a closed work account) must no longer reach the account."""
        values = {name: getattr(self, name) for name in self.LOGIN_FIELDS}
        get_user_model()._default_manager.filter(pk=self.user_id).exclude(**values).update(**values)

    def void_pending_invitations(self) -> int:
        """Void the portal links not used yet; how many there were."""
        return self.invitations.filter(used_at__isnull=True, voided_at__isnull=True).update(
            voided_at=timezone.now()
        )

    def email_changed_from(self, previous: str) -> int:
        """Call after saving the record: when its email is another address than
        `previous` (capitals aside), the portal links not used yet are voided, since
        whoever reads the old mailbox must not get in. How many were voided."""
        if (previous or "").casefold() == (self.email or "").casefold():
            return 0
        return self.void_pending_invitations()

    def revoke_portal_access(self) -> bool:
        """End the patient's portal access: their login is switched off (which ends
        every session it has at the next request) and unused links are voided.
        The login stays tied to the record; a new invitation switches it back on.
        Returns whether anything changed."""
        patient_id = self.pk
        with transaction.atomic():
            # Also when there is no login left to switch off: what a past login
            # kept running (stored handouts, reminders, the calendar feed) ends too.
            transaction.on_commit(
                lambda: portal_access_revoked.send(sender=Patient, patient_id=patient_id)
            )
            voided = self.void_pending_invitations()
            user = self.user
            if user is None or not user.is_active:
                return bool(voided)
            user.is_active = False
            user.save(update_fields=["is_active"])
        end_sessions_of(user)
        return True

    def invite(self, *, by: Any, resets_two_step: bool = False) -> tuple[PortalInvitation, str]:
        """Make a one-time portal link and void every earlier one. `resets_two_step`:
        using the link also removes the login's two-step app and recovery codes (a
        lost phone), so the patient sets the app up again.

        Returns the invitation and the raw token; only its hash is stored, so
        the token must be shown or sent now.
        """
        now = timezone.now()
        with transaction.atomic():
            self.invitations.filter(used_at__isnull=True, voided_at__isnull=True).update(
                voided_at=now
            )
            invitation = PortalInvitation.objects.create(
                patient=self,
                # Replaced at once below; random so the unique column never clashes.
                token_hash=PortalInvitation.hash(secrets.token_urlsafe(32)),
                created_by=by,
                expires_at=now + PortalInvitation.LIFETIME,
                resets_two_step=resets_two_step,
            )
            token = invitation.regenerate_token()
            invitation.token_hash = PortalInvitation.hash(token)
            invitation.save(update_fields=["token_hash"])
        return invitation, token


def end_sessions_of(user: Any) -> None:
    """Delete the user's stored sessions, so a stolen cookie is worthless at once.

    Sessions are stored by key, not by user, so each live one is read; the portal
    has few per patient, and this runs only when access is revoked."""
    user_id = str(user.pk)
    stale = [
        session.session_key
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get("_auth_user_id") == user_id
    ]
    Session.objects.filter(session_key__in=stale).delete()


class PortalInvitationQuerySet(models.QuerySet):
    def usable(self) -> PortalInvitationQuerySet:
        return self.filter(
            used_at__isnull=True, voided_at__isnull=True, expires_at__gt=timezone.now()
        )


class PortalInvitation(models.Model):
    LIFETIME = timedelta(days=7)

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    voided_at = models.DateTimeField(null=True, blank=True)
    # Chosen by the therapist: using this link removes the login's two-step app.
    resets_two_step = models.BooleanField(_("resets two-step sign-in"), default=False)

    objects = PortalInvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("portal invitation")
        verbose_name_plural = _("portal invitations")

    def __str__(self) -> str:
        return f"Invitation for {self.patient} ({self.created_at:%Y-%m-%d})"

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    def regenerate_token(self) -> str:
        """The raw token of this invitation, made again from its id, its expiry and
        SECRET_KEY (as Django's reset tokens are): the worker that emails the link
        gets only the invitation's id, and no table holds more than the hash."""
        expiry = int(self.expires_at.timestamp() * 1_000_000)
        return salted_hmac(
            "centra.portal-invitation", f"{self.pk}:{expiry}", algorithm="sha256"
        ).hexdigest()

    @classmethod
    def find(cls, token: str) -> PortalInvitation | None:
        """The invitation a raw token belongs to, usable or not."""
        return cls.objects.select_related("patient").filter(token_hash=cls.hash(token)).first()

    @property
    def is_usable(self) -> bool:
        return self.used_at is None and self.voided_at is None and self.expires_at > timezone.now()
