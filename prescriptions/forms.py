from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from exercises.forms import EVERY_HOURS, FREQUENCY_CHOICES, PER_DAY
from exercises.models import Direction, Exercise, Position, Progression

from .models import (
    ITEM_NOTE_MAX_LENGTH,
    MAX_ITEMS,
    AfterResponse,
    DuringResponse,
    Location,
    PrescriptionItem,
    Side,
)
from .safety_forms import (
    TierFields,
    add_neuro_questions,
    add_red_flag_questions,
    neuro_answers,
    neuro_fields,
    red_flag_answers,
    red_flag_fields,
    red_flags_asked,
    refuse_contradiction,
)
from .services import ItemSpec, latest_review_date, review_date_problem

HAND_PICK = "catalog"


class ProgramStartForm(forms.Form):
    """Where a new program starts: a progression (all steps or the first N) or nothing."""

    source = forms.ChoiceField(label=_("Start from"))
    first = forms.IntegerField(
        label=_("Start with"),
        required=False,
        min_value=1,
        help_text=_("Leave empty for every step."),
    )

    def __init__(self, *args, progressions: Sequence[Progression], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.progressions = {str(progression.pk): progression for progression in progressions}
        self.fields["source"].choices = [
            *((pk, progression.name) for pk, progression in self.progressions.items()),
            (HAND_PICK, _("Exercises picked from the catalog")),
        ]

    @property
    def progression(self) -> Progression | None:
        return self.progressions.get(self.cleaned_data["source"])

    def clean(self) -> dict:
        data = super().clean()
        progression = self.progressions.get(data.get("source", ""))
        first = data.get("first")
        if progression is not None and first is not None:
            steps = len(progression.steps.all())
            if first > steps:
                self.add_error(
                    "first",
                    _("%(name)s has %(n)d steps.") % {"name": progression.name, "n": steps},
                )
        return data


class ItemForm(forms.Form):
    """One exercise of the program being built, with its dosage."""

    exercise = forms.TypedChoiceField(coerce=int, widget=forms.HiddenInput)
    # Where the item stands; the page's script rewrites it after a drag and drop.
    order = forms.IntegerField(widget=forms.HiddenInput, required=False)
    sets = forms.IntegerField(label=_("Sets"), min_value=1, max_value=20)
    repetitions = forms.IntegerField(label=_("Repetitions"), min_value=1, max_value=100)
    hold_seconds = forms.IntegerField(
        label=_("Hold (seconds)"), min_value=0, max_value=600, initial=0
    )
    frequency = forms.ChoiceField(label=_("How often"), choices=FREQUENCY_CHOICES)
    frequency_value = forms.IntegerField(label=_("How often (number)"), min_value=1, max_value=24)
    note = forms.CharField(
        label=_("Note for the patient"), required=False, max_length=ITEM_NOTE_MAX_LENGTH
    )
    side = forms.ChoiceField(
        label=_("Side"),
        required=False,
        choices=[("", _("Not set")), *Side.choices],
        help_text=_("The steps name this side and the drawing shows it."),
    )

    def __init__(self, *args, exercises: Mapping[int, Exercise], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.exercises = exercises
        self.fields["exercise"].choices = [(pk, str(ex)) for pk, ex in exercises.items()]
        exercise = self.exercise_object
        if exercise is None or not exercise.sided:
            # Only a one-sided exercise asks for a side.
            self.fields["side"].widget = forms.HiddenInput()
        for name in ("sets", "repetitions", "hold_seconds", "frequency_value"):
            self.fields[name].widget.attrs.update({"inputmode": "numeric"})

    @staticmethod
    def initial_from(spec: ItemSpec, order: int) -> dict:
        return {
            "exercise": spec.exercise.pk,
            "order": order,
            "sets": spec.sets,
            "repetitions": spec.repetitions,
            "hold_seconds": spec.hold_seconds,
            "frequency": EVERY_HOURS if spec.every_hours else PER_DAY,
            "frequency_value": spec.every_hours or spec.times_per_day,
            "note": spec.note,
            "side": spec.side,
        }

    @property
    def exercise_object(self) -> Exercise | None:
        value = self["exercise"].value()
        try:
            return self.exercises.get(int(value))
        except (TypeError, ValueError):
            return None

    def to_spec(self) -> ItemSpec:
        data = self.cleaned_data
        every = data["frequency"] == EVERY_HOURS
        return ItemSpec(
            exercise=self.exercises[data["exercise"]],
            sets=data["sets"],
            repetitions=data["repetitions"],
            hold_seconds=data["hold_seconds"] or 0,
            times_per_day=None if every else data["frequency_value"],
            every_hours=data["frequency_value"] if every else None,
            note=data["note"].strip(),
            side=data["side"],
        )


class BaseItemFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        seen = set()
        for form in self.kept_forms():
            exercise = form.cleaned_data["exercise"]
            if exercise in seen:
                raise forms.ValidationError(
                    _("%(name)s is in the program twice.") % {"name": form.exercise_object}
                )
            seen.add(exercise)

    def kept_forms(self) -> list[ItemForm]:
        """The forms not marked for removal, in the order the therapist set."""
        kept = [
            (index, form)
            for index, form in enumerate(self.forms)
            if not (self.can_delete and self._should_delete_form(form))
        ]
        kept.sort(key=lambda pair: (pair[1].cleaned_data.get("order") or pair[0], pair[0]))
        return [form for _index, form in kept]


ItemFormSet = forms.formset_factory(
    ItemForm,
    formset=BaseItemFormSet,
    extra=0,
    can_delete=True,
    max_num=MAX_ITEMS,
    validate_max=True,
)


def item_formset(
    exercises: Mapping[int, Exercise], *, data=None, specs: Sequence[ItemSpec] = ()
) -> BaseItemFormSet:
    initial = [ItemForm.initial_from(spec, order) for order, spec in enumerate(specs, start=1)]
    return ItemFormSet(
        data,
        initial=None if data is not None else initial,
        prefix="items",
        form_kwargs={"exercises": exercises},
    )


class ChangeNoteForm(forms.Form):
    change_note = forms.CharField(
        label=_("What changed and why"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept with this version; the patient does not see it."),
    )
    review_on = forms.DateField(
        label=_("Review on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("When you plan to see the patient again; printed on the handout."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The date picker offers no day before today.
        self.fields["review_on"].widget.attrs["min"] = timezone.localdate().isoformat()
        self.fields["review_on"].widget.attrs["max"] = latest_review_date().isoformat()

    def clean_review_on(self):
        review_on = self.cleaned_data.get("review_on")
        problem = review_date_problem(review_on)
        if problem:
            raise forms.ValidationError(problem)
        return review_on


class CatalogFilterForm(forms.Form):
    direction = forms.ChoiceField(
        label=_("Direction"),
        required=False,
        choices=[("", _("All directions")), *Direction.choices],
    )
    position = forms.ChoiceField(
        label=_("Starting position"),
        required=False,
        choices=[("", _("All positions")), *Position.choices],
    )

    def filter(self, exercises):
        if not self.is_valid():
            return exercises
        if self.cleaned_data["direction"]:
            exercises = [e for e in exercises if e.direction == self.cleaned_data["direction"]]
        if self.cleaned_data["position"]:
            exercises = [e for e in exercises if e.position == self.cleaned_data["position"]]
        return exercises


def _blank_first(choices, label) -> list:
    return [("", label), *choices]


class PaperLogForm(forms.Form):
    """A log the patient kept on paper, typed in by the therapist.

    Nothing is filled in beforehand: every answer is the patient's, so a form sent
    empty gives an error on each field and stores nothing. It also asks the nerve
    questions of every log and the red-flag questions of the log's day.
    """

    item = forms.TypedChoiceField(label=_("Exercise"), coerce=int)
    logged_at = forms.DateTimeField(
        label=_("When"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    sets_done = forms.IntegerField(label=_("Sets done"), min_value=0, max_value=50)
    repetitions_done = forms.IntegerField(label=_("Repetitions done"), min_value=0, max_value=500)
    pain = forms.TypedChoiceField(
        label=_("Pain now (0 to 10)"),
        coerce=int,
        choices=_blank_first([(n, str(n)) for n in range(11)], _("Choose…")),
    )
    location = forms.ChoiceField(
        label=_("Where the pain reaches"), choices=_blank_first(Location.choices, _("Choose…"))
    )
    during = forms.ChoiceField(
        label=_("During the exercise"), choices=_blank_first(DuringResponse.choices, _("Choose…"))
    )
    after = forms.ChoiceField(
        label=_("After the exercise"), choices=_blank_first(AfterResponse.choices, _("Choose…"))
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    # Sent once per form, so a double click stores one log.
    client_token = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, items: Sequence[PrescriptionItem], **kwargs) -> None:
        kwargs.setdefault("initial", {"client_token": uuid.uuid4().hex})
        super().__init__(*args, **kwargs)
        self.items = {item.pk: item for item in items}
        self.fields["item"].choices = _blank_first(
            [(item.pk, f"{item.position}. {item.exercise.name}") for item in items],
            _("Choose…"),
        )
        add_neuro_questions(self)
        add_red_flag_questions(self)

    @property
    def neuro_fields(self) -> list[forms.BoundField]:
        return neuro_fields(self)

    @property
    def red_flag_tiers(self) -> list[TierFields]:
        return red_flag_fields(self)

    def clean(self) -> dict:
        cleaned = super().clean()
        cleaned["new_symptoms"] = neuro_answers(cleaned)
        cleaned["red_flag_answers"] = red_flag_answers(cleaned)
        cleaned["red_flags_asked"] = red_flags_asked(self)
        refuse_contradiction(self, cleaned)
        return cleaned

    def clean_logged_at(self) -> datetime:
        logged_at = self.cleaned_data["logged_at"]
        if logged_at > timezone.now() + timedelta(minutes=5):
            raise forms.ValidationError(_("A log cannot be in the future."))
        return logged_at

    @property
    def chosen_item(self) -> PrescriptionItem:
        return self.items[self.cleaned_data["item"]]


class DismissSuggestionForm(forms.Form):
    reason = forms.CharField(
        label=_("Why not now?"),
        max_length=500,
        error_messages={"required": _("Say why you dismiss the suggestion.")},
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept with the suggestion, for you and your colleagues."),
    )
