from __future__ import annotations

from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from clinics.images import PictureField, PictureInput, clean_picture
from clinics.models import Clinic

from .forms_i18n import OtherLanguageTextsMixin
from .models import Exercise

# How a dosage's frequency is entered: so many times a day, or every so many hours.
PER_DAY = "per_day"
EVERY_HOURS = "every_hours"
FREQUENCY_CHOICES = [(PER_DAY, _("times a day")), (EVERY_HOURS, _("hours apart"))]


class ExerciseForm(OtherLanguageTextsMixin, forms.ModelForm):
    steps_text = forms.CharField(
        label=_("Steps"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "One step per line, in plain words the patient understands. Write {hold} or "
            "{repetitions} where the prescribed numbers belong, e.g. “Hold the top position "
            "{hold}.”, and for an exercise done to one side {your_side}, {to_side} or "
            "{to_other_side}."
        ),
        max_length=4000,
    )
    default_frequency = forms.ChoiceField(label=_("How often (unit)"), choices=FREQUENCY_CHOICES)
    default_frequency_value = forms.IntegerField(
        label=_("How often"), min_value=1, max_value=24, initial=3
    )
    image = PictureField(
        label=_("Picture"),
        required=False,
        help_text=_("PNG, JPEG or WebP, at most 2 MB."),
        widget=PictureInput(current_text=_("The current picture"), remove_text=_("Remove picture")),
    )

    class Meta:
        model = Exercise
        fields = [
            "name",
            "position",
            "direction",
            "purpose",
            "cautions",
            "sided",
            "default_sets",
            "default_repetitions",
            "default_hold_seconds",
            "image",
        ]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "cautions": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, clinic: Clinic, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.clinic = clinic
        self.add_other_language_fields()
        exercise = self.instance
        if exercise.pk:
            self.fields["steps_text"].initial = "\n".join(exercise.steps)
            every = exercise.default_every_hours
            self.fields["default_frequency"].initial = EVERY_HOURS if every else PER_DAY
            self.fields["default_frequency_value"].initial = every or exercise.default_times_per_day
        self.order_fields(
            [
                "name",
                "position",
                "direction",
                "steps_text",
                "purpose",
                "cautions",
                "sided",
                "default_sets",
                "default_repetitions",
                "default_hold_seconds",
                "default_frequency_value",
                "default_frequency",
                "image",
            ]
        )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        taken = Exercise.objects.for_clinic(self.clinic).filter(name__iexact=name)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("The catalog already has an exercise with this name."))
        return name

    def clean_steps_text(self) -> list[str]:
        steps = [line.strip() for line in self.cleaned_data["steps_text"].splitlines()]
        steps = [step for step in steps if step]
        if not steps:
            raise forms.ValidationError(_("Write at least one step."))
        return steps

    def clean_image(self) -> object:
        return clean_picture(self.cleaned_data.get("image"))

    def save(self, commit: bool = True) -> Exercise:
        exercise = super().save(commit=False)
        data = self.cleaned_data
        exercise.clinic = self.clinic
        exercise.steps = data["steps_text"]
        self.apply_other_languages(exercise)
        every = data["default_frequency"] == EVERY_HOURS
        exercise.default_every_hours = data["default_frequency_value"] if every else None
        exercise.default_times_per_day = None if every else data["default_frequency_value"]
        if not exercise.slug:
            exercise.slug = self._free_slug(exercise.name)
        if commit:
            exercise.save()
        return exercise

    def _free_slug(self, name: str) -> str:
        base = slugify(name)[:70] or "exercise"
        taken = set(
            Exercise.objects.filter(clinic=self.clinic, slug__startswith=base).values_list(
                "slug", flat=True
            )
        )
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        return slug
