"""Writes the portal makes that span several models."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from clinics.mfa import reset_two_step
from clinics.throttle import client_ip, too_many
from clinics.validators import validate_username_not_anothers_email
from patients.models import Patient, PortalInvitation, end_sessions_of


def activation_throttled(request: HttpRequest, token: str) -> bool:
    """Count one activation attempt for the link and the IP; True when over the limit."""
    return too_many(
        "portal-activation",
        {
            "link": (token, settings.ACTIVATION_PER_LINK_PER_HOUR),
            "ip": (client_ip(request), settings.ACTIVATION_PER_IP_PER_HOUR),
        },
    )


def activate_portal_login(
    *, invitation: PortalInvitation, username: str, password: str
) -> AbstractBaseUser:
    """Create the patient's portal login from a one-time invitation and use it up.

    The invitation row is locked, so two tabs submitting the same link make one
    login; the second gets a ValidationError saying the link is used.
    """
    User = get_user_model()
    with transaction.atomic():
        invitation = (
            PortalInvitation.objects.select_for_update()
            .select_related("patient")
            .get(pk=invitation.pk)
        )
        patient = Patient.objects.select_for_update().get(pk=invitation.patient_id)
        if not invitation.is_usable:
            raise ValidationError(_("This invitation link can no longer be used."))
        previous = User.objects.filter(pk=patient.user_id).first() if patient.user_id else None
        if previous is not None and previous.is_active and not invitation.resets_two_step:
            raise ValidationError(_("You already have a login for the portal."))
        others = User.objects.exclude(pk=patient.user_id) if previous else User.objects
        if others.filter(username__iexact=username).exists():
            raise ValidationError({"username": _("This username is taken. Please choose another.")})
        try:
            validate_username_not_anothers_email(username, user_pk=patient.user_id)
        except ValidationError as error:
            raise ValidationError({"username": error.messages}) from error
        if previous is not None:
            # Access was revoked; the new invitation switches the same login back on,
            # so the patient's history stays theirs.
            previous.username = username
            previous.set_password(password)
            previous.is_active = True
            previous.save(update_fields=["username", "password", "is_active"])
            if invitation.resets_two_step:
                # The lost phone may still hold a signed-in session: it ends too.
                reset_two_step(user=previous, invitation_id=invitation.pk)
                end_sessions_of(previous)
            invitation.used_at = timezone.now()
            invitation.save(update_fields=["used_at"])
            return previous
        try:
            with transaction.atomic():
                user = User.objects.create_user(
                    username=username,
                    password=password,
                    email=patient.email,
                    first_name=patient.first_name,
                    last_name=patient.last_name,
                )
        except IntegrityError as error:
            raise ValidationError(
                {"username": _("This username is taken. Please choose another.")}
            ) from error
        patient.user = user
        patient.save(update_fields=["user", "updated_at"])
        invitation.used_at = timezone.now()
        invitation.save(update_fields=["used_at"])
    return user
