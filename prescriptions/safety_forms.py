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
