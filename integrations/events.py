"""Turning the core's writes into webhook events, in the writes' own transactions.

The receivers are connected in apps.py: `post_save` of the core's models (a log has
no `post_save`: every log is inserted by `store_logs`, which sends `logs_stored`), and
`prescriptions.signals.alerts_acknowledged` for acknowledgements (an update that sends
no `post_save`). Each writes an `Event` and one `Delivery` per endpoint that chose its
type, then asks the worker, once the transaction has committed, to deliver them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from assessments.models import Assessment
from patients.models import Patient
from prescriptions.models import Alert, Prescription
from prescriptions.outcome_models import OutcomeMeasure

from .models import Delivery, Endpoint, Event, EventType

# The REST API's page of each kind of resource an event names (by URL name: the core
# does not import the API).
RESOURCE_URL_NAMES = {
    "alert": "api:alert-detail",
    "symptom_log": "api:symptomlog-detail",
    "program": "api:prescription-detail",
    "patient": "api:patient-detail",
    "outcome_measure": "api:outcomemeasure-detail",
    "assessment": "api:assessment-detail",
}


def api_url(kind: str, pk: int) -> str | None:
    try:
        return settings.SITE_URL + reverse(RESOURCE_URL_NAMES[kind], args=[pk])
    except NoReverseMatch:
        return None


def payload(
    *,
    event: Event,
    clinic_slug: str,
    resource: str,
    resource_id: int,
) -> dict[str, Any]:
    """What the receiver gets: ids and links only, never a patient's name or notes."""
    return {
        "id": event.webhook_id,
        "type": event.type,
        "timestamp": event.occurred_at.isoformat().replace("+00:00", "Z"),
        "data": {
            "clinic": clinic_slug,
            "patient": {"id": event.patient_id, "url": api_url("patient", event.patient_id)},
            "resource": {
                "type": resource,
                "id": resource_id,
                "url": api_url(resource, resource_id),
            },
        },
    }


def record_events(
    *,
    event_type: str,
    patient_id: int,
    resource: str,
    resource_ids: Iterable[int],
    occurred_at: datetime | None = None,
) -> list[Event]:
    """Write the events of one change and their deliveries; nothing when no endpoint of
    the patient's clinic chose this type. Call it inside the change's transaction."""
    resource_ids = list(resource_ids)
    if not resource_ids:
        return []
    # One query, through the patient to the clinic's endpoints.
    endpoints = [
        endpoint
        for endpoint in Endpoint.objects.filter(clinic__patients__id=patient_id).select_related(
            "clinic"
        )
        if event_type in endpoint.events
    ]
    if not endpoints:
        return []
    clinic = endpoints[0].clinic
    occurred_at = occurred_at or timezone.now()
    events = []
    with transaction.atomic():
        for resource_id in resource_ids:
            event = Event(
                clinic=clinic,
                patient_id=patient_id,
                type=event_type,
                occurred_at=occurred_at,
                payload={},
            )
            event.payload = payload(
                event=event, clinic_slug=clinic.slug, resource=resource, resource_id=resource_id
            )
            event.save()
            events.append(event)
        Delivery.objects.bulk_create(
            Delivery(
                event=event,
                endpoint=endpoint,
                patient_id=patient_id,
                next_attempt_at=occurred_at,
            )
            for event in events
            for endpoint in endpoints
        )
        streams = [(endpoint.pk, patient_id) for endpoint in endpoints]
        transaction.on_commit(lambda: _queue(streams))
    return events


def _queue(streams: list[tuple[int, int]]) -> None:
    from .tasks import deliver_webhooks

    for endpoint_id, patient_id in streams:
        deliver_webhooks.enqueue(endpoint_id, patient_id)


# The receivers. Saves of an existing row report only the changes a clinic system
# needs: a program put in use or ended, and any change of the patient's record.


def _created(kind: str, event_type: str):
    def receiver(sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any):
        if created and not raw:
            record_events(
                event_type=event_type,
                patient_id=instance.patient_id,
                resource=kind,
                resource_ids=[instance.pk],
            )

    return receiver


alert_saved = _created("alert", EventType.ALERT_RAISED)
outcome_saved = _created("outcome_measure", EventType.OUTCOME_RECORDED)
assessment_saved = _created("assessment", EventType.ASSESSMENT_RECORDED)


def program_saved(
    sender: Any, instance: Prescription, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    # Only a save that sets the status: a program is put in use or ended that way.
    fields = kwargs.get("update_fields")
    if raw or not (created or (fields is not None and "status" in fields)):
        return
    event_type = {
        Prescription.Status.ACTIVE: EventType.PROGRAM_ACTIVATED,
        Prescription.Status.ENDED: EventType.PROGRAM_ENDED,
    }.get(instance.status)
    if event_type is not None:
        record_events(
            event_type=event_type,
            patient_id=instance.patient_id,
            resource="program",
            resource_ids=[instance.pk],
        )


def patient_saved(
    sender: Any, instance: Patient, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if not raw:
        record_events(
            event_type=EventType.PATIENT_CHANGED,
            patient_id=instance.pk,
            resource="patient",
            resource_ids=[instance.pk],
        )


def logs_stored(sender: Any, *, logs: Any, alerts: Any, **kwargs: Any) -> None:
    """Logs stored in one insert, and the alerts they opened: an event each, logs first."""
    for event_type, kind, rows in (
        (EventType.LOG_RECORDED, "symptom_log", logs),
        (EventType.ALERT_RAISED, "alert", alerts),
    ):
        if rows:
            record_events(
                event_type=event_type,
                patient_id=rows[0].patient_id,
                resource=kind,
                resource_ids=[row.pk for row in rows],
            )


def alerts_acknowledged(sender: Any, *, alerts: Any, **kwargs: Any) -> None:
    by_patient: dict[int, list[int]] = {}
    for pk, patient_id in alerts.values_list("pk", "patient_id"):
        by_patient.setdefault(patient_id, []).append(pk)
    for patient_id, ids in by_patient.items():
        record_events(
            event_type=EventType.ALERT_ACKNOWLEDGED,
            patient_id=patient_id,
            resource="alert",
            resource_ids=ids,
        )


RECEIVERS = [
    (Alert, alert_saved),
    (OutcomeMeasure, outcome_saved),
    (Assessment, assessment_saved),
    (Prescription, program_saved),
    (Patient, patient_saved),
]
