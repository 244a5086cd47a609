from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Clinic


class ClinicSettingsForm(forms.ModelForm):
    """What a clinic administrator changes on the dashboard: how patients reach the
    clinic and what the safety rules use."""

    class Meta:
        model = Clinic
        fields = ["phone", "emergency_number", "pain_rise_threshold", "inactivity_alert_days"]
        help_texts = {"phone": _("Shown to patients as a tap-to-call link.")}

    def clean_emergency_number(self) -> str:
        number = self.cleaned_data["emergency_number"].strip()
        if not number.replace(" ", "").replace("+", "").isdigit():
            raise forms.ValidationError(_("Enter the number as digits, e.g. 112."))
        return number
