"""The password-reset page, with a limit on how often it sends mail."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from clinics.lockout import count_wrong_password, paused_response
from clinics.mfa_views import base_template_for
from clinics.models import AuditEvent, audit
from clinics.signals import home_clinic
from clinics.throttle import client_ip, too_many


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    """Django's reset page, refusing more than a few requests an hour for one
    address or from one IP, so nobody can flood a person's inbox."""

    def form_valid(self, form) -> HttpResponse:
        email = form.cleaned_data["email"]
        if too_many(
            "password-reset",
            {
                "address": (email, settings.PASSWORD_RESET_PER_ADDRESS_PER_HOUR),
                "ip": (client_ip(self.request), settings.PASSWORD_RESET_PER_IP_PER_HOUR),
            },
        ):
            form.add_error(
                None,
                _(
                    "Too many reset requests for this address or from this network. "
                    "Check your inbox for the link already sent, or try again in an hour."
                ),
            )
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        return super().form_valid(form)


class AccountChromeMixin:
    """A patient changes their password inside the portal, not the dashboard."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["base_template"] = base_template_for(self.request.user)
        return context


class AuditedPasswordChangeView(AccountChromeMixin, auth_views.PasswordChangeView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return paused_response(request, request.user) or super().post(request, *args, **kwargs)

    def form_invalid(self, form) -> HttpResponse:
        if form.has_error("old_password"):
            count_wrong_password(self.request, self.request.user)
        return super().form_invalid(form)

    def form_valid(self, form) -> HttpResponse:
        response = super().form_valid(form)
        _audit_password(self.request, form.user, "changed")
        return response


class PasswordChangeDoneInChromeView(AccountChromeMixin, auth_views.PasswordChangeDoneView):
    pass


class AuditedPasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    def form_valid(self, form) -> HttpResponse:
        response = super().form_valid(form)
        _audit_password(self.request, form.user, "reset")
        return response


def _audit_password(request, user, how: str) -> None:
    audit(
        action=AuditEvent.Action.PASSWORD,
        request=request,
        actor=user,
        clinic=home_clinic(user),
        object_type="user",
        object_id=user.pk,
        detail={"how": how},
    )
