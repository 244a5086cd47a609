"""Exercise sessions: the symptoms once before and after, and how each exercise went."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from patients.models import Patient
from prescriptions.models import (
    AfterResponse,
    DuringResponse,
    ExerciseSession,
    Location,
    NeuroSymptom,
    PrescriptionItem,
    SessionResponse,
)
from prescriptions.services import EARLIEST_LOG_SLACK, red_flag_tiers_due

from .common import MAX_ID, clinic_of
from .filters import SYNC_HELP, QueryFilter, SyncSinceField
from .logs import AlertSerializer, SymptomLogSerializer, tiers_due_field, urgent_field


class SymptomsSerializer(serializers.Serializer):
    """Back pain, leg pain and where the pain reaches, at one moment."""

    back_pain = serializers.IntegerField(min_value=0, max_value=10, help_text="0 to 10.")
    leg_pain = serializers.IntegerField(
        min_value=0,
        max_value=10,
        help_text="0 to 10. Buttock pain counts as back or leg pain, as the patient feels it.",
    )
    location = serializers.ChoiceField(
        choices=Location.choices, help_text="Where the pain reaches (the most distal symptom)."
    )


class ExerciseAnswerSerializer(serializers.Serializer):
    item = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        help_text="Id of the exercise of the program (`items[].id` of a prescription).",
    )
    done = serializers.BooleanField(help_text="`false`: skipped; nothing else is needed.")
    during = serializers.ChoiceField(choices=DuringResponse.choices, required=False)
    after = serializers.ChoiceField(choices=AfterResponse.choices, required=False)
    sets_done = serializers.IntegerField(min_value=0, max_value=50, required=False)
    repetitions_done = serializers.IntegerField(min_value=0, max_value=500, required=False)
    note = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["done"]:
            missing = {
                name: [_("Required for an exercise done.")]
                for name in ("during", "after", "sets_done", "repetitions_done")
                if name not in attrs
            }
            if missing:
                raise serializers.ValidationError(missing)
        return attrs


class SessionInputSerializer(serializers.Serializer):
    patient = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="Patient id.")
    logged_at = serializers.DateTimeField(
        required=False, help_text="When the session ended; now if left out."
    )
    before = SymptomsSerializer(
        required=False,
        allow_null=True,
        help_text=(
            "The symptoms before the session. Leave out only when they were not asked: the "
            "session is then compared with the patient's reference location and recent levels "
            "only."
        ),
    )
    after = SymptomsSerializer(help_text="The symptoms after the session.")
    exercises = ExerciseAnswerSerializer(
        many=True,
        allow_empty=False,
        max_length=50,
        help_text="Each exercise of the program in this session, done or skipped.",
    )
    new_symptoms = serializers.ListField(
        child=serializers.ChoiceField(choices=NeuroSymptom.choices),
        required=False,
        default=list,
        max_length=len(NeuroSymptom.values),
        help_text=(
            "New or spreading numbness, tingling or weakness the patient answered yes to, "
            "asked once at the end of the session: any one stops every exercise done."
        ),
    )
    client_id = serializers.UUIDField(
        required=False,
        help_text=(
            "A UUID the client makes once per session. Sending the same one again for the "
            "same patient returns the first session (200) and stores nothing."
        ),
    )

    def validate_patient(self, value: int) -> Patient:
        patient = Patient.objects.for_clinic(clinic_of(self)).filter(pk=value).first()
        if patient is None:
            raise serializers.ValidationError(_("No patient of your clinic has this id."))
        return patient

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        patient = attrs["patient"]
        ids = [answer["item"] for answer in attrs["exercises"]]
        items = {
            item.pk: item
            for item in PrescriptionItem.objects.for_clinic(clinic_of(self))
            .filter(pk__in=ids, prescription__patient=patient)
            .select_related("prescription__patient", "exercise")
        }
        # Keyed by position, as DRF keys the errors of a list of objects.
        unknown = {
            index: {"item": [_("No exercise of this patient's programs has this id.")]}
            for index, answer in enumerate(attrs["exercises"])
            if answer["item"] not in items
        }
        if unknown:
            raise serializers.ValidationError({"exercises": unknown})
        for answer in attrs["exercises"]:
            answer["item"] = items[answer["item"]]
        first = attrs["exercises"][0]["item"].prescription
        if "logged_at" in attrs and attrs["logged_at"] < first.created_at - EARLIEST_LOG_SLACK:
            raise serializers.ValidationError(
                {"logged_at": [_("A session cannot be older than its program.")]}
            )
        return attrs


class BeforeOut(serializers.Serializer):
    back_pain = serializers.IntegerField()
    leg_pain = serializers.IntegerField()
    location = serializers.ChoiceField(choices=Location.choices)


class AfterOut(serializers.Serializer):
    back_pain = serializers.IntegerField(
        allow_null=True, help_text="Null for a log sent alone: it has one pain score."
    )
    leg_pain = serializers.IntegerField(allow_null=True)
    location = serializers.ChoiceField(choices=Location.choices)
    pain = serializers.IntegerField(help_text="The higher of back and leg pain, or the one score.")


class SessionSerializer(serializers.ModelSerializer):
    """A session: the symptoms before (null for a log sent alone) and after, what the
    session did to them (`response`), and its logs, one per exercise done."""

    before = serializers.SerializerMethodField()
    after = serializers.SerializerMethodField()
    logs = SymptomLogSerializer(many=True, read_only=True)
    skipped = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, help_text="Ids of the program's exercises skipped."
    )
    response = serializers.ChoiceField(
        choices=SessionResponse.choices,
        read_only=True,
        help_text=(
            "What the session did, before against after, like with like: `centralizing` (the "
            "pain reaches closer in, or leg pain gave way to back pain), `peripheralizing`, "
            "`better`, `worse`, `unchanged`, or `not_compared` (no answers from before)."
        ),
    )

    class Meta:
        model = ExerciseSession
        fields = [
            "id",
            "patient",
            "prescription",
            "logged_at",
            "before",
            "after",
            "response",
            "new_symptoms",
            "logs",
            "skipped",
            "source",
            "client_id",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(BeforeOut(allow_null=True))
    def get_before(self, session: ExerciseSession) -> dict[str, Any] | None:
        if not session.before_location:
            return None
        return {
            "back_pain": session.before_back_pain,
            "leg_pain": session.before_leg_pain,
            "location": session.before_location,
        }

    @extend_schema_field(AfterOut)
    def get_after(self, session: ExerciseSession) -> dict[str, Any]:
        return {
            "back_pain": session.after_back_pain,
            "leg_pain": session.after_leg_pain,
            "location": session.after_location,
            "pain": session.after_pain,
        }


class SessionOutcomeSerializer(SessionSerializer):
    """The stored session, with what the safety rules made of it."""

    alerts = AlertSerializer(many=True, read_only=True, help_text="Alerts this session raised.")
    stop_exercise = serializers.BooleanField(
        read_only=True,
        help_text=(
            "True when the patient must stop at least one exercise (see each log's "
            "`stop_exercise`) and contact the therapist. Tell them at once."
        ),
    )
    urgent = urgent_field()
    red_flag_tiers_due = tiers_due_field()

    class Meta(SessionSerializer.Meta):
        fields = [
            *SessionSerializer.Meta.fields,
            "alerts",
            "stop_exercise",
            "urgent",
            "red_flag_tiers_due",
        ]
        read_only_fields = fields

    def to_representation(self, outcome: Any) -> dict[str, Any]:
        session = outcome.session
        session.alerts = outcome.alerts
        session.stop_exercise = outcome.stop_exercise
        session.urgent = outcome.urgent
        session.red_flag_tiers_due = red_flag_tiers_due(session.patient)
        return super().to_representation(session)


class SessionFilter(QueryFilter):
    patient = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="Patient id.")
    prescription = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="Prescription id (one version of a program)."
    )
    since = SyncSinceField(
        help_text=SYNC_HELP + "the time Centra received the session (stored at or after it)."
    )
    lookups = {
        "patient": "patient_id",
        "prescription": "prescription_id",
        "since": "created_at__gte",
    }
    sync_resource = "session"
