"""The catalog: exercises and progressions."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from exercises.models import Exercise, Progression, ProgressionLink, ProgressionStep


class ExerciseSerializer(serializers.ModelSerializer):
    builtin = serializers.BooleanField(source="is_builtin", read_only=True)
    steps = serializers.ListField(
        child=serializers.CharField(),
        source="catalog_steps",
        read_only=True,
        help_text=(
            "In order. The numbers and the side are the prescribed item's; here the steps "
            "say that the therapist sets them."
        ),
    )
    sided = serializers.BooleanField(
        read_only=True, help_text="Done to one side: each prescribed item names the side."
    )
    image_url = serializers.SerializerMethodField(help_text="Absolute URL of the picture, if any.")

    class Meta:
        model = Exercise
        fields = [
            "id",
            "slug",
            "name",
            "builtin",
            "position",
            "direction",
            "sided",
            "steps",
            "purpose",
            "cautions",
            "default_sets",
            "default_repetitions",
            "default_hold_seconds",
            "default_times_per_day",
            "default_every_hours",
            "image_url",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_image_url(self, exercise: Exercise) -> str | None:
        url = exercise.image_url
        return self.context["request"].build_absolute_uri(url) if url else None


class ExerciseRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Exercise
        fields = ["id", "slug", "name"]
        read_only_fields = fields


class ProgressionStepSerializer(serializers.ModelSerializer):
    exercise = ExerciseRefSerializer(read_only=True)
    rule_text = serializers.CharField(
        read_only=True, help_text="The rule in plain words, in the request's language."
    )

    class Meta:
        model = ProgressionStep
        fields = [
            "position",
            "exercise",
            "advance_when",
            "advance_good_days",
            "advance_unchanged_days",
            "advance_pain_free_days",
            "rule_text",
        ]
        read_only_fields = fields


class ProgressionBranchSerializer(serializers.ModelSerializer):
    """A branch of the progression graph: from one of this progression's steps to a
    step of another progression, with its condition."""

    from_exercise = serializers.SlugRelatedField(
        source="exercise", slug_field="slug", read_only=True, help_text="The step it leaves."
    )
    to_progression = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    to_exercise = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    when = serializers.CharField(read_only=True, help_text="In the request's language.")

    class Meta:
        model = ProgressionLink
        fields = ["kind", "from_exercise", "to_progression", "to_exercise", "when", "keeps_current"]
        read_only_fields = fields


class ProgressionSerializer(serializers.ModelSerializer):
    builtin = serializers.BooleanField(source="is_builtin", read_only=True)
    steps = ProgressionStepSerializer(many=True, read_only=True, help_text="In order.")
    branches = ProgressionBranchSerializer(
        source="links", many=True, read_only=True, help_text="The graph's branches."
    )

    class Meta:
        model = Progression
        fields = [
            "id",
            "slug",
            "name",
            "builtin",
            "direction",
            "description",
            "steps",
            "branches",
        ]
        read_only_fields = fields
