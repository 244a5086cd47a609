"""Progression suggestions: what the logs point to, and the therapist's answer."""

from __future__ import annotations

from rest_framework import serializers

from prescriptions.models import ProgressionSuggestion

from .common import MAX_ID
from .filters import QueryFilter
from .prescriptions import RevisionInputSerializer


class SuggestionSerializer(serializers.ModelSerializer):
    """A step the logs point to: `forward` when the current step's rule is met,
    `back` after warning signs at the step. Only a therapist's accept (a new program
    version, `result`) or dismiss (with `dismiss_reason`) acts on it."""

    from_exercise = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, help_text="Slug of the current step's exercise."
    )
    to_exercise = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, help_text="Slug of the suggested step's exercise."
    )
    headline = serializers.CharField(read_only=True, help_text="In plain words.")
    why = serializers.CharField(read_only=True, help_text="What the logs showed, in plain words.")
    logs = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, help_text="Ids of the symptom logs behind it."
    )
    decided_by = serializers.SlugRelatedField(
        slug_field="username",
        read_only=True,
        allow_null=True,
        help_text="Username of the therapist who decided; null while open or for an API key.",
    )

    class Meta:
        model = ProgressionSuggestion
        fields = [
            "id",
            "patient",
            "prescription",
            "direction",
            "rule",
            "days",
            "from_exercise",
            "to_exercise",
            "headline",
            "why",
            "logs",
            "status",
            "created_at",
            "updated_at",
            "decided_at",
            "decided_by",
            "dismiss_reason",
            "result",
        ]
        read_only_fields = fields


class SuggestionFilter(QueryFilter):
    patient = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="Patient id.")
    status = serializers.ChoiceField(choices=ProgressionSuggestion.Status.choices)
    direction = serializers.ChoiceField(choices=ProgressionSuggestion.Direction.choices)
    lookups = {"patient": "patient_id", "status": "status", "direction": "direction"}


class AcceptSuggestionInputSerializer(serializers.Serializer):
    prescribed_by = serializers.CharField(
        max_length=150,
        help_text=(
            "Username of the therapist who accepts and prescribes the new version, an active "
            "therapist of the caller's clinic."
        ),
    )

    validate_prescribed_by = RevisionInputSerializer.validate_prescribed_by


class DismissSuggestionInputSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=500, help_text="Why the therapist does not follow it; kept with it."
    )
