import pytest
from django.test import RequestFactory

from clinics.models import AuditEvent, audit


def test_an_audit_event_names_the_actor_clinic_patient_and_address(prescription, therapist):
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.2.3")
    request.user = therapist
    event = audit(action=AuditEvent.Action.VIEW, target=prescription, request=request)
    assert event.clinic == prescription.patient.clinic
    assert event.patient_id == prescription.patient_id
    assert (event.actor, event.actor_label, event.ip) == (therapist, "tess", "10.1.2.3")
    assert (event.object_type, event.object_id) == ("prescription", str(prescription.pk))


def test_audit_events_cannot_be_changed_or_deleted(patient, therapist):
    event = audit(action=AuditEvent.Action.CREATE, target=patient, actor=therapist)
    event.action = AuditEvent.Action.DELETE
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        AuditEvent.objects.all().delete()
    with pytest.raises(TypeError):
        AuditEvent.objects.update(action="view")
    assert AuditEvent.objects.get().action == "create"
