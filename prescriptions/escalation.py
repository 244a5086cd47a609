"""An urgent alert that nobody acknowledges does not wait for ever.

When an urgent alert has stayed open for the clinic's number of opening hours
(`Clinic.urgent_escalation_hours`, 2 by default), the worker emails the clinic's
administrators once: a therapist may be off sick, on leave or simply busy, and the
patient was told to seek care. The email says only that an urgent alert waits and
links to the patient's page: no name, no clinical detail leaves the app by email.
Time outside the clinic's opening hours does not count, so an alert raised at night is
escalated two hours after the clinic opens, not at three in the morning.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta, tzinfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clinics.models import AuditEvent, Clinic, audit
from clinics.tasks import send_email

from .models import Alert

logger = logging.getLogger(__name__)

# An alert open this many days is counted as overdue without walking each day.
MAX_DAYS_WALKED = 60


def opening_time_between(
    start: datetime,
    end: datetime,
    *,
    opens_at: time,
    closes_at: time,
    open_days: str,
    zone: tzinfo,
) -> timedelta:
    """How much of the span from `start` to `end` falls in the opening hours: from
    `opens_at` to `closes_at`, local time in `zone`, on the ISO weekdays in `open_days`."""
    if end <= start:
        return timedelta(0)
    first, last = start.astimezone(zone).date(), end.astimezone(zone).date()
    total = timedelta(0)
    day = first
    while day <= last and (day - first).days <= MAX_DAYS_WALKED:
        if str(day.isoweekday()) in open_days:
            total += _overlap(start, end, _local(day, opens_at, zone), _local(day, closes_at, zone))
        day += timedelta(days=1)
    return total


def _local(day: date, moment: time, zone: tzinfo) -> datetime:
    return timezone.make_aware(datetime.combine(day, moment), zone)


def _overlap(start: datetime, end: datetime, opens: datetime, closes: datetime) -> timedelta:
    return max(timedelta(0), min(end, closes) - max(start, opens))


def clinic_zone(clinic: Clinic) -> tzinfo:
    """The zone the clinic's opening hours are in: the clinic's own."""
    return clinic.zone


def is_overdue(alert: Alert, clinic: Clinic, now: datetime) -> bool:
    waited = opening_time_between(
        alert.created_at,
        now,
        opens_at=clinic.opens_at,
        closes_at=clinic.closes_at,
        open_days=clinic.open_days,
        zone=clinic_zone(clinic),
    )
    return waited >= timedelta(hours=clinic.urgent_escalation_hours)


def administrators(clinic: Clinic) -> list[tuple[str, str]]:
    """(email, language) of each active administrator of the clinic who has an email."""
    users = get_user_model().objects.filter(
        therapist__clinic=clinic, therapist__is_clinic_admin=True, is_active=True
    )
    return [
        (user.email, user.therapist.language or settings.LANGUAGE_CODE)
        for user in users.select_related("therapist").order_by("pk")
        if user.email
    ]


def _message(alert: Alert, clinic: Clinic) -> tuple[str, str]:
    hours = clinic.urgent_escalation_hours
    link = settings.SITE_URL + reverse("patients:detail", args=[alert.patient_id])
    subject = _("Centra: an urgent alert has waited %(hours)d opening hours") % {"hours": hours}
    body = "\n\n".join(
        [
            ngettext(
                "An urgent alert at %(clinic)s has been open for more than %(hours)d opening "
                "hour and nobody has acknowledged it.",
                "An urgent alert at %(clinic)s has been open for more than %(hours)d opening "
                "hours and nobody has acknowledged it.",
                hours,
            )
            % {"clinic": clinic.name, "hours": hours},
            _(
                "The patient was told to seek care. Please make sure a therapist looks at it "
                "now: %(link)s"
            )
            % {"link": link},
            _(
                "You receive this because you are an administrator of the clinic. The email "
                "carries no patient details; sign in to see them."
            ),
        ]
    )
    return subject, body


def escalate_overdue_alerts(*, now: datetime | None = None) -> list[Alert]:
    """Email each overdue urgent alert to its clinic's administrators, once, and record it
    (`Alert.escalated_at`, an audit event). An alert whose clinic has no administrator with
    an email is logged as an error and tried again at the next run."""
    now = now or timezone.now()
    candidates = (
        Alert.objects.open()
        .filter(severity=Alert.Severity.URGENT, escalated_at__isnull=True)
        .select_related("patient__clinic")
        .order_by("pk")
    )
    escalated = []
    for alert in candidates:
        clinic = alert.patient.clinic
        if not is_overdue(alert, clinic, now):
            continue
        recipients = administrators(clinic)
        if not recipients:
            logger.error(
                "Urgent alert %s of clinic %s is overdue, but the clinic has no administrator "
                "with an email to escalate it to.",
                alert.pk,
                clinic.pk,
            )
            continue
        with transaction.atomic():
            claimed = Alert.objects.filter(
                pk=alert.pk, escalated_at__isnull=True, acknowledged_at__isnull=True
            ).update(escalated_at=now, updated_at=now)
            if not claimed:
                continue
            audit(
                action=AuditEvent.Action.UPDATE,
                target=alert,
                actor_label="escalation",
                detail={"escalated_to": len(recipients)},
            )
            for email, language in recipients:
                with translation.override(language):
                    subject, body = _message(alert, clinic)
                transaction.on_commit(
                    lambda subject=subject, body=body, email=email: send_email.enqueue(
                        subject=subject, body=body, to=[email]
                    )
                )
        alert.escalated_at = now
        escalated.append(alert)
    return escalated
