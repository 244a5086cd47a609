"""The therapist's assessment form: the record's fields, the patient's risk history
and one row of responses per movement tested."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from patients.models import Patient, RiskFactor

from .models import (
    AfterResponse,
    Assessment,
    DuringResponse,
    Factor,
    MovementTestKind,
    RangeEffect,
)
from .services import FIELDS, check_assessment

# What a reassessment carries over from the assessment before it: the history and the
# classification, never the symptoms or the tests of the day.
CARRIED_OVER = (
    "onset_date",
    "onset",
    "earlier_episodes",
    "pattern",
    "worse_with",
    "better_with",
    "classification",
    "directional_preference",
    "dysfunction_direction",
    "other_subtype",
)


class AssessmentForm(forms.ModelForm):
    worse_with = forms.MultipleChoiceField(
        label=_("Worse with"),
        choices=Factor.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    better_with = forms.MultipleChoiceField(
        label=_("Better with"),
        choices=Factor.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    risk_factors = forms.MultipleChoiceField(
        label=_("Risk history"),
        choices=RiskFactor.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Saved on the patient's record: the same list the patient page shows."),
    )

    class Meta:
        model = Assessment
        fields = [name for name in FIELDS if name not in ("worse_with", "better_with")]
        widgets = {
            "assessed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "onset_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "back_pain": forms.NumberInput(attrs={"min": 0, "max": 10}),
            "leg_pain": forms.NumberInput(attrs={"min": 0, "max": 10}),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, patient: Patient, previous: Assessment | None, **kwargs):
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("risk_factors", list(patient.risk_factors))
        if previous is not None:
            for name in CARRIED_OVER:
                initial.setdefault(name, getattr(previous, name))
        super().__init__(*args, **kwargs)
        for name in ("directional_preference", "dysfunction_direction", "other_subtype"):
            self.fields[name].help_text = _("Only for the classification it belongs to.")
        # An empty choice reads "not recorded" rather than dashes.
        for field in self.fields.values():
            if isinstance(field, forms.TypedChoiceField) and not field.required:
                field.choices = [("", _("Not recorded")), *field.choices[1:]]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        try:
            check_assessment(self.cleaned_assessment(), tests=[])
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                if field in self.fields and field not in self.errors:
                    self.add_error(field, messages)
        return data

    def cleaned_assessment(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in FIELDS if name in self.cleaned_data}


class MovementTestsForm(forms.Form):
    """One row per movement: during, after and range; a row left empty was not tested."""

    PARTS = (
        ("during", _("during"), DuringResponse),
        ("after", _("after"), AfterResponse),
        ("range_effect", _("range of movement"), RangeEffect),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for movement, movement_label in MovementTestKind.choices:
            for part, part_label, choices in self.PARTS:
                self.fields[f"{movement}-{part}"] = forms.ChoiceField(
                    label=f"{movement_label}: {part_label}",
                    choices=[("", _("Not tested")), *choices.choices],
                    required=False,
                )

    def rows(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [
            (label, [self[f"{movement}-{part}"] for part, _label, _choices in self.PARTS])
            for movement, label in MovementTestKind.choices
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for movement, _label in MovementTestKind.choices:
            during, after = data.get(f"{movement}-during"), data.get(f"{movement}-after")
            if data.get(f"{movement}-range_effect") and not (during or after):
                self.add_error(
                    f"{movement}-during", _("Give the response during or after the movement.")
                )
        return data

    def tests(self) -> list[dict[str, str]]:
        return [
            {part: self.cleaned_data[f"{movement}-{part}"] for part, _l, _c in self.PARTS}
            | {"movement": movement}
            for movement in MovementTestKind.values
            if any(self.cleaned_data[f"{movement}-{part}"] for part, _l, _c in self.PARTS)
        ]
