"""A clinic exercise's texts in the languages other than the one the therapist writes in.

The main fields of the exercise form hold the dashboard's language; these optional
fields hold the others. A text left empty falls back to the language that has one
(see `exercises/translation.py`), so patients always read something.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .models import Exercise


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class OtherLanguageTextsMixin:
    """For a ModelForm of Exercise: call `add_other_language_fields()` in `__init__`
    and `apply_other_languages(exercise)` before saving."""

    def other_languages(self) -> list[tuple[str, str]]:
        active = translation.get_language() or settings.LANGUAGE_CODE
        return [(code, name) for code, name in settings.LANGUAGES if code != active[:2]]

    def add_other_language_fields(self) -> None:
        exercise: Exercise = self.instance
        for code, language in self.other_languages():
            values = {
                field: getattr(exercise, f"{field}_{code}", None) if exercise.pk else None
                for field in ("name", "steps", "purpose", "cautions")
            }
            label = {"language": language}
            self.fields[f"name_{code}"] = forms.CharField(
                label=_("Name in %(language)s") % label,
                required=False,
                max_length=120,
                initial=values["name"] or "",
            )
            self.fields[f"steps_{code}"] = forms.CharField(
                label=_("Steps in %(language)s") % label,
                required=False,
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 6}),
                help_text=_(
                    "One step per line, with the same {hold}, {repetitions} or side words."
                ),
                initial="\n".join(values["steps"] or []),
            )
            self.fields[f"purpose_{code}"] = forms.CharField(
                label=_("What it is used for, in %(language)s") % label,
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                initial=values["purpose"] or "",
            )
            self.fields[f"cautions_{code}"] = forms.CharField(
                label=_("Cautions and when to stop, in %(language)s") % label,
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                initial=values["cautions"] or "",
            )

    def other_language_fields(self) -> list[forms.BoundField]:
        return [
            self[f"{field}_{code}"]
            for code, _name in self.other_languages()
            for field in ("name", "steps", "purpose", "cautions")
        ]

    def apply_other_languages(self, exercise: Exercise) -> None:
        data = self.cleaned_data
        for code, _name in self.other_languages():
            for field in ("name", "purpose", "cautions"):
                setattr(exercise, f"{field}_{code}", data[f"{field}_{code}"].strip() or None)
            setattr(exercise, f"steps_{code}", _lines(data[f"steps_{code}"]) or None)
