"""The clinic settings form, the sign-in form and the dashboard language form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from clinics.backends import account_username

from .images import PictureField, PictureInput, clean_picture
from .models import Clinic, Therapist
from .validators import time_zone_names

# The clinic's numeric settings; their bounds are the model field's validators.
NUMBER_FIELDS = (
    "pain_rise_threshold",
    "reference_days",
    "inactivity_alert_days",
    "outcome_interval_days",
    "adherence_alert_percent",
    "urgent_escalation_hours",
    "message_reply_hours",
    "progression_good_days",
    "progression_unchanged_days",
    "progression_pain_free_days",
)

WEEKDAYS = [
    ("1", _("Monday")),
    ("2", _("Tuesday")),
    ("3", _("Wednesday")),
    ("4", _("Thursday")),
    ("5", _("Friday")),
    ("6", _("Saturday")),
    ("7", _("Sunday")),
]


def time_zone_choices(blank_label: str | None = None) -> list[tuple[str, str]]:
    """The IANA time zones for a select list, with an empty first choice if labelled."""
    names = [(name, name.replace("_", " ")) for name in time_zone_names()]
    return [("", blank_label), *names] if blank_label is not None else names


def _bound_number_field(field: forms.IntegerField, model_field: Any) -> None:
    """Give a number field its model field's bounds: in the browser's number input,
    and as one error that names the whole range whichever end was crossed."""
    low = next(v.limit_value for v in model_field.validators if isinstance(v, MinValueValidator))
    high = next(v.limit_value for v in model_field.validators if isinstance(v, MaxValueValidator))
    message = _("Enter a whole number from %(min)d to %(max)d.") % {"min": low, "max": high}
    field.min_value, field.max_value = low, high
    field.widget.attrs.update(min=low, max=high)
    field.validators = [
        *(v for v in field.validators if not isinstance(v, MinValueValidator | MaxValueValidator)),
        MinValueValidator(low, message=message),
        MaxValueValidator(high, message=message),
    ]


class ClinicSettingsForm(forms.ModelForm):
    """What a clinic administrator changes on the dashboard: how patients reach the
    clinic, what its handouts print, and what the safety rules use."""

    website = forms.URLField(
        label=_("Website"), required=False, max_length=200, assume_scheme="https"
    )
    logo = PictureField(
        label=_("Logo"),
        required=False,
        help_text=_("Printed at the top of the handout. PNG, JPEG or WebP, at most 2 MB."),
        widget=PictureInput(current_text=_("The current logo"), remove_text=_("Remove logo")),
    )
    open_days = forms.MultipleChoiceField(
        label=_("Open on"),
        choices=WEEKDAYS,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one day the clinic is open.")},
        help_text=_("Only opening hours count towards escalating an urgent alert."),
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
            "reference_days",
            "inactivity_alert_days",
            "require_mfa",
            "time_zone",
            "outcome_interval_days",
            "adherence_alert_percent",
            "opens_at",
            "closes_at",
            "open_days",
            "urgent_escalation_hours",
            "message_reply_hours",
            "progression_good_days",
            "progression_unchanged_days",
            "progression_pain_free_days",
        ]
        help_texts = {
            "phone": _("Shown to patients as a tap-to-call link, e.g. +44 20 7946 0000."),
            "inactivity_alert_days": _(
                "An alert is raised when a patient with a program in use logs nothing for "
                "this many days: 1 to 90."
            ),
        }
        widgets = {
            "address": forms.Textarea(attrs={"rows": 3}),
            "opens_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "closes_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].widget = forms.Select(choices=time_zone_choices())
        # Left out (a form from before clinics had zones), the zone stays as it was.
        self.fields["time_zone"].required = False
        for name in NUMBER_FIELDS:
            _bound_number_field(self.fields[name], Clinic._meta.get_field(name))
        self.initial["open_days"] = list(self.instance.open_days or "")
        # Left out (a form from before messages), the reply time stays as it was.
        self.fields["message_reply_hours"].required = False

    def clean_open_days(self) -> str:
        return "".join(sorted(set(self.cleaned_data["open_days"])))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens is not None and closes is not None and closes <= opens:
            self.add_error("closes_at", _("Closing time must be later than opening time."))
        return cleaned

    def clean_logo(self) -> Any:
        return clean_picture(self.cleaned_data.get("logo"))

    def clean_message_reply_hours(self) -> int:
        value = self.cleaned_data.get("message_reply_hours")
        return self.instance.message_reply_hours if value is None else value

    def clean_time_zone(self) -> str:
        return self.cleaned_data.get("time_zone") or self.instance.time_zone


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
