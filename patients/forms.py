from __future__ import annotations

from datetime import date, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinics.forms import time_zone_choices
from clinics.models import Clinic

from .models import Patient, RiskFactor, waking_hours_problem

EARLIEST_BIRTH_YEAR = 1900

# Where a browser has no date picker, the date is typed: day first (DATE_INPUT_FORMATS).
TYPED_DATE_HINT = _("day/month/year, e.g. 29/11/1975")
TYPED_DATE_ERROR = _("Enter the date as day/month/year, e.g. 29/11/1975.")


class PatientForm(forms.ModelForm):
    risk_factors = forms.MultipleChoiceField(
        label=_("Risk history"),
        choices=RiskFactor.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Recorded here once, never asked of the patient. Any of these makes a “see a "
            "doctor today” answer an urgent alert."
        ),
    )

    class Meta:
        model = Patient
        fields = [
            "first_name",
            "last_name",
            "date_of_birth",
            "email",
            "preferred_language",
            "large_print",
            "external_id",
            "classification",
            "directional_preference",
            "starting_location",
            "painful_side",
            "risk_factors",
            "wake_start",
            "wake_end",
            "time_zone",
        ]
        widgets = {
            "wake_start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "wake_end": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "date_of_birth": forms.DateInput(
                attrs={"type": "date", "placeholder": TYPED_DATE_HINT}, format="%Y-%m-%d"
            ),
            "first_name": forms.TextInput(attrs={"autocomplete": "off"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "off"}),
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
        }
        error_messages = {"date_of_birth": {"invalid": TYPED_DATE_ERROR}}
        help_texts = {
            "email": _("Used to send the portal invitation."),
            "preferred_language": _("The portal and the handout use this language."),
        }

    def __init__(self, *args, clinic: Clinic, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.clinic = clinic
        # The browser's date picker then offers no future dates; the check below still rules.
        self.fields["date_of_birth"].widget.attrs["max"] = (
            timezone.localdate() - timedelta(days=1)
        ).isoformat()
        self.fields["classification"].choices = [
            ("", _("Not classified yet")),
            *self.fields["classification"].choices[1:],
        ]
        self.fields["directional_preference"].choices = [
            ("", _("Not established yet")),
            *self.fields["directional_preference"].choices[1:],
        ]
        self.fields["wake_start"].required = self.fields["wake_end"].required = False
        self.fields["time_zone"].widget = forms.Select(
            choices=time_zone_choices(
                _("The clinic's (%(zone)s)") % {"zone": clinic.time_zone.replace("_", " ")}
            )
        )
        self.fields["starting_location"].choices = [
            ("", _("Not recorded")),
            *self.fields["starting_location"].choices[1:],
        ]
        self.fields["painful_side"].choices = [
            ("", _("Not recorded")),
            *self.fields["painful_side"].choices[1:],
        ]

    def clean_risk_factors(self) -> list[str]:
        chosen = set(self.cleaned_data.get("risk_factors") or [])
        return [code for code in RiskFactor.values if code in chosen]

    def clean_wake_start(self) -> time:
        # Left empty (or posted by an older form), the hours stay as they were.
        return self.cleaned_data.get("wake_start") or self.instance.wake_start

    def clean_wake_end(self) -> time:
        return self.cleaned_data.get("wake_end") or self.instance.wake_end

    def clean_first_name(self) -> str:
        return self.cleaned_data["first_name"].strip()

    def clean_last_name(self) -> str:
        return self.cleaned_data["last_name"].strip()

    def clean_date_of_birth(self) -> date | None:
        born = self.cleaned_data.get("date_of_birth")
        if born is None:
            return None
        if born >= timezone.localdate():
            raise forms.ValidationError(_("The date of birth must be in the past."))
        if born.year < EARLIEST_BIRTH_YEAR:
            raise forms.ValidationError(
                _("Please check the year: it is before %(year)d.") % {"year": EARLIEST_BIRTH_YEAR}
            )
        return born

    def clean_external_id(self) -> str:
        external_id = self.cleaned_data.get("external_id", "").strip()
        if external_id:
            taken = Patient.objects.for_clinic(self.clinic).filter(external_id__iexact=external_id)
            if self.instance.pk:
                taken = taken.exclude(pk=self.instance.pk)
            if taken.exists():
                raise forms.ValidationError(
                    _("Another patient of this clinic already has the external id %(id)s.")
                    % {"id": external_id}
                )
        return external_id

    def clean(self) -> dict:
        cleaned = super().clean()
        check_waking_hours(self, cleaned)
        return cleaned


def check_waking_hours(form: forms.BaseForm, cleaned: dict) -> None:
    problem = waking_hours_problem(cleaned.get("wake_start"), cleaned.get("wake_end"))
    if problem:
        form.add_error("wake_end", problem)


class WakingHoursForm(forms.Form):
    """The patient's own waking hours, from the portal."""

    wake_start = forms.TimeField(
        label=_("I usually get up at"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    wake_end = forms.TimeField(
        label=_("I usually go to bed at"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    time_zone = forms.ChoiceField(
        label=_("My time zone"),
        required=False,
        help_text=_("Change it when you travel: reminders and your day follow it."),
    )

    def __init__(self, *args, clinic_zone: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = time_zone_choices(
            _("My clinic's (%(zone)s)") % {"zone": clinic_zone.replace("_", " ")}
        )

    def clean(self) -> dict:
        cleaned = super().clean()
        check_waking_hours(self, cleaned)
        return cleaned


class PatientSearchForm(forms.Form):
    SORTS = {
        "name": (_("Name"), ["last_name", "first_name", "id"]),
        "recent_log": (_("Most recent log"), ["-last_log", "last_name", "id"]),
        "no_recent_log": (_("Longest without a log"), ["last_log", "last_name", "id"]),
        "newest": (_("Newest patients"), ["-created_at", "-id"]),
    }

    q = forms.CharField(label=_("Search by name or external id"), required=False, max_length=100)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[(key, label) for key, (label, _order) in SORTS.items()],
    )
    archived = forms.BooleanField(label=_("Show archived patients"), required=False)
    suggestion = forms.ChoiceField(
        label=_("Progression"),
        required=False,
        choices=[
            ("", _("All patients")),
            ("forward", _("Ready to progress")),
            ("back", _("Going back suggested")),
            ("reassess", _("Reassess")),
        ],
    )

    def terms(self) -> list[str]:
        return self.cleaned_data.get("q", "").split() if self.is_valid() else []

    def ordering(self) -> list[str]:
        sort = (self.cleaned_data.get("sort") if self.is_valid() else "") or "name"
        return self.SORTS[sort][1]
