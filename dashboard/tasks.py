"""The portal invitation email, sent by the worker from the invitation's id: the
queue table never holds the link (only its hash is stored anywhere)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from clinics.tasks import retried
from patients.models import PortalInvitation


def invitation_link(token: str) -> str:
    return settings.SITE_URL + reverse("portal:activate", kwargs={"token": token})


@task()
@retried
def send_portal_invitation(invitation_id: int) -> bool:
    """Email the link of this invitation, in the patient's language. False when
    there is nothing to send: the link was used, voided or has expired meanwhile."""
    invitation = (
        PortalInvitation.objects.usable()
        .select_related("patient__clinic")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or not invitation.patient.email:
        return False
    token = invitation.regenerate_token()
    if PortalInvitation.hash(token) != invitation.token_hash:
        return False  # made under another SECRET_KEY: the therapist invites again
    patient = invitation.patient
    context = {
        "patient": patient,
        "link": invitation_link(token),
        "expires_at": invitation.expires_at,
    }
    with translation.override(patient.preferred_language):
        subject = _("Your exercise program at %(clinic)s") % {"clinic": patient.clinic.name}
        body = render_to_string("dashboard/email/portal_invitation.txt", context)
    EmailMultiAlternatives(str(subject), body, None, [patient.email]).send()
    return True
