"""The outcome measures form, shared by the portal (the patient) and the dashboard
(a therapist entering them). No answer is pre-filled."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .outcome_models import LEAST_ABOVE_WORST, PSFS_MAX_ACTIVITIES, Instrument, clean_answers

PAIN_CHOICES = [(n, str(n)) for n in range(11)]
GROC_CHOICES = [
    (7, _("+7 A very great deal better")),
    (6, _("+6 A great deal better")),
    (5, _("+5 Quite a bit better")),
    (4, _("+4 Moderately better")),
    (3, _("+3 Somewhat better")),
    (2, _("+2 A little bit better")),
    (1, _("+1 A tiny bit better, almost the same")),
    (0, _("0 About the same")),
    (-1, _("-1 A tiny bit worse, almost the same")),
    (-2, _("-2 A little bit worse")),
    (-3, _("-3 Somewhat worse")),
    (-4, _("-4 Moderately worse")),
    (-5, _("-5 Quite a bit worse")),
    (-6, _("-6 A great deal worse")),
    (-7, _("-7 A very great deal worse")),
]


# Plain words whether an answer is missing or unknown: Django's own ("This field is
# required.", "Select a valid choice. 11 is not one of the available choices.") are
# not words for a patient.
SCALE_MESSAGES = {
    "required": _("Please choose a number from 0 to 10."),
    "invalid_choice": _("Please choose a number from 0 to 10."),
}
CHANGE_MESSAGES = {
    "required": _("Please choose how your back has changed."),
    "invalid_choice": _("Please choose how your back has changed."),
}


def _scale(label: Any, *, required: bool = True) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=PAIN_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        required=required,
        error_messages=SCALE_MESSAGES,
    )


class OutcomeMeasuresForm(forms.Form):
    """The instruments due, on one page. `instruments` says which to ask.

    `activities`: the PSFS activities named at the start of the episode
    (`outcomes.baseline_activities`). A later PSFS rates those same activities, so
    they are shown, not asked again; without them the patient names 3 to 5."""

    def __init__(
        self,
        *args: Any,
        instruments: tuple[str, ...],
        activities: Sequence[str] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.instruments = instruments
        self.fixed_activities = list(activities) if Instrument.PSFS in instruments else []
        if Instrument.NPRS in instruments:
            self.fields["pain_now"] = _scale(_("Your pain right now"))
            self.fields["pain_best"] = _scale(_("Your pain at its least in the last 24 hours"))
            self.fields["pain_worst"] = _scale(_("Your pain at its worst in the last 24 hours"))
        if self.fixed_activities:
            for n, activity in enumerate(self.fixed_activities, start=1):
                self.fields[f"score_{n}"] = _scale(
                    _("%(activity)s: how well you can do it now") % {"activity": activity}
                )
        elif Instrument.PSFS in instruments:
            for n in range(1, PSFS_MAX_ACTIVITIES + 1):
                self.fields[f"activity_{n}"] = forms.CharField(
                    label=_("Activity %(n)d") % {"n": n},
                    max_length=120,
                    required=n <= 3,
                    error_messages={"required": _("Please name this activity.")},
                )
                self.fields[f"score_{n}"] = _scale(
                    _("How well you can do activity %(n)d now") % {"n": n}, required=False
                )
        if Instrument.GROC in instruments:
            self.fields["change"] = forms.TypedChoiceField(
                label=_("Since your care began, how has your back changed?"),
                choices=GROC_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages=CHANGE_MESSAGES,
            )

    @property
    def activity_rows(self) -> list[tuple[Any, forms.BoundField]]:
        """(the activity's name field, or its name when it is fixed; its score field)."""
        if Instrument.PSFS not in self.instruments:
            return []
        if self.fixed_activities:
            return [
                (activity, self[f"score_{n}"])
                for n, activity in enumerate(self.fixed_activities, start=1)
            ]
        return [
            (self[f"activity_{n}"], self[f"score_{n}"]) for n in range(1, PSFS_MAX_ACTIVITIES + 1)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        answers: dict[str, dict[str, Any]] = {}
        if Instrument.NPRS in self.instruments:
            answers[Instrument.NPRS] = {
                k: data.get(k) for k in ("pain_now", "pain_best", "pain_worst")
            }
            least, worst = data.get("pain_best"), data.get("pain_worst")
            if least is not None and worst is not None and least > worst:
                # Said with the other missing answers, not after they are fixed.
                self.add_error("pain_best", gettext(LEAST_ABOVE_WORST))
        if self.fixed_activities:
            answers[Instrument.PSFS] = {
                "activities": [
                    {"activity": activity, "score": data.get(f"score_{n}")}
                    for n, activity in enumerate(self.fixed_activities, start=1)
                ]
            }
        elif Instrument.PSFS in self.instruments:
            rows = []
            for n in range(1, PSFS_MAX_ACTIVITIES + 1):
                name, score = data.get(f"activity_{n}"), data.get(f"score_{n}")
                if name and score in (None, ""):
                    self.add_error(f"score_{n}", _("Choose a number from 0 to 10."))
                elif score not in (None, "") and not name:
                    self.add_error(f"activity_{n}", _("Name the activity, or clear its score."))
                elif name:
                    rows.append({"activity": name, "score": score})
            answers[Instrument.PSFS] = {"activities": rows}
        if Instrument.GROC in self.instruments:
            answers[Instrument.GROC] = {"change": data.get("change")}
        if self.errors:
            return data
        for instrument, values in answers.items():
            try:
                clean_answers(instrument, values)
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    target = {"activities": "activity_1"}.get(field, field)
                    for message in messages:
                        self.add_error(target if target in self.fields else None, message)
        self.answers = answers
        return data
