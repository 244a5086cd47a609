"""Sign-in, sign-out, failed sign-ins and lockouts go into the audit log."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.exceptions import ObjectDoesNotExist
from django.dispatch import receiver

from clinics.backends import account_username
from clinics.models import AuditEvent, Clinic, audit, clinic_of


def home_clinic(user: Any) -> Clinic | None:
    """The clinic whose log a user's sign-ins belong to: a therapist's, or a
    patient's (reached through the reverse relation; clinics does not import patients)."""
    if user is None:
        return None
    clinic = clinic_of(user)
    if clinic is not None:
        return clinic
    try:
        return user.patient.clinic
    except (ObjectDoesNotExist, AttributeError):
        return None


def _account(typed: str) -> Any:
    username = account_username(typed)
    return get_user_model()._default_manager.filter(username=username).first()


@receiver(user_logged_in, dispatch_uid="audit_login")
def audit_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit(
        action=AuditEvent.Action.LOGIN,
        request=request,
        actor=user,
        clinic=home_clinic(user),
        object_type="user",
        object_id=user.pk,
    )


@receiver(user_logged_out, dispatch_uid="audit_logout")
def audit_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is None:
        return
    audit(
        action=AuditEvent.Action.LOGOUT,
        request=request,
        actor=user,
        clinic=home_clinic(user),
        object_type="user",
        object_id=user.pk,
    )


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def audit_login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    typed = str(credentials.get("username") or "")[:150]
    account = _account(typed)
    audit(
        action=AuditEvent.Action.LOGIN_FAILED,
        request=request,
        actor=account,
        actor_label=typed or "?",
        clinic=home_clinic(account),
        object_type="user",
        object_id=account.pk if account else "",
        detail={"typed": typed},
    )


@receiver(user_locked_out, dispatch_uid="audit_lockout")
def audit_lockout(sender: Any, request: Any, username: str | None = None, **kwargs: Any) -> None:
    account = _account(username or "")
    audit(
        action=AuditEvent.Action.LOCKOUT,
        request=request,
        actor=account,
        actor_label=(username or "?")[:150],
        clinic=home_clinic(account),
        object_type="user",
        object_id=account.pk if account else "",
    )
