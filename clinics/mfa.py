"""Two-step sign-in: an authenticator app (TOTP) and single-use recovery codes,
kept by django-otp. The writes live here; the pages are in `clinics.mfa_views`."""

from __future__ import annotations

from base64 import b32encode
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import AuditEvent, audit, therapist_of

APP_DEVICE_NAME = "authenticator app"
RECOVERY_DEVICE_NAME = "recovery codes"


def has_two_step(user: Any) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def required_for(user: Any) -> bool:
    """Whether the user's clinic makes two-step sign-in compulsory for its therapists."""
    therapist = therapist_of(user)
    return therapist is not None and therapist.clinic.require_mfa


def setup_device(user: Any) -> TOTPDevice:
    """The not-yet-confirmed app the user is setting up (the same secret on every
    visit, so a reload does not invalidate the QR code already scanned)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)


def secret_text(device: TOTPDevice) -> str:
    """The secret as authenticator apps take it typed in: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code(device: TOTPDevice) -> str:
    """The otpauth:// address as an SVG data URI (CSP allows data: images)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


def remaining_recovery_codes(user: Any) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def _audit(request: HttpRequest | None, user: Any, event: str, **detail: Any) -> None:
    # clinics.signals.home_clinic also finds a patient's clinic; imported here
    # because signals imports this app's models at start-up.
    from .signals import home_clinic

    audit(
        action=AuditEvent.Action.MFA,
        request=request,
        actor=user,
        clinic=home_clinic(user),
        object_type="user",
        object_id=user.pk,
        detail={"event": event, **detail},
    )


def _replace_recovery_codes(user: Any) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.MFA_RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def enable_two_step(
    *, user: Any, device: TOTPDevice, code: str, request: HttpRequest | None = None
) -> list[str] | None:
    """Confirm the app with a code it shows. Returns the new recovery codes (to be
    shown once), or None when the code does not match."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
        if not device.verify_token(normalize(code)):
            return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        codes = _replace_recovery_codes(user)
        _audit(request, user, "enrolled")
    return codes


def new_recovery_codes(*, user: Any, request: HttpRequest | None = None) -> list[str]:
    """Replace every recovery code (the old ones stop working)."""
    with transaction.atomic():
        codes = _replace_recovery_codes(user)
        _audit(request, user, "recovery_codes_renewed")
    return codes


def disable_two_step(*, user: Any, request: HttpRequest | None = None) -> None:
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        _audit(request, user, "disabled")


def reset_two_step(*, user: Any, invitation_id: int, request: HttpRequest | None = None) -> None:
    """Remove the user's app and recovery codes because they used an invitation that
    their therapist sent to reset them (a lost phone); they set the app up again."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        _audit(request, user, "reset_by_invitation", invitation=invitation_id)


def normalize(code: str) -> str:
    """What people type: spaces and dashes from copying, any letter case."""
    return "".join(code.split()).replace("-", "").lower()


@dataclass
class CodeCheck:
    device: TOTPDevice | StaticDevice | None = None
    recovery: bool = False
    throttled: bool = False


def check_code(
    *, user: Any, code: str, request: HttpRequest | None = None, app_only: bool = False
) -> CodeCheck:
    """Check a code from the app (6 digits) or a recovery code (which is then used
    up), and audit the outcome. Wrong codes slow down further tries on the device
    (django-otp's throttling doubles the wait after each failure).

    `app_only` refuses recovery codes: changing two-step sign-in itself takes the
    app, so that one recovery code cannot mint more or switch the app off."""
    code = normalize(code)
    recovery = not (code.isdigit() and len(code) == 6)
    model = StaticDevice if recovery else TOTPDevice
    with transaction.atomic():
        device = model.objects.select_for_update().filter(user=user, confirmed=True).first()
        if device is None or (recovery and app_only):
            result = CodeCheck(recovery=recovery)
        elif not device.verify_is_allowed()[0]:
            result = CodeCheck(recovery=recovery, throttled=True)
        elif device.verify_token(code):
            result = CodeCheck(device=device, recovery=recovery)
        else:
            result = CodeCheck(recovery=recovery)
    if result.device is not None:
        event = "recovery_code_used" if recovery else "code_accepted"
        extra = {"codes_left": remaining_recovery_codes(user)} if recovery else {}
        _audit(request, user, event, **extra)
    else:
        _audit(
            request,
            user,
            "code_refused",
            kind="recovery" if recovery else "app",
            throttled=result.throttled,
        )
    return result


# Session key: what the gate knows of the account that does not change with its
# devices (whether it is a therapist's). Whether it has an app is read every time.
GATE_KEY = "centra_two_step_gate"
# Pages a signed-in user can open while the gate holds them back.
GATE_OPEN = ("two_step", "two_step_codes", "two_step_disable", "logout", "logout_notice")


def remember_gate_state(request: HttpRequest, user: Any) -> dict[str, Any]:
    """Work out once per session whether the account is a therapist's, so that
    pages do not pay queries for it again on every request."""
    state = {"user": user.pk, "therapist": therapist_of(user) is not None}
    request.session[GATE_KEY] = state
    return state


@receiver(user_logged_in, dispatch_uid="two_step_gate_state")
def _gate_state_at_sign_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if getattr(request, "session", None) is not None:
        remember_gate_state(request, user)


class TwoStepGateMiddleware:
    """After django-otp's OTPMiddleware.

    - A session signed in with the password alone, of an account that has
      two-step sign-in (by a path other than the code step, such as a portal
      activation), is signed out: the code step is the only way in. The devices
      are read on every request (one indexed query, and only for sessions not
      verified with a code), so an app set up from one session signs the
      account's other password-only sessions out at their next request.
    - A therapist of a clinic that requires two-step sign-in and has no app yet
      is sent to the set-up page before anything else.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._open_paths: set[str] | None = None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self._hold(request) or self.get_response(request)

    def _hold(self, request: HttpRequest) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        if request.path.startswith(("/" + settings.STATIC_URL.lstrip("/"), "/media/")):
            return None
        state = request.session.get(GATE_KEY)
        if not state or state.get("user") != user.pk:
            state = remember_gate_state(request, user)
        if has_two_step(user):
            logout(request)
            return redirect_to_login(request.get_full_path())
        if not state["therapist"] or request.path in self.open_paths():
            return None
        if required_for(user):
            messages.info(
                request,
                _("Your clinic requires two-step sign-in. Set it up to continue."),
            )
            return redirect("two_step")
        return None

    def open_paths(self) -> set[str]:
        if self._open_paths is None:
            self._open_paths = {reverse(name) for name in GATE_OPEN}
        return self._open_paths
