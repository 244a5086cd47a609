"""The safety questions every log form asks, shared by the portal and the dashboard.

Each question is a required yes/no with nothing chosen beforehand, so a form
cannot be saved without the patient's own answer to each.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from . import red_flags
from .models import NeuroSymptom
from .safety import contradiction

YES, NO = "yes", "no"
NEURO_PREFIX = "neuro_"
RED_FLAG_PREFIX = "red_flag_"


def yes_no_field(label: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=[(YES, _("Yes")), (NO, _("No"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Please answer yes or no.")},
    )


def add_neuro_questions(form: forms.Form) -> None:
    """One yes/no question per new nerve symptom (NeuroSymptom), asked on every log."""
    for code, label in NeuroSymptom.choices:
        form.fields[NEURO_PREFIX + code] = yes_no_field(label)


def neuro_answers(cleaned_data: dict[str, Any]) -> list[str]:
    """The NeuroSymptom codes answered yes."""
    return [code for code in NeuroSymptom.values if cleaned_data.get(NEURO_PREFIX + code) == YES]


def neuro_fields(form: forms.Form) -> list[forms.BoundField]:
    return [form[NEURO_PREFIX + code] for code in NeuroSymptom.values]


def add_red_flag_questions(form: forms.Form, tiers: Iterable[str] | None = None) -> None:
    """One yes/no question per red flag of the given tiers (all by default), from the
    one table of red_flags.py."""
    for question in red_flags.questions(tiers):
        form.fields[RED_FLAG_PREFIX + question.code] = yes_no_field(question.text)


def red_flags_asked(form: forms.Form) -> list[str]:
    """The RedFlag codes the form asks."""
    return [code for code in red_flags.QUESTION_CODES if RED_FLAG_PREFIX + code in form.fields]


def red_flag_answers(cleaned_data: dict[str, Any]) -> list[str]:
    """The RedFlag codes answered yes."""
    return [
        code for code in red_flags.QUESTION_CODES if cleaned_data.get(RED_FLAG_PREFIX + code) == YES
    ]


@dataclass(frozen=True)
class TierFields:
    """The questions of one tier as a form shows them, with the tier's advice."""

    tier: str
    advice: red_flags.Advice
    fields: list[forms.BoundField]

    @property
    def label(self) -> str:
        return str(red_flags.Tier(self.tier).label)


def red_flag_fields(form: forms.Form) -> list[TierFields]:
    """The form's red-flag questions grouped by tier, in the table's order."""
    return [
        TierFields(
            tier,
            red_flags.ADVICE[tier],
            [form[RED_FLAG_PREFIX + question.code] for question in red_flags.questions([tier])],
        )
        for tier in red_flags.Tier.values
        if any(RED_FLAG_PREFIX + q.code in form.fields for q in red_flags.questions([tier]))
    ]


def refuse_contradiction(form: forms.Form, cleaned_data: dict[str, Any]) -> None:
    """A field error when the pain score and where the pain reaches contradict each
    other (safety.contradiction), so the form shows it beside the answer to change."""
    problem = contradiction(pain=cleaned_data.get("pain"), location=cleaned_data.get("location"))
    if problem is not None and not form.has_error(problem[0]):
        form.add_error(problem[0], problem[1])


NERVES_YES, NERVES_NONE = "yes", "none"


class NerveForm(forms.Form):
    """The nerve question asked once a session, at its end: one "none of these" answer,
    and which symptoms only after a yes (the page shows them only then when it can)."""

    nerves = forms.ChoiceField(
        label=_("Since you started, any new or spreading numbness, tingling or weakness?"),
        choices=[(NERVES_YES, _("Yes")), (NERVES_NONE, _("None of these"))],
        widget=forms.RadioSelect,
        error_messages={
            "required": _('Please answer "yes" or "none of these".'),
            "invalid_choice": _('Please answer "yes" or "none of these".'),
        },
    )
    symptoms = forms.MultipleChoiceField(
        label=_("If yes: which ones?"),
        choices=NeuroSymptom.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        nerves, symptoms = cleaned.get("nerves"), cleaned.get("symptoms") or []
        if nerves == NERVES_YES and not symptoms:
            self.add_error("symptoms", _("Please tick which ones are new or spreading."))
        elif nerves == NERVES_NONE and symptoms:
            self.add_error(
                "symptoms", _('You chose "none of these": untick the symptoms, or answer yes.')
            )
        cleaned["new_symptoms"] = list(symptoms) if nerves == NERVES_YES else []
        return cleaned
