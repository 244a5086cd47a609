from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from clinics.validators import username_is_anothers_email, validate_username_not_anothers_email
from patients.models import Patient
from prescriptions import red_flags
from prescriptions.models import AfterResponse, DuringResponse, Location
from prescriptions.safety_forms import (
    add_neuro_questions,
    neuro_answers,
    neuro_fields,
    refuse_contradiction,
)

# What the patient reads, mapped to the MDT codes the clinic sees. The order is
# the order on the page.
LOCATION_CHOICES = [
    (Location.NONE, _("I have no pain")),
    (Location.CENTRAL, _("In the middle of my low back")),
    (Location.ONE_SIDE, _("On one side of my low back")),
    (Location.BUTTOCK, _("Into my buttock")),
    (Location.THIGH, _("Down into my thigh")),
    (Location.BELOW_KNEE, _("Below my knee")),
    (Location.FOOT, _("Into my foot")),
]

DURING_CHOICES = [
    (DuringResponse.NO_EFFECT, _("No change")),
    (DuringResponse.PRODUCE, _("It brought the pain on")),
    (DuringResponse.INCREASE, _("The pain got stronger")),
    (DuringResponse.DECREASE, _("The pain eased")),
    (DuringResponse.ABOLISH, _("The pain went away")),
    (DuringResponse.CENTRALIZE, _("The pain moved towards my spine")),
    (
        DuringResponse.PERIPHERALIZE,
        _("The pain spread further down my leg or into my buttock"),
    ),
]

AFTER_CHOICES = [
    (AfterResponse.BETTER, _("Better than before the exercise")),
    (AfterResponse.NO_WORSE, _("It hurt more while I did it, but it is no worse now")),
    (AfterResponse.NO_BETTER, _("It eased while I did it, but it is no better now")),
    (AfterResponse.NO_EFFECT, _("No change at all")),
    (AfterResponse.WORSE, _("Worse than before, and it has stayed worse")),
]

PAIN_CHOICES = [(n, str(n)) for n in range(11)]


def plain_label(choices: list[tuple[str, Any]], code: str) -> str:
    return str(dict(choices).get(code, code))


def _number_messages(missing: str, out_of_range: str) -> dict[str, str]:
    """One plain message per problem with a count; Django's own ("Ensure this value is
    less than or equal to 50.") are not words for a patient."""
    return {
        "required": missing,
        "invalid": out_of_range,
        "min_value": out_of_range,
        "max_value": out_of_range,
    }


def _choice_messages(message: str) -> dict[str, str]:
    """The same words whether nothing or an unknown answer was sent."""
    return {"required": message, "invalid_choice": message}


class LogForm(forms.Form):
    """How one exercise went, in the patient's words."""

    sets_done = forms.IntegerField(
        label=_("Sets done"),
        min_value=0,
        max_value=50,
        error_messages=_number_messages(
            _("Please enter how many sets you did (0 if none)."),
            _("Please enter a number of sets from 0 to 50."),
        ),
    )
    repetitions_done = forms.IntegerField(
        label=_("Times in each set"),
        min_value=0,
        max_value=500,
        error_messages=_number_messages(
            _("Please enter how many times you did it (0 if none)."),
            _("Please enter a number of times from 0 to 500."),
        ),
    )
    pain = forms.TypedChoiceField(
        label=_("How strong is your pain now?"),
        choices=PAIN_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages=_choice_messages(_("Please choose a number from 0 to 10.")),
    )
    location = forms.ChoiceField(
        label=_("How far does your pain reach now?"),
        choices=LOCATION_CHOICES,
        widget=forms.RadioSelect,
        error_messages=_choice_messages(_("Please choose how far your pain reaches.")),
    )
    during = forms.ChoiceField(
        label=_("What happened to your pain while you did the exercise?"),
        choices=DURING_CHOICES,
        widget=forms.RadioSelect,
        error_messages=_choice_messages(_("Please choose what happened during the exercise.")),
    )
    after = forms.ChoiceField(
        label=_("How is your pain now, compared with before the exercise?"),
        choices=AFTER_CHOICES,
        widget=forms.RadioSelect,
        error_messages=_choice_messages(_("Please choose how you feel afterwards.")),
    )
    note = forms.CharField(
        label=_("Anything else your therapist should know? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # Made when the form is drawn and sent back with it: the same token twice
    # (double tap, refresh, retry) stores one log.
    client_token = forms.RegexField(
        regex=r"^[A-Za-z0-9-]{8,64}$", widget=forms.HiddenInput, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        add_neuro_questions(self)

    @property
    def neuro_fields(self) -> list[forms.BoundField]:
        return neuro_fields(self)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        cleaned["new_symptoms"] = neuro_answers(cleaned)
        refuse_contradiction(self, cleaned)
        return cleaned


class RedFlagForm(forms.Form):
    """One yes/no question per red flag of the tiers asked (red_flags.py); each must be
    answered, so none is skipped. The tiers travel with the form, so the answers are
    stored against the questions the patient saw."""

    YES, NO = "yes", "no"

    tiers = forms.MultipleChoiceField(
        choices=red_flags.Tier.choices, widget=forms.MultipleHiddenInput, required=False
    )

    def __init__(self, *args: Any, tiers: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.is_bound:
            posted = [tier for tier in self.data.getlist("tiers") if tier in red_flags.Tier.values]
            tiers = posted or None
        self.asked_tiers = list(tiers or red_flags.Tier.values)
        self.initial["tiers"] = self.asked_tiers
        for question in red_flags.questions(self.asked_tiers):
            self.fields[question.code] = forms.ChoiceField(
                label=question.text,
                choices=[(self.YES, _("Yes")), (self.NO, _("No"))],
                widget=forms.RadioSelect,
                error_messages={"required": _("Please answer yes or no.")},
            )

    def questions(self) -> list[forms.BoundField]:
        return [self[question.code] for question in red_flags.questions(self.asked_tiers)]

    def asked(self) -> list[str]:
        return [question.code for question in red_flags.questions(self.asked_tiers)]

    def answered_yes(self) -> list[str]:
        return [code for code in self.asked() if self.cleaned_data.get(code) == self.YES]


class ActivationForm(forms.Form):
    username = forms.CharField(
        label=_("Choose a username"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("You will type this to sign in. Your email address works well."),
        error_messages={"required": _("Please choose a username.")},
    )
    password1 = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
        error_messages={"required": _("Please choose a password.")},
    )
    password2 = forms.CharField(
        label=_("Type the password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Please type the password again.")},
    )

    def __init__(self, *args: Any, patient: Patient, **kwargs: Any) -> None:
        self.patient = patient
        super().__init__(*args, **kwargs)

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        others = get_user_model().objects.exclude(pk=self.patient.user_id)
        if others.filter(username__iexact=username).exists():
            raise ValidationError(_("This username is taken. Please choose another."))
        validate_username_not_anothers_email(username, user_pk=self.patient.user_id)
        return username

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords are not the same."))
        elif password1:
            # An unsaved user lets the validators compare the password with the
            # patient's name, email and chosen username.
            candidate = get_user_model()(
                username=cleaned.get("username", ""),
                email=self.patient.email,
                first_name=self.patient.first_name,
                last_name=self.patient.last_name,
            )
            try:
                password_validation.validate_password(password1, user=candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


def suggested_username(patient: Patient) -> str:
    """The patient's email if it is free, else nothing: they choose."""
    if patient.user is not None:
        return patient.user.get_username()  # a login whose access was revoked: the same name
    email = (patient.email or "").strip()
    if (
        email
        and not get_user_model().objects.filter(username__iexact=email).exists()
        and not username_is_anothers_email(email)
    ):
        return email
    return ""
