"""The catalog texts a patient reads, per language (django-modeltranslation).

Each field below gets a column per language (`name_en`, `name_es`...); reading
`exercise.name` gives the active language's text, or the other language's when it is
missing, so a clinic's own exercise written in one language still shows everywhere.
"""

from modeltranslation.translator import TranslationOptions, register

from .models import Exercise, Progression, ProgressionLink, ProgressionStep


@register(Exercise)
class ExerciseTranslation(TranslationOptions):
    fields = ("name", "steps", "purpose", "cautions")


@register(Progression)
class ProgressionTranslation(TranslationOptions):
    fields = ("name", "description")


@register(ProgressionStep)
class ProgressionStepTranslation(TranslationOptions):
    fields = ("advance_when",)


@register(ProgressionLink)
class ProgressionLinkTranslation(TranslationOptions):
    fields = ("when",)
