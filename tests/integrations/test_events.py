"""Events are written in the transaction of the change they report, for the endpoints
that chose them, with ids and links only."""

from __future__ import annotations

import pytest
from django.db import transaction

from integrations.models import Delivery, Endpoint, Event, EventType
from patients.models import Patient
from prescriptions.models import Alert
from prescriptions.outcomes import record_outcome_measure
from prescriptions.services import acknowledge_alerts, end_prescription, record_symptom_log
from tests.assessment_factory import make_assessment
from tests.factories import make_prescription


def log(patient, item, **answers):
    values = {
        "pain": 4,
        "location": "central",
        "during": "no_effect",
        "after": "no_effect",
        "sets_done": 1,
        "repetitions_done": 10,
    }
    values.update(answers)
    return record_symptom_log(patient=patient, item=item, **values)


def types_sent() -> list[str]:
    return list(Event.objects.order_by("pk").values_list("type", flat=True))


@pytest.fixture
def hook(clinic):
    return Endpoint.objects.create(
        clinic=clinic, url="https://ehr.example.test/hooks", events=list(EventType.values)
    )


def test_a_log_writes_one_event_with_ids_and_links_and_no_patient_text(hook, patient, item):
    outcome = log(patient, item, note="Paula felt a twinge at the office")

    event = Event.objects.get(type="log.recorded")
    assert event.patient_id == patient.pk and event.clinic_id == hook.clinic_id
    body = event.payload
    assert body["id"] == event.webhook_id and body["id"].startswith("evt_")
    assert body["type"] == "log.recorded"
    assert body["timestamp"].startswith("2026-03-11T14:0") and body["timestamp"].endswith("Z")
    assert body["data"]["clinic"] == "harbour"
    assert body["data"]["patient"] == {
        "id": patient.pk,
        "url": f"http://127.0.0.1:8000/api/v1/patients/{patient.pk}/",
    }
    assert body["data"]["resource"] == {
        "type": "symptom_log",
        "id": outcome.log.pk,
        "url": f"http://127.0.0.1:8000/api/v1/symptom-logs/{outcome.log.pk}/",
    }
    text = str(body)
    assert "Paula" not in text and "Jones" not in text and "twinge" not in text
    delivery = Delivery.objects.get(event=event)
    assert delivery.endpoint == hook and delivery.status == "pending"
    assert delivery.patient_id == patient.pk


def test_a_spreading_log_raises_an_alert_event_after_its_log_event(hook, patient, item):
    patient.starting_location = "buttock"
    patient.save()
    Event.objects.all().delete()

    outcome = log(patient, item, location="thigh", during="peripheralize", after="worse")

    assert outcome.alerts
    assert types_sent() == ["log.recorded", "alert.raised"]
    raised = Event.objects.get(type="alert.raised")
    assert raised.payload["data"]["resource"]["id"] == outcome.alerts[0].pk


def test_acknowledging_alerts_one_or_all_writes_an_event_for_each(hook, patient, item, therapist):
    patient.starting_location = "buttock"
    patient.save()
    log(patient, item, location="thigh", during="peripheralize", after="worse")
    first = Alert.objects.get()
    first.acknowledge(by=therapist)
    log(patient, item, location="thigh", during="peripheralize", after="worse")
    second = Alert.objects.open().get()

    acknowledge_alerts(patient=patient, by=therapist)

    acknowledged = Event.objects.filter(type="alert.acknowledged").order_by("pk")
    assert [event.payload["data"]["resource"]["id"] for event in acknowledged] == [
        first.pk,
        second.pk,
    ]
    # Acknowledging what is already acknowledged reports nothing again.
    assert not first.acknowledge(by=therapist)
    assert acknowledged.count() == 2


def test_a_program_put_in_use_and_ended_writes_both_events(hook, patient, therapist):
    program = make_prescription(patient, therapist)
    end_prescription(prescription=program)

    programs = Event.objects.filter(type__startswith="program.").order_by("pk")
    assert [(e.type, e.payload["data"]["resource"]["id"]) for e in programs] == [
        ("program.activated", program.pk),
        ("program.ended", program.pk),
    ]


def test_a_patient_added_or_changed_writes_an_event(hook, clinic):
    patient = Patient.objects.create(clinic=clinic, first_name="Ada", last_name="Lee")
    patient.external_id = "EHR-1"
    patient.save()

    assert types_sent() == ["patient.changed", "patient.changed"]
    assert "Ada" not in str(Event.objects.first().payload)


def test_an_outcome_measure_and_an_assessment_write_their_events(hook, patient, therapist):
    measure, _created = record_outcome_measure(
        patient=patient, instrument="groc", answers={"change": 1}, source="api"
    )
    assessment = make_assessment(patient, therapist)

    outcome = Event.objects.get(type="outcome.recorded")
    assert outcome.payload["data"]["resource"]["id"] == measure.pk
    assert outcome.payload["data"]["resource"]["url"].endswith(f"/outcome-measures/{measure.pk}/")
    recorded = Event.objects.get(type="assessment.recorded")
    assert recorded.payload["data"]["resource"]["id"] == assessment.pk


def test_an_endpoint_gets_only_the_events_it_chose(clinic, patient, item):
    alerts_only = Endpoint.objects.create(
        clinic=clinic, url="https://ehr.example.test/alerts", events=["alert.raised"]
    )

    log(patient, item)

    assert not Event.objects.exists() and not alerts_only.deliveries.exists()


def test_another_clinics_endpoint_gets_nothing(other_clinic, patient, item):
    Endpoint.objects.create(
        clinic=other_clinic, url="https://hillside.example.test/", events=EventType.values
    )

    log(patient, item)

    assert not Event.objects.exists() and not Delivery.objects.exists()


def test_a_rolled_back_write_leaves_no_event_and_queues_nothing(
    hook, patient, item, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        log(patient, item)
        assert Event.objects.filter(type="log.recorded").exists()  # inside, it is there
        raise RuntimeError("the request failed after the log")

    assert not Event.objects.filter(type="log.recorded").exists()
    assert not Delivery.objects.filter(event__type="log.recorded").exists()
    assert callbacks == []
