"""The composer, shared by the portal and the dashboard, and the assignment form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from clinics.models import Clinic

from .models import MAX_BODY


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        max_length=MAX_BODY,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write a message.")},
    )

    def __init__(self, *args: Any, label: Any = None, help_text: Any = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if label is not None:
            self.fields["body"].label = label
        self.fields["body"].help_text = help_text


class AssignForm(forms.Form):
    therapist = forms.ModelChoiceField(
        label=_("Assigned to"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("Any therapist of the clinic"),
    )

    def __init__(self, *args: Any, clinic: Clinic, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["therapist"]
        field.queryset = (
            get_user_model()
            .objects.filter(therapist__clinic=clinic, is_active=True)
            .order_by("first_name", "last_name", "username")
        )
        field.label_from_instance = lambda user: user.get_full_name() or user.get_username()
