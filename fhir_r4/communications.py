"""Secure messages as FHIR `Communication` resources: read, and search by patient and
`_lastUpdated`, paged like every other search.

A patient's message has the patient as sender and the clinic as recipient; a clinic's
message the other way round. `received` is when the other side read it. A patient
message that mentions a warning sign carries, as `reasonCode`, the red-flag questions
whose words it mentions (messaging/warning_signs.py)."""

from __future__ import annotations

from typing import Any

from django.db.models import F
from django.utils import translation

from clinics.models import Clinic
from messaging.models import Message
from prescriptions.red_flags import RedFlag

from .resources import instant, meta, ref
from .search import PATIENT_DOC, SEARCHES, Search, by_patient


def communication_resource(message: Message) -> dict[str, Any]:
    clinic = {"display": message.patient.clinic.name}
    patient = ref("Patient", message.patient_id)
    resource: dict[str, Any] = {
        "resourceType": "Communication",
        "id": str(message.pk),
        "meta": meta(message.updated_at),
        "status": "completed",
        "subject": patient,
        "sent": instant(message.created_at),
        "sender": patient if message.from_patient else {"display": message.author_name},
        "recipient": [clinic if message.from_patient else patient],
        "payload": [{"contentString": message.body}],
    }
    if message.read_at is not None:
        resource["received"] = instant(message.read_at)
    if message.warning_signs:
        with translation.override("en"):
            resource["reasonCode"] = [
                {"text": f"Mentions a possible warning sign: {RedFlag(code).label}"}
                for code in message.warning_signs
            ]
    return resource


def _messages(clinic: Clinic):
    return Message.objects.for_clinic(clinic).select_related("patient__clinic")


COMMUNICATIONS = Search(
    "Communication",
    rows=_messages,
    build=lambda row, links: [communication_resource(row)],
    updated=F("updated_at"),
    filters={"patient": by_patient("patient")},
    docs=PATIENT_DOC,
)


def register() -> None:
    """Add Communication to the table the views, the CapabilityStatement and the
    index page are generated from (called once, when the app is ready)."""
    SEARCHES.setdefault(COMMUNICATIONS.resource_type, COMMUNICATIONS)
