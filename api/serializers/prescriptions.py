"""Programs, their items and the writes that make or revise them."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext as _
from rest_framework import serializers

from exercises.models import Exercise, Progression
from patients.models import Patient
from prescriptions.models import (
    ITEM_NOTE_MAX_LENGTH,
    MAX_ITEMS,
    Prescription,
    PrescriptionItem,
    Side,
)
from prescriptions.services import ItemSpec, progression_items

from .common import MAX_ID, clinic_of


class PrescriptionItemSerializer(serializers.ModelSerializer):
    exercise = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    exercise_name = serializers.CharField(source="exercise.name", read_only=True)
    steps = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="The exercise's steps with this item's dosage and side filled in.",
    )
    side = serializers.ChoiceField(
        choices=Side.choices,
        allow_blank=True,
        read_only=True,
        help_text="left or right for a one-sided exercise; empty for the others.",
    )

    class Meta:
        model = PrescriptionItem
        fields = [
            "id",
            "position",
            "exercise",
            "exercise_name",
            "sets",
            "repetitions",
            "hold_seconds",
            "times_per_day",
            "every_hours",
            "note",
            "side",
            "dosage_text",
            "steps",
        ]
        read_only_fields = fields


class PrescriptionSerializer(serializers.ModelSerializer):
    prescribed_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, help_text="Username of the prescribing therapist."
    )
    progression = serializers.SlugRelatedField(
        slug_field="slug",
        read_only=True,
        allow_null=True,
        help_text="Slug of the progression the program started from, if any.",
    )
    items = PrescriptionItemSerializer(many=True, read_only=True, help_text="In program order.")
    handout_url = serializers.SerializerMethodField(help_text="The printable handout (PDF).")

    class Meta:
        model = Prescription
        fields = [
            "id",
            "patient",
            "version",
            "status",
            "prescribed_by",
            "progression",
            "replaces",
            "change_note",
            "review_on",
            "created_at",
            "activated_at",
            "ended_at",
            "handout_url",
            "items",
        ]
        read_only_fields = fields

    def get_handout_url(self, prescription: Prescription) -> str:
        path = reverse("api:prescription-handout", kwargs={"pk": prescription.pk})
        return self.context["request"].build_absolute_uri(path)


class ItemInputSerializer(serializers.Serializer):
    """One exercise of a program. Dosage fields left out take the catalog's
    default; giving `times_per_day` or `every_hours` alone clears the other."""

    exercise = serializers.SlugField(
        max_length=80,
        help_text=(
            "Slug of a built-in exercise or of one of the clinic's own; when both "
            "exist, the clinic's own wins."
        ),
    )
    sets = serializers.IntegerField(min_value=1, max_value=20, required=False)
    repetitions = serializers.IntegerField(min_value=1, max_value=100, required=False)
    hold_seconds = serializers.IntegerField(min_value=0, max_value=600, required=False)
    times_per_day = serializers.IntegerField(
        min_value=1, max_value=24, required=False, allow_null=True
    )
    every_hours = serializers.IntegerField(
        min_value=1, max_value=24, required=False, allow_null=True
    )
    note = serializers.CharField(max_length=ITEM_NOTE_MAX_LENGTH, required=False, allow_blank=True)
    side = serializers.ChoiceField(
        choices=Side.choices,
        required=False,
        help_text=(
            "For a one-sided exercise (`sided` in the catalog): left or right. Left out, it "
            "follows the patient's lateral directional preference, if any."
        ),
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        times, every = attrs.get("times_per_day"), attrs.get("every_hours")
        if "times_per_day" in attrs and "every_hours" in attrs:
            if (times is None) == (every is None):
                raise serializers.ValidationError(
                    {"every_hours": [_("Give either times_per_day or every_hours, not both.")]}
                )
        elif "times_per_day" in attrs:
            if times is None:
                raise serializers.ValidationError(
                    {"times_per_day": [_("Give a number of times per day, or every_hours.")]}
                )
            attrs["every_hours"] = None
        elif "every_hours" in attrs:
            if every is None:
                raise serializers.ValidationError(
                    {"every_hours": [_("Give a number of hours, or times_per_day.")]}
                )
            attrs["times_per_day"] = None
        return attrs


class RevisionInputSerializer(serializers.Serializer):
    # Required even for a signed-in therapist: the prescriber is a clinical fact the
    # client states, never a guess from the credential.
    prescribed_by = serializers.CharField(
        max_length=150,
        help_text=(
            "Username of the prescribing therapist, an active therapist of the caller's "
            "clinic. API keys act for the clinic, not a person, so every program names its "
            "prescriber."
        ),
    )
    items = ItemInputSerializer(
        many=True, min_length=1, max_length=MAX_ITEMS, help_text="The exercises, in order."
    )
    change_note = serializers.CharField(
        max_length=2000, required=False, default="", allow_blank=True
    )
    review_on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text=(
            "The day the therapist plans to review the program, printed on the handout; "
            "a day before today is refused. Left out of a revision, the revised program's "
            "date carries over unless it has passed; null clears it."
        ),
    )

    def validate_prescribed_by(self, username: str) -> Any:
        users = get_user_model().objects.filter(
            username=username, is_active=True, therapist__clinic=clinic_of(self)
        )
        user = users.first()
        if user is None:
            raise serializers.ValidationError(
                _("No active therapist of your clinic has this username.")
            )
        return user

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "items" in attrs:
            attrs["items"] = self._item_specs(attrs["items"])
        return attrs

    def _item_specs(self, items: list[dict[str, Any]]) -> list[ItemSpec]:
        """Exercise slugs to catalog rows in one query, then the catalog's dosage
        overridden by what the client gave."""
        slugs = {item["exercise"] for item in items}
        found: dict[str, Exercise] = {}
        for exercise in Exercise.objects.for_clinic(clinic_of(self)).filter(slug__in=slugs):
            # The clinic's own exercise wins over a built-in of the same slug.
            if exercise.slug not in found or exercise.clinic_id is not None:
                found[exercise.slug] = exercise
        # Keyed by the item's index, the shape DRF gives the other item errors.
        errors: dict[int, dict[str, list[str]]] = {}
        seen: set[str] = set()
        for index, item in enumerate(items):
            exercise = found.get(item["exercise"])
            duplicate = item["exercise"] in seen
            seen.add(item["exercise"])
            if exercise is None:
                errors[index] = {
                    "exercise": [_("No exercise with this slug in your clinic's catalog.")]
                }
            elif duplicate:
                # As in the builder: one exercise once, with one dosage. (A program that
                # holds it twice could not be saved there, and its logs and alerts, which
                # go by exercise, would mix the two.)
                errors[index] = {
                    "exercise": [_("%(name)s is in the program twice.") % {"name": exercise.name}]
                }
            elif item.get("side") and not exercise.sided:
                errors[index] = {
                    "side": [_("This exercise is done to both sides; leave side out.")]
                }
        if errors:
            raise serializers.ValidationError({"items": errors})
        return [
            ItemSpec.from_exercise(
                found[item["exercise"]], **{k: v for k, v in item.items() if k != "exercise"}
            )
            for item in items
        ]


class PrescriptionInputSerializer(RevisionInputSerializer):
    """A new program. Give `items`, or a `progression` with `first` to prescribe its
    first steps with the catalog's dosage."""

    patient = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    progression = serializers.SlugField(
        max_length=80, required=False, help_text="Slug of the progression the program follows."
    )
    first = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ITEMS,
        required=False,
        help_text=(
            "With `progression` and no `items`: how many of its steps to prescribe, from the "
            "first. Required then: MDT starts with the first step and moves on by response."
        ),
    )
    items = ItemInputSerializer(
        many=True,
        min_length=1,
        max_length=MAX_ITEMS,
        required=False,
        help_text="The exercises, in order. May be left out when `progression` is given.",
    )
    activate = serializers.BooleanField(
        default=False,
        help_text=(
            "Put the program in use at once (the patient's current one ends). By default it "
            "is a draft for a therapist to check and activate in Centra."
        ),
    )

    def validate_patient(self, value: int) -> Patient:
        patient = Patient.objects.for_clinic(clinic_of(self)).filter(pk=value).first()
        if patient is None:
            raise serializers.ValidationError(_("No patient of your clinic has this id."))
        return patient

    def validate_progression(self, value: str) -> Progression:
        progressions = Progression.objects.for_clinic(clinic_of(self)).filter(slug=value)
        # The clinic's own progression wins over a built-in of the same slug.
        progression = progressions.order_by(F("clinic_id").desc(nulls_last=True)).first()
        if progression is None:
            raise serializers.ValidationError(_("No progression with this slug in your catalog."))
        return progression

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        if "items" not in attrs:
            if "progression" not in attrs:
                raise serializers.ValidationError(
                    {"items": [_("Give the exercises, or a progression to follow.")]}
                )
            progression = attrs["progression"]
            first = attrs.get("first")
            if first is None:
                raise serializers.ValidationError(
                    {
                        "first": [
                            _("Say how many steps of the progression to start with, usually 1.")
                        ]
                    }
                )
            steps = progression.steps.count()
            if first > steps:
                raise serializers.ValidationError(
                    {
                        "first": [
                            _("%(name)s has %(n)d steps.") % {"name": progression.name, "n": steps}
                        ]
                    }
                )
            attrs["items"] = progression_items(progression, first=first)
        return attrs


class HandoutParameters(serializers.Serializer):
    """The query of `handout.pdf`: the print size and language of this copy, as the
    dashboard's handout takes them; the patient's own preferences when left out."""

    size = serializers.ChoiceField(
        choices=[("normal", "normal"), ("large", "large")],
        required=False,
        help_text="`large` (14 pt and more) or `normal` (11 pt); the patient's preference "
        "when left out.",
    )
    lang = serializers.ChoiceField(
        choices=[code for code, _name in settings.LANGUAGES],
        required=False,
        help_text="The language of this copy; the patient's preferred language when left out.",
    )
