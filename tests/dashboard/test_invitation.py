"""The portal invitation: a one-time link, shown once, emailed when possible."""

import re

from django.core import mail
from django.urls import reverse

from clinics.models import AuditEvent
from patients.models import PortalInvitation
from tests.factories import make_patient


def url(patient) -> str:
    return reverse("patients:invite", kwargs={"pk": patient.pk})


def shown_link(response) -> str:
    match = re.search(r'id="invite-link" value="([^"]+)"', response.content.decode())
    return match.group(1) if match else ""


def test_it_makes_a_link_shows_it_once_and_emails_it(therapist_client, clinic, settings):
    settings.SITE_URL = "https://centra.example"
    patient = make_patient(clinic, first_name="Ina", last_name="Vite", email="ina@example.test")
    response = therapist_client.post(url(patient), follow=True)
    link = shown_link(response)
    assert link.startswith("https://centra.example/portal/activate/")
    token = link.rstrip("/").rsplit("/", 1)[1]
    invitation = PortalInvitation.find(token)
    assert invitation.patient == patient and invitation.is_usable
    assert invitation.token_hash != token
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ina@example.test"]
    assert link in mail.outbox[0].body
    assert "emailed to ina@example.test" in response.content.decode()
    again = therapist_client.get(reverse("patients:detail", kwargs={"pk": patient.pk}))
    assert shown_link(again) == ""
    assert "waiting for the patient" in again.content.decode()
    assert AuditEvent.objects.filter(action="create", object_type="portalinvitation").exists()


def test_it_shows_the_link_to_copy_when_there_is_no_email(therapist_client, clinic):
    patient = make_patient(clinic, email="")
    response = therapist_client.post(url(patient), follow=True)
    assert shown_link(response)
    assert mail.outbox == []


def test_the_email_is_in_the_patients_language(therapist_client, clinic):
    patient = make_patient(clinic, preferred_language="es")
    therapist_client.post(url(patient))
    assert len(mail.outbox) == 1


def test_a_new_link_voids_the_old_one(therapist_client, clinic):
    patient = make_patient(clinic)
    first = shown_link(therapist_client.post(url(patient), follow=True))
    second = shown_link(therapist_client.post(url(patient), follow=True))
    assert first != second
    assert not PortalInvitation.find(first.rstrip("/").rsplit("/", 1)[1]).is_usable
    assert PortalInvitation.find(second.rstrip("/").rsplit("/", 1)[1]).is_usable


def test_a_patient_with_portal_access_gets_no_new_link(therapist_client, patient):
    therapist_client.post(url(patient))
    assert not PortalInvitation.objects.exists()


def test_an_archived_patient_gets_no_link(therapist_client, clinic):
    patient = make_patient(clinic, archived=True)
    therapist_client.post(url(patient))
    assert not PortalInvitation.objects.exists()


def test_it_refuses_get(therapist_client, clinic):
    patient = make_patient(clinic)
    assert therapist_client.get(url(patient)).status_code == 405
    assert not PortalInvitation.objects.exists()


def test_it_sends_anonymous_visitors_to_the_login(client, clinic):
    patient = make_patient(clinic)
    assert client.post(url(patient))["Location"].startswith("/accounts/login/")
    assert not PortalInvitation.objects.exists()


def test_another_clinic_gets_404(stranger_client, clinic):
    patient = make_patient(clinic)
    assert stranger_client.post(url(patient)).status_code == 404
    assert not PortalInvitation.objects.exists()


def test_a_new_link_that_resets_two_step_sign_in_must_be_ticked_and_is_audited(
    therapist_client, patient
):
    from tests.factories import make_authenticator

    make_authenticator(patient.user)
    page = therapist_client.get(reverse("patients:detail", kwargs={"pk": patient.pk}))
    assert 'name="reset_two_step"' in page.content.decode()
    # Without the tick, a patient with access gets no new link.
    refused = therapist_client.post(url(patient), follow=True)
    assert "already has portal access" in refused.content.decode()
    assert not PortalInvitation.objects.filter(patient=patient).exists()

    response = therapist_client.post(url(patient), {"reset_two_step": "on"}, follow=True)

    assert shown_link(response)
    invitation = PortalInvitation.objects.get(patient=patient)
    assert invitation.resets_two_step
    event = AuditEvent.objects.get(action="create", object_type="portalinvitation")
    assert event.detail == {"emailed": True, "resets_two_step": True}


def test_no_reset_is_offered_to_a_patient_without_two_step_sign_in(therapist_client, patient):
    page = therapist_client.get(reverse("patients:detail", kwargs={"pk": patient.pk}))
    assert 'name="reset_two_step"' not in page.content.decode()
