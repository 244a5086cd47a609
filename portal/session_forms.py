"""Logging a whole session at once: one small log form per exercise of the program."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from prescriptions.safety_forms import NEURO_PREFIX

from .forms import LogForm

DONE, SKIPPED = "done", "skipped"


class SessionItemForm(LogForm):
    """How one exercise of the session went. Answers are asked only of an exercise
    done; none is pre-filled except the amount, which comes from the dosage."""

    status = forms.ChoiceField(
        label=_("Did you do this exercise?"),
        choices=[(DONE, _("Done")), (SKIPPED, _("Skipped"))],
        widget=forms.RadioSelect,
        required=False,
    )

    def __init__(self, *args: Any, item: Any, **kwargs: Any) -> None:
        self.item = item
        super().__init__(*args, prefix=f"item-{item.pk}", **kwargs)
        self.fields.pop("client_token")
        # The nerve question is the session's, asked once at its end (NerveForm).
        for name in [name for name in self.fields if name.startswith(NEURO_PREFIX)]:
            self.fields.pop(name)
        self.required_when_done = [
            name for name, field in self.fields.items() if field.required and name != "status"
        ]
        for name in self.required_when_done:
            self.fields[name].required = False

    @property
    def neuro_fields(self) -> list:
        return []

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        answered = any(
            cleaned.get(name) not in (None, "") for name in ("pain", "location", "during", "after")
        )
        status = cleaned.get("status") or (DONE if answered else "")
        cleaned["status"] = status
        if not status:
            self.add_error("status", _("Please say whether you did it or skipped it."))
        elif status == DONE:
            for name in self.required_when_done:
                # A field refused already (sets = 999) keeps its one message.
                if cleaned.get(name) in (None, "") and not self.has_error(name):
                    self.add_error(name, self.fields[name].error_messages["required"])
        return cleaned

    @property
    def done(self) -> bool:
        return self.cleaned_data.get("status") == DONE
