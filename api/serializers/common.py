"""What every serializer module shares: the request's clinic and the input limits."""

from __future__ import annotations

from rest_framework import serializers

from ..auth import request_clinic

# The largest id a client may send: PostgreSQL's bigint.
MAX_ID = 2**63 - 1


def clinic_of(serializer: serializers.Serializer):
    """The clinic of the API key (or therapist) making the request."""
    return request_clinic(serializer.context["request"])
