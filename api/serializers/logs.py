"""Symptom logs, red-flag checks and alerts: what patients report and what it raised."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import serializers

from patients.models import Patient
from prescriptions import red_flags
from prescriptions.models import (
    AfterResponse,
    Alert,
    DuringResponse,
    Location,
    NeuroSymptom,
    PrescriptionItem,
    RedFlagCheck,
    SymptomLog,
)
from prescriptions.services import EARLIEST_LOG_SLACK, LogOutcome, red_flag_tiers_due

from .common import MAX_ID, clinic_of


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
            "findings",
            "last_seen_at",
            "first_logged_on",
            "last_logged_on",
            "created_at",
            "acknowledged",
            "acknowledged_at",
            "acknowledged_by",
            "updated_at",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "first_logged_on": {
                "help_text": (
                    "The day (in the patient's time zone) of the earliest log or red-flag "
                    "answers in this alert; null for an alert raised by no log. A log typed "
                    "in late raises its alert now (`created_at`) with its own day here."
                )
            },
            "last_logged_on": {"help_text": "The day of the latest log in this alert."},
            "findings": {
                "help_text": (
                    "Every distinct finding of the group, oldest first: `message` and the "
                    "`days` (ISO dates) it was seen; `message` above is the latest."
                )
            },
            "updated_at": {
                "help_text": (
                    "When the alert last changed: raised, seen again or acknowledged (what "
                    "`updated_since` compares)."
                )
            },
        }

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
        help_text=(
            "`held` (the most central location held in recent days), `persisting` (the "
            "reference in force since the pain spread), `starting_location`, or "
            "`previous_log` (logs judged before safety v3, or nothing else known); empty if "
            "nothing was compared."
        ),
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


def urgent_field() -> serializers.BooleanField:
    """`urgent` of what a write of symptoms led to (a log, a session)."""
    return serializers.BooleanField(
        read_only=True, help_text="True when the patient must seek urgent medical care now."
    )


def tiers_due_field() -> serializers.ListField:
    """The red-flag tiers to ask the patient after a write of symptoms."""
    return serializers.ListField(
        child=serializers.ChoiceField(choices=red_flags.Tier.choices),
        read_only=True,
        help_text="The red-flag tiers to ask now (`red-flag-checks/questions/` lists them).",
    )


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
    urgent = urgent_field()
    red_flags_due = serializers.BooleanField(
        read_only=True,
        help_text=(
            "True while a tier of red-flag questions waits for the patient's answers (see "
            "`red_flag_tiers_due`): ask them and send the answers to `red-flag-checks/`."
        ),
    )
    red_flag_tiers_due = tiers_due_field()

    class Meta(SymptomLogSerializer.Meta):
        fields = [
            *SymptomLogSerializer.Meta.fields,
            "alerts",
            "urgent",
            "red_flags_due",
            "red_flag_tiers_due",
        ]
        read_only_fields = fields

    def to_representation(self, outcome: LogOutcome) -> dict[str, Any]:
        log = outcome.log
        log.alerts_raised = outcome.alerts
        log.urgent = outcome.urgent
        log.red_flag_tiers_due = red_flag_tiers_due(log.patient)
        log.red_flags_due = bool(log.red_flag_tiers_due)
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
            PrescriptionItem.objects.for_clinic(clinic_of(self))
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
        earliest = attrs["item"].prescription.created_at - EARLIEST_LOG_SLACK
        if "logged_at" in attrs and attrs["logged_at"] < earliest:
            raise serializers.ValidationError(
                {"logged_at": [_("A log cannot be older than its program.")]}
            )
        return attrs


class RedFlagCheckSerializer(serializers.ModelSerializer):
    """The patient's answers to the red-flag questions of one day."""

    alerts = serializers.PrimaryKeyRelatedField(
        many=True,
        read_only=True,
        help_text="Ids of the alerts these answers raised (one per tier answered yes).",
    )
    tiers_answered_yes = serializers.SerializerMethodField(
        help_text=(
            "Tiers with a yes, emergency first. `emergency`: tell the patient to seek urgent "
            "medical care now. `today`: tell them to contact their doctor or the clinic today."
        )
    )

    class Meta:
        model = RedFlagCheck
        fields = [
            "id",
            "patient",
            "checked_on",
            "asked",
            "answered_yes",
            "tiers_answered_yes",
            "alerts",
            "created_at",
        ]
        read_only_fields = fields

    def get_tiers_answered_yes(self, check: RedFlagCheck) -> list[str]:
        return red_flags.tiers_answered_yes(check.answered_yes)


class RedFlagQuestionSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="The code to send in `answered_yes` and `asked`.")
    tier = serializers.ChoiceField(choices=red_flags.Tier.choices)
    text = serializers.CharField(help_text="The question as the patient reads it.")


class RedFlagTierSerializer(serializers.Serializer):
    tier = serializers.ChoiceField(choices=red_flags.Tier.choices)
    label = serializers.CharField()
    heading = serializers.CharField(help_text="What a yes tells the patient to do.")
    advice = serializers.CharField(help_text="What to tell the patient after a yes.")


class RedFlagQuestionsSerializer(serializers.Serializer):
    """The red-flag table: the questions in the order to ask them, and each tier's advice."""

    questions = RedFlagQuestionSerializer(many=True)
    tiers = RedFlagTierSerializer(many=True)
    due = serializers.ListField(
        child=serializers.ChoiceField(choices=red_flags.Tier.choices),
        required=False,
        help_text=(
            "With `?patient=`: the tiers to ask that patient now (emergency daily while the "
            "pain reaches the buttock or further, weekly otherwise; today weekly)."
        ),
    )


def red_flag_table(due: list[str] | None = None) -> dict[str, Any]:
    """The one red-flag table, in the active language, as the API answers it."""
    table: dict[str, Any] = {
        "questions": [
            {"code": question.code, "tier": question.tier, "text": str(question.text)}
            for question in red_flags.QUESTIONS
        ],
        "tiers": [
            {
                "tier": tier,
                "label": str(label),
                "heading": str(red_flags.ADVICE[tier].heading),
                "advice": str(red_flags.ADVICE[tier].advice),
            }
            for tier, label in red_flags.Tier.choices
        ],
    }
    if due is not None:
        table["due"] = due
    return table


class RedFlagCheckInputSerializer(serializers.Serializer):
    patient = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="Patient id.")
    answered_yes = serializers.ListField(
        child=serializers.ChoiceField(choices=red_flags.QUESTION_CODES),
        allow_empty=True,
        max_length=len(red_flags.QUESTION_CODES),
        help_text=(
            "Codes of the red-flag questions answered yes; `[]` when all were answered no. "
            "A yes to an `emergency` question raises an urgent alert and pauses the program "
            "in the portal; a yes to a `today` question raises an alert (urgent when the "
            "patient has a risk history)."
        ),
    )
    asked = serializers.ListField(
        child=serializers.ChoiceField(choices=red_flags.QUESTION_CODES),
        required=False,
        allow_empty=False,
        max_length=len(red_flags.QUESTION_CODES),
        help_text=(
            "Codes of the questions put to the patient (see `red-flag-checks/questions/`); "
            "every question when left out. Ask whole tiers."
        ),
    )
    checked_on = serializers.DateField(
        required=False, help_text="The day the questions were answered; today if left out."
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "asked" in attrs:
            not_asked = sorted(set(attrs["answered_yes"]) - set(attrs["asked"]))
            if not_asked:
                raise serializers.ValidationError(
                    {
                        "answered_yes": [
                            _("Answered yes but not asked: %(codes)s.")
                            % {"codes": ", ".join(not_asked)}
                        ]
                    }
                )
        return attrs

    def validate_patient(self, value: int) -> Patient:
        patient = Patient.objects.for_clinic(clinic_of(self)).filter(pk=value).first()
        if patient is None:
            raise serializers.ValidationError(_("No patient of your clinic has this id."))
        return patient

    def validate_checked_on(self, value: date) -> date:
        if value > timezone.localdate():
            raise serializers.ValidationError(_("A check cannot be in the future."))
        return value
