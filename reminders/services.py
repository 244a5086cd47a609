"""When reminders are due, and sending them.

Times are the patient's wall-clock times, in their time zone (their own, else their
clinic's: `Patient.zone`). A reminder is due at one of the patient's times when:
- it falls within waking hours (quiet hours are never disturbed; hours may cross
  midnight): a time outside the hours as they are now counts as moved to the nearest
  end of them (`fit_times`), the same on the reminder page, in the calendar feed and
  here. The times the patient set are kept: when the hours widen again, they apply
  as set;
- the patient is not archived and has a program in use (an ended program stops them);
- the patient has not logged in the hour before (they have just done the session);
- it was not sent already on that channel (a row per patient, slot and channel).
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from clinics.models import zone_named
from patients.models import Patient
from prescriptions import adherence
from prescriptions.models import Prescription, PrescriptionItem, SymptomLog
from prescriptions.services import set_waking_hours

from .models import Channel, PushSubscription, ReminderPlan, SentReminder

logger = logging.getLogger(__name__)

# Waking hours of a patient not yet saved; a patient's own are on their record.
WAKING_START = time(8, 0)
WAKING_END = time(20, 0)
# A log this recent means the session was just done: no reminder for it.
JUST_LOGGED = timedelta(minutes=60)
# A slot missed while no worker ran is still sent this long after its time, not later.
CATCH_UP = timedelta(minutes=10)
MAX_TIMES = 12
BATCH_SIZE = 250
COMMIT_EVERY = 50


def waking_hours(patient: Patient | None = None) -> tuple[time, time]:
    """The patient's waking hours (their record's setting, default 08:00-20:00)."""
    if patient is None:
        return WAKING_START, WAKING_END
    return patient.wake_start, patient.wake_end


def within(moment: time, start: time, end: time) -> bool:
    """Whether `moment` is within these waking hours (which may cross midnight)."""
    if start <= end:
        return start <= moment <= end
    return moment >= start or moment <= end


def within_waking_hours(moment: time, patient: Patient | None = None) -> bool:
    return within(moment, *waking_hours(patient))


def parse_time(value: str) -> time:
    return time.fromisoformat(value)


def fit_time(value: str, start: time, end: time) -> str:
    """A reminder time ("HH:MM") moved into waking hours: one before them moves to the
    time of waking up, one after them to bedtime (whichever is nearer across the time
    asleep); one within them stays."""
    moment = parse_time(value)
    if not within(moment, start, end):
        asleep = (_minutes(start) - _minutes(end)) % DAY
        moment = end if (_minutes(moment) - _minutes(end)) % DAY <= asleep / 2 else start
    return moment.strftime("%H:%M")


DAY = 24 * 60


def _minutes(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def fit_times(times: Iterable[str], start: time, end: time) -> list[str]:
    """The reminder times as they apply within these waking hours: sorted, each once."""
    return sorted({fit_time(value, start, end) for value in times})


def moved_times(times: Iterable[str], start: time, end: time) -> list[tuple[str, str]]:
    """Each time outside these waking hours with the time it moves to."""
    return [
        (value, fit_time(value, start, end))
        for value in sorted(set(times))
        if fit_time(value, start, end) != value
    ]


def kept_times(times: Iterable[str], saved: Iterable[str], start: time, end: time) -> list[str]:
    """The times to store when the page is saved with `times`: a time the page showed
    moved into the hours (a saved time outside them) keeps the time the patient set,
    so that it comes back when the hours widen."""
    moved: dict[str, list[str]] = {}
    for value in saved or ():
        fitted = fit_time(value, start, end)
        if fitted != value:
            moved.setdefault(fitted, []).append(value)
    kept = set()
    for value in times:
        kept.update(moved.get(value, [value]))
    return sorted(kept)


def plan_times(plan: ReminderPlan) -> list[str]:
    """The plan's times within the patient's waking hours as they are now."""
    return fit_times(plan.times or [], *waking_hours(plan.patient))


def sessions_per_day(prescription: Prescription) -> int:
    """Sessions a day of the program, counted as adherence counts them."""
    start, end = waking_hours(prescription.patient)
    items = PrescriptionItem.objects.filter(prescription=prescription).only(
        "times_per_day", "every_hours"
    )
    return min(max(1, adherence.sessions_per_day(items, start, end)), MAX_TIMES)


def suggested_times(patient: Patient) -> list[str]:
    """Times pre-set from the program in use: the start of each of the day's session
    slots (the slots adherence counts logs in), so each reminder asks for one session."""
    prescription = Prescription.objects.filter(
        patient=patient, status=Prescription.Status.ACTIVE
    ).first()
    count = sessions_per_day(prescription) if prescription else 1
    start, end = waking_hours(patient)
    first = start.hour * 60 + start.minute
    if count == 1:
        minutes = [first + 60]  # one session: mid-morning, not the moment waking hours open
    else:
        length = adherence.waking_minutes(start, end) / count
        minutes = [math.floor(first + i * length) for i in range(count)]
    minutes = [m % DAY for m in minutes]  # hours that cross midnight go on after it
    return fit_times([f"{m // 60:02d}:{m % 60:02d}" for m in minutes], start, end)


def plan_for(patient: Patient) -> ReminderPlan:
    """The patient's plan, or an unsaved one pre-set from their program (all channels off)."""
    plan = ReminderPlan.objects.filter(patient=patient).first()
    if plan is None:
        plan = ReminderPlan(patient=patient, times=suggested_times(patient))
    return plan


def save_plan(
    *, patient: Patient, times: Sequence[str], by_email: bool, by_push: bool
) -> ReminderPlan:
    with transaction.atomic():
        plan, _created = ReminderPlan.objects.select_for_update().get_or_create(patient=patient)
        plan.times = kept_times(times, plan.times, *waking_hours(patient))
        plan.by_email = by_email and bool(patient.email)
        plan.by_push = by_push
        plan.save()
    return plan


def change_waking_hours(
    *, patient: Patient, wake_start: time, wake_end: time
) -> list[tuple[str, str]]:
    """Set the patient's waking hours. The reminder times stay as the patient set them:
    the page, the feed and the sending fit them into the hours as they are
    (`plan_times`), so narrower hours move them and wider hours give them back.
    Returns each time that now comes elsewhere, with where, to tell the patient."""
    with transaction.atomic():
        set_waking_hours(patient=patient, wake_start=wake_start, wake_end=wake_end)
        plan = ReminderPlan.objects.filter(patient=patient).first()
    return moved_times(plan.times, wake_start, wake_end) if plan is not None else []


def set_calendar_feed(*, patient: Patient, on: bool) -> ReminderPlan:
    """Open a calendar feed at a new secret address, or close it (the old address
    answers 404 from then on). Turning it on again always makes a new address."""
    with transaction.atomic():
        plan, _created = ReminderPlan.objects.select_for_update().get_or_create(
            patient=patient, defaults={"times": suggested_times(patient)}
        )
        if on:
            plan.new_calendar_token()
        else:
            plan.calendar_token = None
        plan.save()
    return plan


def end_reminders(*, patient_id: int) -> None:
    """What the portal login had set going stops with it: reminders by email and
    notification, the calendar feed's address (it answers 404 from now on) and
    every push subscription. The chosen times stay, for a new invitation."""
    with transaction.atomic():
        ReminderPlan.objects.filter(patient_id=patient_id).update(
            by_email=False, by_push=False, calendar_token=None, updated_at=timezone.now()
        )
        PushSubscription.objects.filter(patient_id=patient_id).delete()


def push_host_allowed(endpoint: str) -> bool:
    """Whether an endpoint's host is a push service of PUSH_SERVICE_HOSTS (checked
    again before each send, so a stored subscription never reaches another host)."""
    try:
        host = (urlsplit(endpoint).hostname or "").rstrip(".").lower()
    except ValueError:
        return False
    for allowed in settings.PUSH_SERVICE_HOSTS:
        allowed = allowed.strip().lower()
        if allowed.startswith("."):
            if host.endswith(allowed) and len(host) > len(allowed):
                return True
        elif allowed and host == allowed:
            return True
    return False


def is_push_service(endpoint: str) -> bool:
    """What a new subscription must be: https on the standard port, no user part,
    at an allowed push service."""
    try:
        parts = urlsplit(endpoint)
        port = parts.port
    except ValueError:
        return False
    return (
        parts.scheme == "https"
        and port in (None, 443)
        and not parts.username
        and push_host_allowed(endpoint)
    )


def save_push_subscription(*, patient: Patient, info: dict) -> PushSubscription:
    """Raises ValueError for an endpoint that is not a known push service."""
    if not is_push_service(info["endpoint"]):
        raise ValueError("not a push service")
    keys = info.get("keys") or {}
    subscription, _created = PushSubscription.objects.update_or_create(
        endpoint=info["endpoint"],
        defaults={"patient": patient, "p256dh": keys["p256dh"], "auth": keys["auth"]},
    )
    return subscription


@dataclass(frozen=True)
class Due:
    patient_id: int
    slot: datetime
    channel: str


def _slots_between(
    times: Iterable[str], start: datetime, end: datetime, waking: tuple[time, time], zone: Any
) -> list[datetime]:
    """The patient's times of day, moved within their waking hours, that fall in
    (start, end], as aware datetimes of the patient's zone."""
    local_start, local_end = timezone.localtime(start, zone), timezone.localtime(end, zone)
    found = []
    moments = [parse_time(value) for value in fit_times(times, *waking)]
    day = local_start.date()
    while day <= local_end.date():
        for moment in moments:
            slot = datetime.combine(day, moment, tzinfo=zone)
            if local_start < slot <= local_end:
                found.append(slot)
        day += timedelta(days=1)
    return found


def due_reminders(now: datetime | None = None) -> list[Due]:
    """Every reminder due now (or missed in the last few minutes) and not yet sent."""
    now = now or timezone.now()
    window_start = now - CATCH_UP
    plans = (
        ReminderPlan.objects.filter(
            patient__archived=False,
            patient__prescriptions__status=Prescription.Status.ACTIVE,
        )
        .exclude(by_email=False, by_push=False)
        .values_list(
            "patient_id",
            "times",
            "by_email",
            "by_push",
            "patient__wake_start",
            "patient__wake_end",
            "patient__time_zone",
            "patient__clinic__time_zone",
        )
    )
    candidates: list[Due] = []
    for patient_id, times, by_email, by_push, wakes, sleeps, own, clinics in plans.iterator(
        chunk_size=2000
    ):
        zone = zone_named(own or clinics)
        slots = _slots_between(times or [], window_start, now, (wakes, sleeps), zone)
        for slot in slots:
            if by_email:
                candidates.append(Due(patient_id, slot, Channel.EMAIL))
            if by_push and settings.VAPID_PRIVATE_KEY:  # no keys: no Web Push on this site
                candidates.append(Due(patient_id, slot, Channel.PUSH))
    if not candidates:
        return []
    sent = set(
        SentReminder.objects.filter(slot__gt=window_start, slot__lte=now).values_list(
            "patient_id", "slot", "channel"
        )
    )
    last_logs = dict(
        SymptomLog.objects.filter(logged_at__gte=window_start - JUST_LOGGED)
        .values("patient_id")
        .annotate(last=Max("logged_at"))
        .values_list("patient_id", "last")
    )
    return [
        due
        for due in candidates
        if (due.patient_id, due.slot, due.channel) not in sent
        and not (
            due.patient_id in last_logs and last_logs[due.patient_id] >= due.slot - JUST_LOGGED
        )
    ]


def _message(patient: Patient) -> tuple[str, str, str]:
    link = settings.SITE_URL + reverse("portal:today")
    with translation.override(patient.preferred_language):
        title = _("Time for your exercises")
        body = _("Your exercise session is due. Log it when you are done.")
        email_body = render_to_string(
            "reminders/email/reminder.txt", {"patient": patient, "link": link}
        )
    return str(title), str(body), email_body


def send_push(
    subscriptions: list[PushSubscription],
    title: str,
    body: str,
    gone: list[int],
    url: str | None = None,
) -> bool:
    """Notify each of the patient's devices (opening `url`, Today by default); False
    when none took it. A device that unsubscribed (404, 410) goes into `gone`, to be
    forgotten. Messages notify through here too (messaging/tasks.py)."""
    from pywebpush import WebPushException, webpush

    delivered = False
    payload = json.dumps({"title": title, "body": body, "url": url or reverse("portal:today")})
    for subscription in subscriptions:
        if not push_host_allowed(subscription.endpoint):
            # Stored before the allow-list, or the list changed: never POSTed to.
            gone.append(subscription.pk)
            continue
        try:
            webpush(
                subscription_info=subscription.info(),
                data=payload,
                vapid_private_key=settings.VAPID_PRIVATE_KEY,
                vapid_claims={"sub": settings.VAPID_SUBJECT},
                ttl=30 * 60,
            )
            delivered = True
        except WebPushException as error:
            status = getattr(error.response, "status_code", None)
            if status in (404, 410):
                gone.append(subscription.pk)
            else:
                raise
    return delivered


def _send(item: Due, patient: Patient, connection, subscriptions: dict, gone: list[int]) -> None:
    title, body, email_body = _message(patient)
    if item.channel == Channel.EMAIL:
        EmailMessage(title, email_body, None, [patient.email], connection=connection).send()
    elif not send_push(subscriptions[patient.pk], title, body, gone):
        raise NotDelivered


def send_due(items: Sequence[Due]) -> int:
    """Send these reminders, each at most once; the number sent.

    Conditions are checked again (a log or an archive since the scan stops it). Each
    reminder's row is written in the same transaction as the send: if the send fails,
    the row goes and the task is tried again; if another worker has the row, skip
    (its insert waits for that worker's commit, then fails on the unique constraint)."""
    if not items:
        return 0
    patient_ids = {item.patient_id for item in items}
    earliest = min(item.slot for item in items)
    patients = {
        patient.pk: patient
        for patient in Patient.objects.filter(
            pk__in=patient_ids,
            archived=False,
            prescriptions__status=Prescription.Status.ACTIVE,
        ).select_related("clinic")
    }
    last_logs = dict(
        SymptomLog.objects.filter(patient_id__in=patient_ids, logged_at__gte=earliest - JUST_LOGGED)
        .values("patient_id")
        .annotate(last=Max("logged_at"))
        .values_list("patient_id", "last")
    )
    subscriptions: dict[int, list[PushSubscription]] = {}
    if any(item.channel == Channel.PUSH for item in items):
        for subscription in PushSubscription.objects.filter(patient_id__in=patient_ids):
            subscriptions.setdefault(subscription.patient_id, []).append(subscription)
    connection = get_connection()
    sent = 0
    failures = []
    gone: list[int] = []  # devices that unsubscribed
    # Rows are claimed in one order by every worker (no deadlock between overlapping
    # batches) and committed a chunk at a time: one commit per reminder was most of the
    # cost on PostgreSQL. Each reminder still has its own savepoint, so a send that fails
    # takes only its own row back.
    ordered = sorted(items, key=lambda item: (item.patient_id, item.slot, item.channel))
    with connection:
        for chunk in batches(ordered, COMMIT_EVERY):
            with transaction.atomic():
                for item in chunk:
                    patient = patients.get(item.patient_id)
                    if patient is None:
                        continue
                    last = last_logs.get(item.patient_id)
                    if last is not None and last >= item.slot - JUST_LOGGED:
                        continue
                    if item.channel == Channel.EMAIL and not patient.email:
                        continue
                    if item.channel == Channel.PUSH and not subscriptions.get(patient.pk):
                        continue
                    try:
                        with transaction.atomic():
                            SentReminder.objects.create(
                                patient_id=patient.pk, slot=item.slot, channel=item.channel
                            )
                            _send(item, patient, connection, subscriptions, gone)
                        sent += 1
                    except (IntegrityError, NotDelivered):
                        continue  # sent already (by another worker), or no device left
                    except Exception as error:
                        logger.warning(
                            "Reminder to patient %s (%s) failed: %s",
                            patient.pk,
                            item.channel,
                            error,
                        )
                        failures.append(item)
    if gone:
        PushSubscription.objects.filter(pk__in=gone).delete()
    if failures:
        raise ReminderSendError(failures)
    return sent


class NotDelivered(Exception):
    """Every device of the patient had unsubscribed."""


class ReminderSendError(Exception):
    """Some reminders of a batch could not be sent; the task tries the batch again
    (those sent meanwhile are skipped by their row)."""

    def __init__(self, failures: list[Due]) -> None:
        super().__init__(f"{len(failures)} reminder(s) could not be sent")
        self.failures = failures


def batches(items: Sequence[Due], size: int = BATCH_SIZE) -> Iterable[list[Due]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])
