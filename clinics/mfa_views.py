"""Sign-in with a second step, and the page where anyone signed in sets up,
renews or turns off two-step sign-in (therapists, patients and staff alike)."""

from __future__ import annotations

import time
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.core.exceptions import ObjectDoesNotExist
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from . import mfa
from .forms import SignInForm
from .lockout import count_wrong_password, paused_response
from .models import therapist_of

# Session key of a sign-in whose password was right and whose code is awaited.
PENDING_KEY = "centra_two_step_pending"
# The code must follow the password within this time.
PENDING_SECONDS = 300


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=40,
        help_text=gettext_lazy(
            "The 6-digit code your authenticator app shows, or one of your recovery codes."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )


class AppCodeForm(forms.Form):
    """A code from the app itself: what changing two-step sign-in asks for."""

    code = forms.CharField(
        label=gettext_lazy("Code from your authenticator app"),
        max_length=40,
        help_text=gettext_lazy(
            "The 6-digit code your app shows now. Recovery codes do not work here."
        ),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autocapitalize": "none",
                "spellcheck": "false",
            }
        ),
    )


class TurnOffForm(AppCodeForm):
    """Turning it off: the password as well as the app, so that a session left
    open, or a recovery code alone, is not enough."""

    password = forms.CharField(
        label=gettext_lazy("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    field_order = ["password", "code"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That password is not right."))
        return password


class TwoStepLoginView(LoginView):
    """Django's sign-in page. An account with two-step sign-in is not signed in
    when the password is right: the code step signs it in."""

    redirect_authenticated_user = True
    authentication_form = SignInForm

    def form_valid(self, form: SignInForm) -> HttpResponse:
        user = form.get_user()
        if not mfa.has_two_step(user):
            return super().form_valid(form)
        # A new session id once the password is right, as signing in would give.
        self.request.session.cycle_key()
        self.request.session[PENDING_KEY] = {
            "user": user.pk,
            "backend": user.backend,
            "next": self.get_success_url(),
            "since": time.time(),
            "tries": 0,
        }
        return redirect("login_code")


def _pending(request: HttpRequest) -> tuple[Any, dict[str, Any]] | None:
    state = request.session.get(PENDING_KEY)
    if not state or time.time() - state["since"] > PENDING_SECONDS:
        request.session.pop(PENDING_KEY, None)
        return None
    user = get_user_model()._default_manager.filter(pk=state["user"], is_active=True).first()
    if user is None:
        request.session.pop(PENDING_KEY, None)
        return None
    return user, state


@sensitive_post_parameters("code")
@never_cache
@csrf_protect
@require_http_methods(["GET", "POST"])
def login_code(request: HttpRequest) -> HttpResponse:
    pending = _pending(request)
    if pending is None:
        messages.info(request, _("Sign in with your password first."))
        return redirect("login")
    user, state = pending
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        check = mfa.check_code(user=user, code=form.cleaned_data["code"], request=request)
        if check.device is not None:
            del request.session[PENDING_KEY]
            user.otp_device = check.device  # django-otp marks the session verified
            auth_login(request, user, backend=state["backend"])
            if check.recovery:
                left = mfa.remaining_recovery_codes(user)
                messages.warning(
                    request,
                    ngettext(
                        "You signed in with a recovery code; it cannot be used again. "
                        "%(left)d recovery code is left.",
                        "You signed in with a recovery code; it cannot be used again. "
                        "%(left)d recovery codes are left.",
                        left,
                    )
                    % {"left": left},
                )
            return HttpResponseRedirect(state["next"])
        state["tries"] += 1
        request.session.modified = True
        if state["tries"] >= settings.MFA_CODE_ATTEMPTS:
            del request.session[PENDING_KEY]
            messages.error(request, _("Too many wrong codes. Sign in again."))
            return redirect("login")
        if check.throttled:
            form.add_error(
                "code", _("Too many wrong codes in a row. Wait a minute, then try again.")
            )
        else:
            form.add_error("code", _("That code is not right. Check your app and try again."))
    return render(
        request,
        "registration/login_code.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


def base_template_for(user: Any) -> str:
    """The chrome of whoever opens an account page: the dashboard's for a therapist,
    the portal's for a patient, the bare site's for anyone else."""
    if therapist_of(user) is not None:
        return "dashboard/base.html"
    try:
        user.patient  # noqa: B018 (the reverse relation; clinics does not import patients)
    except ObjectDoesNotExist:
        return "base.html"
    return "portal/base.html"


def _page_context(request: HttpRequest) -> dict[str, Any]:
    """The two-step page sits in the chrome of whoever opens it."""
    user = request.user
    therapist = therapist_of(user)
    base = base_template_for(user)
    next_url = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    return {
        "base_template": base,
        "therapist": therapist,
        "required": mfa.required_for(user),
        "next": next_url,
    }


def _show_codes(request: HttpRequest, codes: list[str], context: dict[str, Any]) -> HttpResponse:
    # Shown in this answer only: never stored in the clear, never shown again.
    return render(request, "registration/two_step_codes.html", {**context, "codes": codes})


@sensitive_post_parameters("code")
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_step(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = _page_context(request)
    if mfa.has_two_step(user):
        return render(
            request,
            "registration/two_step.html",
            {
                **context,
                "codes_left": mfa.remaining_recovery_codes(user),
                "codes_form": AppCodeForm(prefix="renew"),
                "form": TurnOffForm(user=user),
            },
        )
    device = mfa.setup_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and not device.verify_is_allowed()[0]:
        form.add_error("code", _("Too many wrong codes in a row. Wait a minute, then try again."))
    elif request.method == "POST" and form.is_valid():
        codes = mfa.enable_two_step(
            user=user, device=device, code=form.cleaned_data["code"], request=request
        )
        if codes is not None:
            device.refresh_from_db()
            otp_login(request, device)
            return _show_codes(request, codes, context)
        form.add_error(
            "code",
            _("That code is not right. Check that the app shows Centra and try the newest code."),
        )
    return render(
        request,
        "registration/two_step_setup.html",
        {
            **context,
            "form": form,
            "qr_code": mfa.qr_code(device),
            "secret": mfa.secret_text(device),
        },
        status=400 if form.errors else 200,
    )


def _settings_page(request: HttpRequest, **forms_: forms.Form) -> HttpResponse:
    """The page of an account with two-step sign-in, with a form sent back refused."""
    user = request.user
    return render(
        request,
        "registration/two_step.html",
        {
            **_page_context(request),
            "codes_left": mfa.remaining_recovery_codes(user),
            "codes_form": forms_.get("codes_form") or AppCodeForm(prefix="renew"),
            "form": forms_.get("form") or TurnOffForm(user=user),
        },
        status=400,
    )


def _app_code_refused(form: forms.Form, check: mfa.CodeCheck) -> None:
    if check.throttled:
        form.add_error("code", _("Too many wrong codes in a row. Wait a minute, then try again."))
    elif check.recovery:
        form.add_error(
            "code", _("Use the 6-digit code from your authenticator app, not a recovery code.")
        )
    else:
        form.add_error("code", _("That code is not right. Check your app and try again."))


@sensitive_post_parameters("renew-code")
@never_cache
@login_required
@require_POST
def two_step_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes (the old ones stop working), for a session that passed
    the code step and a code the app shows now: never from a recovery code."""
    user = request.user
    if not mfa.has_two_step(user):
        return redirect("two_step")
    form = AppCodeForm(request.POST, prefix="renew")
    if not user.is_verified():
        form.add_error(None, _("Sign in again with your code before changing two-step sign-in."))
    elif form.is_valid():
        check = mfa.check_code(
            user=user, code=form.cleaned_data["code"], request=request, app_only=True
        )
        if check.device is not None:
            codes = mfa.new_recovery_codes(user=user, request=request)
            return _show_codes(request, codes, _page_context(request))
        _app_code_refused(form, check)
    return _settings_page(request, codes_form=form)


@sensitive_post_parameters("code", "password")
@never_cache
@login_required
@require_POST
def two_step_disable(request: HttpRequest) -> HttpResponse:
    """Turning it off takes the password and a code the app shows now, from a
    session that passed the code step."""
    user = request.user
    if not mfa.has_two_step(user):
        return redirect("two_step")
    if mfa.required_for(user):
        messages.error(
            request, _("Your clinic requires two-step sign-in; it cannot be turned off.")
        )
        return redirect("two_step")
    paused = paused_response(request, user)
    if paused is not None:
        return paused
    form = TurnOffForm(request.POST, user=user)
    if not user.is_verified():
        form.add_error(None, _("Sign in again with your code before changing two-step sign-in."))
    elif not form.is_valid():
        if form.has_error("password"):
            count_wrong_password(request, user)
    else:
        check = mfa.check_code(
            user=user, code=form.cleaned_data["code"], request=request, app_only=True
        )
        if check.device is not None:
            mfa.disable_two_step(user=user, request=request)
            # This session stays signed in, now with the password alone.
            mfa.remember_gate_state(request, user)
            messages.success(request, _("Two-step sign-in is off."))
            return redirect("two_step")
        _app_code_refused(form, check)
    return _settings_page(request, form=form)
