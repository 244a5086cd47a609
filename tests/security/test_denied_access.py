"""Asking for another clinic's or another patient's record answers 404, like a
missing one, and leaves a "denied" audit event with the id asked for: in the
owning clinic's trail, never in the asking clinic's (where it would tell which ids
exist elsewhere)."""

from django.urls import reverse

from api.models import create_api_key
from clinics.models import AuditEvent
from tests.api.conftest import client_with


def denied():
    return list(AuditEvent.objects.filter(action="denied"))


def test_a_therapist_asking_for_another_clinics_patient_is_recorded(
    therapist_client, therapist, clinic, other_clinic_patient
):
    response = therapist_client.get(reverse("patients:detail", args=[other_clinic_patient.pk]))

    assert response.status_code == 404
    (event,) = denied()
    assert (event.actor, event.clinic, event.object_type) == (
        therapist,
        other_clinic_patient.clinic,
        "patient",
    )
    assert event.actor_label == "another clinic"  # no other clinic's user named to the owner
    assert event.detail["asked_for"] == str(other_clinic_patient.pk)
    assert event.detail["from_another_clinic"] is True
    assert event.patient_id == other_clinic_patient.pk
    assert not AuditEvent.objects.filter(action="denied", clinic=clinic).exists()


def test_an_id_that_exists_nowhere_is_a_plain_404(therapist_client):
    assert therapist_client.get(reverse("patients:detail", args=[99999])).status_code == 404
    assert denied() == []


def test_an_api_key_asking_for_another_clinics_patient_is_recorded(clinic, other_clinic_patient):
    _key, secret = create_api_key(clinic=clinic, name="EHR")
    response = client_with(secret).get(f"/api/v1/patients/{other_clinic_patient.pk}/")

    assert response.status_code == 404
    (event,) = denied()
    assert (event.actor_label, event.clinic) == ("another clinic", other_clinic_patient.clinic)
    assert event.object_id == str(other_clinic_patient.pk)


def test_a_patient_asking_for_another_patients_log_is_recorded(
    patient_client, patient, other_patient, therapist, clinic
):
    from tests.factories import make_prescription

    program = make_prescription(other_patient, therapist)
    item = program.items.first()
    response = patient_client.get(reverse("portal:log", args=[item.pk]))

    assert response.status_code == 404
    (event,) = denied()
    assert (event.actor, event.object_type, event.object_id) == (
        patient.user,
        "prescriptionitem",
        str(item.pk),
    )
