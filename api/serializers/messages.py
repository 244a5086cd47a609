"""Secure messages between a patient and their clinic: threads, messages, and a
message sent by the clinic system on the clinic's behalf."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import serializers

from messaging.models import MAX_BODY, Message, Thread
from patients.models import Patient

from .common import MAX_ID, clinic_of
from .filters import QueryDateTimeField, QueryFilter


class ThreadSerializer(serializers.ModelSerializer):
    unread = serializers.IntegerField(
        read_only=True, help_text="Messages from the patient that the clinic has not read."
    )
    unread_flagged = serializers.IntegerField(
        read_only=True, help_text="Of those, the ones that mention a warning sign."
    )
    assigned_to_name = serializers.SerializerMethodField(
        help_text="The therapist who answers; empty: any of the clinic's therapists."
    )

    class Meta:
        model = Thread
        fields = [
            "id",
            "patient",
            "assigned_to",
            "assigned_to_name",
            "unread",
            "unread_flagged",
            "last_message_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_assigned_to_name(self, thread: Thread) -> str:
        user = thread.assigned_to
        return (user.get_full_name() or user.get_username()) if user is not None else ""


class MessageSerializer(serializers.ModelSerializer):
    flagged = serializers.BooleanField(
        read_only=True, help_text="The message mentions a warning sign (see `warning_signs`)."
    )
    warning_signs = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="Codes of the red-flag questions whose words a patient's message mentions.",
    )

    class Meta:
        model = Message
        fields = [
            "id",
            "thread",
            "patient",
            "author",
            "author_name",
            "body",
            "flagged",
            "warning_signs",
            "created_at",
            "read_at",
            "updated_at",
        ]
        read_only_fields = fields


class MessageInputSerializer(serializers.Serializer):
    patient = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="Patient id.")
    body = serializers.CharField(
        max_length=MAX_BODY, help_text="Text only; the patient reads it in the portal."
    )

    def validate_patient(self, value: int) -> Patient:
        patient = Patient.objects.for_clinic(clinic_of(self)).filter(pk=value).first()
        if patient is None:
            raise serializers.ValidationError(_("No patient of your clinic has this id."))
        if patient.archived:
            raise serializers.ValidationError(
                _("The record is archived: messages can no longer be sent.")
            )
        return patient


class ThreadFilter(QueryFilter):
    patient = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="Patient id.")
    updated_since = QueryDateTimeField(
        help_text="Only threads with a message, an assignment or a read at or after this time."
    )
    lookups = {"patient": "patient_id", "updated_since": "updated_at__gte"}


class MessageFilter(QueryFilter):
    patient = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="Patient id.")
    unread = serializers.BooleanField(help_text="`true`: only messages not read yet.")
    updated_since = QueryDateTimeField(
        help_text="Only messages sent or read at or after this time (ISO 8601), for sync."
    )
    lookups = {
        "patient": "patient_id",
        "unread": "read_at__isnull",
        "updated_since": "updated_at__gte",
    }
