"""The clinic administrator's form for a webhook endpoint."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .delivery import UnsafeDestination, check_destination
from .models import Endpoint, EventType


class EndpointForm(forms.ModelForm):
    url = forms.URLField(
        label=_("URL"),
        max_length=500,
        assume_scheme="https",
        help_text=_("Where the clinic system receives events; https:// only."),
    )
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=EventType.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Which events this endpoint receives."),
    )

    class Meta:
        model = Endpoint
        fields = ["url", "description", "events"]
        help_texts = {"description": _("Which system receives them, e.g. “EHR sync”.")}

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        try:
            check_destination(url)
        except UnsafeDestination as refused:
            raise forms.ValidationError(str(refused)) from refused
        return url

    def clean_events(self) -> list[str]:
        chosen = set(self.cleaned_data["events"])
        return [code for code in EventType.values if code in chosen]
