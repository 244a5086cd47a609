"""Telling the other side that a message is waiting, through the worker.

A notification says only that there is a new message and where to read it: never
its words, which stay behind the sign-in (an email or a lock screen is not private).
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from clinics.models import Therapist
from clinics.tasks import retried
from reminders.models import PushSubscription
from reminders.services import send_push

from .models import Author, Message


@task()
@retried
def notify_new_message(message_id: int) -> int:
    """Notify the patient of a clinic's message, or the clinic of a patient's; the
    number of emails and devices notified."""
    message = (
        Message.objects.select_related("patient__clinic", "patient__user", "thread__assigned_to")
        .filter(pk=message_id)
        .first()
    )
    if message is None:
        return 0
    if message.author == Author.CLINIC:
        return _notify_patient(message)
    return _notify_therapists(message)


def _notify_patient(message: Message) -> int:
    patient = message.patient
    if not patient.has_portal_access or patient.archived:
        return 0  # nowhere to read it: the clinic phones or writes instead
    url = reverse("portal:messages")
    sent = 0
    with translation.override(patient.preferred_language):
        subject = _("New message from %(clinic)s") % {"clinic": patient.clinic.name}
        if patient.email:
            body = render_to_string(
                "messaging/email/to_patient.txt",
                {"patient": patient, "link": settings.SITE_URL + url},
            )
            EmailMessage(subject, body, None, [patient.email]).send()
            sent += 1
        subscriptions = list(PushSubscription.objects.filter(patient=patient))
        if subscriptions and settings.VAPID_PRIVATE_KEY:
            gone: list[int] = []
            text = _("Your clinic has answered. Open the portal to read it.")
            if send_push(subscriptions, str(subject), str(text), gone, url=url):
                sent += 1
            PushSubscription.objects.filter(pk__in=gone).delete()
    return sent


def _notify_therapists(message: Message) -> int:
    """The assigned therapist, or every therapist of the clinic when nobody is."""
    assigned = message.thread.assigned_to
    therapists = Therapist.objects.filter(clinic=message.patient.clinic, user__is_active=True)
    if assigned is not None and assigned.is_active:
        therapists = therapists.filter(user=assigned)
    therapists = therapists.exclude(Q(user__email="")).select_related("user")
    link = settings.SITE_URL + reverse("patients:detail", args=[message.patient_id]) + "#messages"
    sent = 0
    for therapist in therapists:
        with translation.override(therapist.language or settings.LANGUAGE_CODE):
            subject = _("New message from a patient")
            body = render_to_string(
                "messaging/email/to_therapist.txt",
                {"link": link, "flagged": message.flagged, "clinic": message.patient.clinic},
            )
            EmailMessage(str(subject), body, None, [therapist.user.email]).send()
            sent += 1
    return sent
