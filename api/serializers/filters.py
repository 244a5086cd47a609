"""The query parameters each list accepts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from changelog.models import Change
from prescriptions.models import (
    Prescription,
)

from .common import MAX_ID


class QueryDateTimeField(serializers.DateTimeField):
    """A time in a query string. An unencoded `+` in the offset arrives as a space
    (`...T10:00:00 02:00`): read it as the `+` the client meant."""

    OFFSET_AS_SPACE = re.compile(r"(T[0-9:.]+) ([0-9]{2}:?[0-9]{2})$")

    def to_internal_value(self, value: Any) -> Any:
        if isinstance(value, str):
            value = self.OFFSET_AS_SPACE.sub(r"\1+\2", value)
        return super().to_internal_value(value)


@dataclass(frozen=True)
class SyncToken:
    """A position in the change log, as the `Next-Sync-Since` header gave it."""

    position: int

    PATTERN = re.compile(r"^c([0-9]{1,18})$")  # as pagination.SYNC_TOKEN

    def __str__(self) -> str:
        return f"c{self.position}"


# A string in the schema, not a date-time: a generated client must let a token through.
@extend_schema_field(OpenApiTypes.STR)
class SyncSinceField(QueryDateTimeField):
    """`updated_since`: a sync token from the previous run's `Next-Sync-Since` (exact:
    nothing missed, see docs/sync.md), or a time (ISO 8601) as earlier clients send it."""

    def to_internal_value(self, value: Any) -> Any:
        found = SyncToken.PATTERN.match(value) if isinstance(value, str) else None
        if found:
            return SyncToken(int(found[1]))
        return super().to_internal_value(value)

    def to_representation(self, value: Any) -> Any:
        return str(value) if isinstance(value, SyncToken) else super().to_representation(value)


SYNC_HELP = (
    "For sync: the `Next-Sync-Since` header (or `next_sync_since`) of your previous run, "
    "which misses nothing however writes and reads overlap; or, as earlier clients do, a "
    "time (ISO 8601) compared with "
)


class QueryFilter(serializers.Serializer):
    """The filters of a list endpoint: validated like a body (a bad value is a
    400 naming the parameter) and documented as query parameters. `lookups`
    maps each filter to the ORM lookup it applies."""

    lookups: dict[str, str] = {}
    # The change-log resource a sync token of this list is about.
    sync_resource = ""

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        for field in fields.values():
            field.required = False  # every filter is optional
        return fields

    def apply(self, queryset, filters: dict[str, Any] | None = None):
        """The rows that pass every filter. A sync token keeps the rows changed from
        that position up to the run's watermark (`context["watermark"]`)."""
        filters = dict(self.validated_data) if filters is None else filters
        for name, value in filters.items():
            if isinstance(value, SyncToken):
                changed = (
                    Change.objects.about(self.sync_resource)
                    .between(value.position, self.context["watermark"])
                    .values("object_id")
                )
                queryset = queryset.filter(pk__in=changed)
            else:
                queryset = queryset.filter(**{self.lookups[name]: value})
        return queryset


class PatientFilter(QueryFilter):
    external_id = serializers.CharField(
        max_length=100,
        allow_blank=True,
        help_text="The clinic system's id; empty for patients without one.",
    )
    updated_since = SyncSinceField(
        help_text=SYNC_HELP + "the patient's `updated_at` (changed at or after it)."
    )
    lookups = {"external_id": "external_id", "updated_since": "updated_at__gte"}
    sync_resource = "patient"


class PrescriptionFilter(QueryFilter):
    patient = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="Patient id.")
    status = serializers.ChoiceField(choices=Prescription.Status.choices)
    lookups = {"patient": "patient_id", "status": "status"}


class SymptomLogFilter(QueryFilter):
    patient = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="Patient id.")
    prescription = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="Prescription id (one version of a program)."
    )
    since = SyncSinceField(
        help_text=SYNC_HELP
        + (
            "the time Centra received the log (stored at or after it), so a log the "
            "patient back-dates is not missed."
        )
    )
    lookups = {
        "patient": "patient_id",
        "prescription": "item__prescription_id",
        "since": "created_at__gte",
    }
    sync_resource = "symptom_log"


class AlertFilter(QueryFilter):
    patient = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="Patient id.")
    acknowledged = serializers.BooleanField(
        help_text="`false`: alerts still open; `true`: alerts already acknowledged."
    )
    updated_since = SyncSinceField(
        help_text=SYNC_HELP
        + (
            "`updated_at`: alerts raised, seen again or acknowledged at or after it, so a "
            "sync learns which alerts a therapist acknowledged meanwhile."
        )
    )
    lookups = {
        "patient": "patient_id",
        "acknowledged": "acknowledged_at__isnull",
        "updated_since": "updated_at__gte",
    }
    sync_resource = "alert"

    def apply(self, queryset, filters: dict[str, Any] | None = None):
        filters = dict(self.validated_data)
        if "acknowledged" in filters:
            # The column stores when, not whether: acknowledged means "not null".
            filters["acknowledged"] = not filters["acknowledged"]
        return super().apply(queryset, filters)


class RedFlagCheckFilter(QueryFilter):
    patient = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="Patient id.")
    since = SyncSinceField(
        help_text=SYNC_HELP
        + (
            "the time Centra first stored the day's check (stored at or after it); answers "
            "added later that day come only with a token."
        )
    )
    lookups = {"patient": "patient_id", "since": "created_at__gte"}
    sync_resource = "red_flag_check"
