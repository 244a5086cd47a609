"""The clinic settings form, the sign-in form and the dashboard language form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from clinics.backends import account_username

from .images import clean_picture
from .models import Clinic, Therapist


class ClinicSettingsForm(forms.ModelForm):
    """What a clinic administrator changes on the dashboard: how patients reach the
    clinic, what its handouts print, and what the safety rules use."""

    website = forms.URLField(
        label=_("Website"), required=False, max_length=200, assume_scheme="https"
    )
    logo = forms.ImageField(
        label=_("Logo"),
        required=False,
        help_text=_("Printed at the top of the handout. PNG, JPEG or WebP, at most 2 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )

    class Meta:
        model = Clinic
        fields = [
            "phone",
            "email",
            "website",
            "address",
            "logo",
            "emergency_number",
            "pain_rise_threshold",
            "inactivity_alert_days",
            "require_mfa",
            "outcome_interval_days",
            "adherence_alert_percent",
        ]
        help_texts = {"phone": _("Shown to patients as a tap-to-call link.")}
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}

    def clean_logo(self) -> Any:
        return clean_picture(self.cleaned_data.get("logo"))

    def clean_emergency_number(self) -> str:
        number = self.cleaned_data["emergency_number"].strip()
        if not number.replace(" ", "").replace("+", "").isdigit():
            raise forms.ValidationError(_("Enter the number as digits, e.g. 112."))
        return number


class SignInForm(AuthenticationForm):
    """Django's sign-in form that says plainly when an account was switched off
    (a patient archived or whose portal access was revoked) instead of "wrong
    password". It says so only to someone who typed the right password."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "access_ended": _(
            "This login no longer gives access. If you are a patient, ask your clinic "
            "for a new invitation to the portal."
        ),
    }

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()
        except ValidationError as error:
            if getattr(error, "code", None) != "invalid_login":
                raise
            username = account_username(self.cleaned_data.get("username") or "")
            password = self.cleaned_data.get("password") or ""
            user = get_user_model()._default_manager.filter(username=username).first()
            if user is not None and not user.is_active and user.check_password(password):
                raise ValidationError(
                    self.error_messages["access_ended"], code="access_ended"
                ) from error
            raise


class DashboardLanguageForm(forms.ModelForm):
    """The language a therapist reads the dashboard in."""

    class Meta:
        model = Therapist
        fields = ["language"]
