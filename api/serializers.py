"""What the API reads and writes. Output serializers describe resources; input
serializers validate a write and hand the domain services ready-made values."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from exercises.models import Exercise, Progression, ProgressionStep
from patients.models import Patient
from prescriptions.models import (
    AfterResponse,
    Alert,
    DuringResponse,
    Location,
    NeuroSymptom,
    Prescription,
    PrescriptionItem,
    RedFlag,
    RedFlagCheck,
    Side,
    SymptomLog,
)
from prescriptions.services import ItemSpec, LogOutcome, progression_items, red_flags_due

from .auth import request_clinic

# The largest id a client may send: PostgreSQL's bigint.
MAX_ID = 2**63 - 1
MAX_ITEMS = 50


def _clinic(serializer: serializers.Serializer):
    return request_clinic(serializer.context["request"])


# --- Catalog -------------------------------------------------------------------------


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

    class Meta:
        model = ProgressionStep
        fields = ["position", "exercise", "advance_when"]
        read_only_fields = fields


class ProgressionSerializer(serializers.ModelSerializer):
    builtin = serializers.BooleanField(source="is_builtin", read_only=True)
    steps = ProgressionStepSerializer(many=True, read_only=True, help_text="In order.")

    class Meta:
        model = Progression
        fields = ["id", "slug", "name", "builtin", "direction", "description", "steps"]
        read_only_fields = fields


# --- Patients --------------------------------------------------------------------------


class PatientSerializer(serializers.ModelSerializer):
    """Reads and writes a patient; `external_id` is the patient's id in the
    clinic's own system, unique within the clinic when given."""

    has_portal_login = serializers.SerializerMethodField()

    class Meta:
        model = Patient
        fields = [
            "id",
            "external_id",
            "first_name",
            "last_name",
            "date_of_birth",
            "email",
            "preferred_language",
            "classification",
            "directional_preference",
            "starting_location",
            "archived",
            "has_portal_login",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "has_portal_login", "created_at", "updated_at"]

    def get_has_portal_login(self, patient: Patient) -> bool:
        return patient.user_id is not None

    def validate_date_of_birth(self, value: date | None) -> date | None:
        if value is not None and not date(1900, 1, 1) <= value <= timezone.localdate():
            raise serializers.ValidationError(_("Give a date between 1900 and today."))
        return value

    def validate_external_id(self, value: str) -> str:
        if value and self._external_id_taken(value):
            raise serializers.ValidationError(self._taken_message())
        return value

    def _external_id_taken(self, value: str) -> bool:
        others = Patient.objects.for_clinic(_clinic(self)).filter(external_id=value)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        return others.exists()

    @staticmethod
    def _taken_message() -> str:
        return _("Another patient of this clinic already has this external id.")

    def save(self, **kwargs: Any) -> Patient:
        # The check above can lose a race with a simultaneous write; the database
        # constraint then decides, and the loser gets the same field error.
        try:
            with transaction.atomic():
                return super().save(**kwargs)
        except IntegrityError:
            raise serializers.ValidationError({"external_id": [self._taken_message()]}) from None


# --- Prescriptions ---------------------------------------------------------------------


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
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True)
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

    def validate_prescribed_by(self, username: str) -> Any:
        users = get_user_model().objects.filter(
            username=username, is_active=True, therapist__clinic=_clinic(self)
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
        for exercise in Exercise.objects.for_clinic(_clinic(self)).filter(slug__in=slugs):
            # The clinic's own exercise wins over a built-in of the same slug.
            if exercise.slug not in found or exercise.clinic_id is not None:
                found[exercise.slug] = exercise
        # Keyed by the item's index, the shape DRF gives the other item errors.
        errors: dict[int, dict[str, list[str]]] = {}
        for index, item in enumerate(items):
            exercise = found.get(item["exercise"])
            if exercise is None:
                errors[index] = {
                    "exercise": [_("No exercise with this slug in your clinic's catalog.")]
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
        patient = Patient.objects.for_clinic(_clinic(self)).filter(pk=value).first()
        if patient is None:
            raise serializers.ValidationError(_("No patient of your clinic has this id."))
        return patient

    def validate_progression(self, value: str) -> Progression:
        progressions = Progression.objects.for_clinic(_clinic(self)).filter(slug=value)
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


# --- Symptom logs and alerts -----------------------------------------------------------


class AlertSerializer(serializers.ModelSerializer):
    """An alert groups repeats: one open alert per patient, kind and exercise, with
    `count`, `last_seen_at` and the ids of the `logs` that raised it."""

    acknowledged = serializers.SerializerMethodField()
    exercise = serializers.SlugRelatedField(
        slug_field="slug",
        read_only=True,
        allow_null=True,
        help_text="Slug of the exercise the alert is about; null for patient-wide alerts.",
    )
    logs = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, help_text="Ids of the symptom logs grouped in this alert."
    )
    acknowledged_by = serializers.SlugRelatedField(
        slug_field="username",
        read_only=True,
        allow_null=True,
        help_text="Username of the therapist who acknowledged it; null for an API key.",
    )

    class Meta:
        model = Alert
        fields = [
            "id",
            "patient",
            "kind",
            "severity",
            "message",
            "symptom_log",
            "exercise",
            "count",
            "logs",
            "last_seen_at",
            "created_at",
            "acknowledged",
            "acknowledged_at",
            "acknowledged_by",
        ]
        read_only_fields = fields

    def get_acknowledged(self, alert: Alert) -> bool:
        return not alert.is_open


class SymptomLogSerializer(serializers.ModelSerializer):
    prescription = serializers.IntegerField(source="item.prescription_id", read_only=True)
    # Plain strings: empty when the log had nothing to be compared with.
    reference_location = serializers.CharField(
        read_only=True,
        help_text="The location code this log was compared with; empty if none.",
    )
    reference_source = serializers.CharField(
        read_only=True,
        help_text="`previous_log` or `starting_location`; empty if nothing was compared.",
    )
    exercise = serializers.CharField(source="item.exercise.slug", read_only=True)

    class Meta:
        model = SymptomLog
        fields = [
            "id",
            "patient",
            "prescription",
            "item",
            "exercise",
            "logged_at",
            "sets_done",
            "repetitions_done",
            "pain",
            "location",
            "during",
            "after",
            "note",
            "new_symptoms",
            "source",
            "client_id",
            "reference_location",
            "reference_source",
            "findings",
            "stop_exercise",
            "created_at",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "findings": {
                "help_text": (
                    "What the safety rules concluded, stored with the log: a list of "
                    "{rule, kind, reason, stop, urgent, alert}."
                )
            },
        }


class SymptomLogOutcomeSerializer(SymptomLogSerializer):
    """The stored log, with what the safety rules made of it."""

    alerts = AlertSerializer(
        source="alerts_raised", many=True, read_only=True, help_text="Alerts this log raised."
    )
    stop_exercise = serializers.BooleanField(
        read_only=True,
        help_text=(
            "True when the safety rules say the patient must stop this exercise and contact "
            "the therapist (pain reaching further from the spine than before, pain spreading, "
            "worse afterwards, new nerve symptoms). Tell them at once."
        ),
    )
    urgent = serializers.BooleanField(
        read_only=True,
        help_text="True when the patient must seek urgent medical care now.",
    )
    red_flags_due = serializers.BooleanField(
        read_only=True,
        help_text=(
            "True while the patient has not answered today's red-flag questions: ask them and "
            "send the answers to `red-flag-checks/`."
        ),
    )

    class Meta(SymptomLogSerializer.Meta):
        fields = [*SymptomLogSerializer.Meta.fields, "alerts", "urgent", "red_flags_due"]
        read_only_fields = fields

    def to_representation(self, outcome: LogOutcome) -> dict[str, Any]:
        log = outcome.log
        log.alerts_raised = outcome.alerts
        log.urgent = outcome.urgent
        log.red_flags_due = red_flags_due(log.patient)
        return super().to_representation(log)


class SymptomLogInputSerializer(serializers.Serializer):
    item = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        help_text="Id of the exercise of the program (`items[].id` of a prescription).",
    )
    logged_at = serializers.DateTimeField(
        required=False, help_text="When the exercise was done; now if left out."
    )
    sets_done = serializers.IntegerField(min_value=0, max_value=50)
    repetitions_done = serializers.IntegerField(min_value=0, max_value=500)
    pain = serializers.IntegerField(min_value=0, max_value=10, help_text="Pain now, 0 to 10.")
    location = serializers.ChoiceField(
        choices=Location.choices, help_text="Where the pain reaches (the most distal symptom)."
    )
    during = serializers.ChoiceField(choices=DuringResponse.choices)
    after = serializers.ChoiceField(choices=AfterResponse.choices)
    note = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)
    new_symptoms = serializers.ListField(
        child=serializers.ChoiceField(choices=NeuroSymptom.choices),
        required=False,
        default=list,
        max_length=len(NeuroSymptom.values),
        help_text=(
            "New nerve symptoms the patient answered yes to (ask each time): any one stops "
            "the exercise and raises an alert."
        ),
    )
    client_id = serializers.UUIDField(
        required=False,
        help_text=(
            "A UUID the client makes once per log. Sending the same one again for the same "
            "patient returns the first log (200) and stores nothing."
        ),
    )

    def validate_item(self, value: int) -> PrescriptionItem:
        item = (
            PrescriptionItem.objects.for_clinic(_clinic(self))
            .select_related("prescription__patient", "exercise")
            .filter(pk=value)
            .first()
        )
        if item is None:
            raise serializers.ValidationError(
                _("No exercise of a program of your clinic has this id.")
            )
        return item

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # A day of slack for clocks and time zones; older is a typo, not a session.
        earliest = attrs["item"].prescription.created_at - timedelta(days=1)
        if "logged_at" in attrs and attrs["logged_at"] < earliest:
            raise serializers.ValidationError(
                {"logged_at": [_("A log cannot be older than its program.")]}
            )
        return attrs


class RedFlagCheckSerializer(serializers.ModelSerializer):
    """The patient's answers to the red-flag questions of one day."""

    alerts = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, help_text="Ids of the urgent alerts these answers raised."
    )

    class Meta:
        model = RedFlagCheck
        fields = ["id", "patient", "checked_on", "answered_yes", "alerts", "created_at"]
        read_only_fields = fields


class RedFlagCheckInputSerializer(serializers.Serializer):
    patient = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="Patient id.")
    answered_yes = serializers.ListField(
        child=serializers.ChoiceField(choices=RedFlag.choices),
        allow_empty=True,
        max_length=len(RedFlag.values),
        help_text=(
            "Codes of the red-flag questions answered yes; `[]` when all were answered no. "
            "Ask every question: any yes raises an urgent alert."
        ),
    )
    checked_on = serializers.DateField(
        required=False, help_text="The day the questions were answered; today if left out."
    )

    def validate_patient(self, value: int) -> Patient:
        patient = Patient.objects.for_clinic(_clinic(self)).filter(pk=value).first()
        if patient is None:
            raise serializers.ValidationError(_("No patient of your clinic has this id."))
        return patient

    def validate_checked_on(self, value: date) -> date:
        if value > timezone.localdate():
            raise serializers.ValidationError(_("A check cannot be in the future."))
        return value


# --- Query filters ---------------------------------------------------------------------


class QueryDateTimeField(serializers.DateTimeField):
    """A time in a query string. An unencoded `+` in the offset arrives as a space
    (`...T10:00:00 02:00`): read it as the `+` the client meant."""

    OFFSET_AS_SPACE = re.compile(r"(T[0-9:.]+) ([0-9]{2}:?[0-9]{2})$")

    def to_internal_value(self, value: Any) -> Any:
        if isinstance(value, str):
            value = self.OFFSET_AS_SPACE.sub(r"\1+\2", value)
        return super().to_internal_value(value)


class QueryFilter(serializers.Serializer):
    """The filters of a list endpoint: validated like a body (a bad value is a
    400 naming the parameter) and documented as query parameters. `lookups`
    maps each filter to the ORM lookup it applies."""

    lookups: dict[str, str] = {}

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        for field in fields.values():
            field.required = False  # every filter is optional
        return fields

    def apply(self, queryset):
        return queryset.filter(
            **{self.lookups[name]: value for name, value in self.validated_data.items()}
        )


class PatientFilter(QueryFilter):
    external_id = serializers.CharField(
        max_length=100,
        allow_blank=True,
        help_text="The clinic system's id; empty for patients without one.",
    )
    updated_since = QueryDateTimeField(
        help_text="Only patients changed at or after this time (ISO 8601), for sync."
    )
    lookups = {"external_id": "external_id", "updated_since": "updated_at__gte"}


class PrescriptionFilter(QueryFilter):
    patient = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="Patient id.")
    status = serializers.ChoiceField(choices=Prescription.Status.choices)
    lookups = {"patient": "patient_id", "status": "status"}


class SymptomLogFilter(QueryFilter):
    patient = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="Patient id.")
    prescription = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="Prescription id (one version of a program)."
    )
    since = QueryDateTimeField(
        help_text=(
            "Only logs stored at or after this time (ISO 8601). It compares the time Centra "
            "received the log, so a log the patient back-dates is not missed by a sync."
        )
    )
    lookups = {
        "patient": "patient_id",
        "prescription": "item__prescription_id",
        "since": "created_at__gte",
    }


class AlertFilter(QueryFilter):
    patient = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="Patient id.")
    acknowledged = serializers.BooleanField(
        help_text="`false`: alerts still open; `true`: alerts already acknowledged."
    )
    lookups = {"patient": "patient_id", "acknowledged": "acknowledged_at__isnull"}

    def apply(self, queryset):
        filters = dict(self.validated_data)
        if "acknowledged" in filters:
            # The column stores when, not whether: acknowledged means "not null".
            filters["acknowledged"] = not filters["acknowledged"]
        return queryset.filter(**{self.lookups[name]: value for name, value in filters.items()})


class RedFlagCheckFilter(QueryFilter):
    patient = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="Patient id.")
    lookups = {"patient": "patient_id"}
