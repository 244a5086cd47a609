"""Logging a whole session at once: the symptoms once before and once after, and for
each exercise of the program whether it was done and how the pain behaved."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from prescriptions.safety import parts_contradiction
from prescriptions.sessions import ExerciseAnswer, Symptoms

from .forms import LOCATION_CHOICES, PAIN_CHOICES, LogForm, _choice_messages

DONE, SKIPPED = "done", "skipped"


class SymptomsForm(forms.Form):
    """Back pain, leg pain and how far the pain reaches, at one moment of the session
    (`moment` is "before" or "after"). Nothing is pre-filled."""

    LABELS = {
        "before": (
            _("Back pain before you start"),
            _("Leg pain before you start"),
            _("How far does your pain reach before you start?"),
        ),
        "after": (
            _("Back pain now, after the exercises"),
            _("Leg pain now, after the exercises"),
            _("How far does your pain reach now?"),
        ),
    }

    back_pain = forms.TypedChoiceField(
        choices=PAIN_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages=_choice_messages(_("Please choose a number from 0 to 10.")),
    )
    leg_pain = forms.TypedChoiceField(
        choices=PAIN_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("Pain in your buttock counts as back or leg pain, as it feels to you."),
        error_messages=_choice_messages(_("Please choose a number from 0 to 10.")),
    )
    location = forms.ChoiceField(
        choices=LOCATION_CHOICES,
        widget=forms.RadioSelect,
        error_messages=_choice_messages(_("Please choose how far your pain reaches.")),
    )

    def __init__(self, *args: Any, moment: str, **kwargs: Any) -> None:
        super().__init__(*args, prefix=moment, **kwargs)
        self.moment = moment
        names = ("back_pain", "leg_pain", "location")
        for name, label in zip(names, self.LABELS[moment], strict=True):
            self.fields[name].label = label

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        problem = parts_contradiction(
            back_pain=cleaned.get("back_pain"),
            leg_pain=cleaned.get("leg_pain"),
            location=cleaned.get("location"),
        )
        if problem is not None and not self.has_error(problem[0]):
            self.add_error(problem[0], problem[1])
        return cleaned

    def symptoms(self) -> Symptoms:
        data = self.cleaned_data
        return Symptoms(data["back_pain"], data["leg_pain"], data["location"])


class SessionItemForm(LogForm):
    """How one exercise of the session went. Answers are asked only of an exercise
    done; none is pre-filled except the amount, which comes from the dosage. The pain
    and where it reaches are the session's (SymptomsForm), asked once."""

    status = forms.ChoiceField(
        label=_("Did you do this exercise?"),
        choices=[(DONE, _("Done")), (SKIPPED, _("Skipped"))],
        widget=forms.RadioSelect,
        required=False,
    )

    def __init__(self, *args: Any, item: Any, **kwargs: Any) -> None:
        self.item = item
        super().__init__(*args, prefix=f"item-{item.pk}", **kwargs)
        keep = {"status", "during", "after", "sets_done", "repetitions_done", "note"}
        for name in [name for name in self.fields if name not in keep]:
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
        cleaned = forms.Form.clean(self)
        answered = any(cleaned.get(name) not in (None, "") for name in ("during", "after"))
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

    def answer(self) -> ExerciseAnswer:
        data = self.cleaned_data
        if not self.done:
            return ExerciseAnswer(item=self.item, done=False)
        return ExerciseAnswer(
            item=self.item,
            done=True,
            during=data["during"],
            after=data["after"],
            sets_done=data["sets_done"],
            repetitions_done=data["repetitions_done"],
            note=data["note"],
        )
