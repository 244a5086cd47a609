"""A patient's portal access ends when they are archived or when a therapist
revokes it, and a new invitation brings it back."""

import pytest
from django.test import Client
from django.urls import reverse

from clinics.models import AuditEvent
from tests.factories import PASSWORD

NEW_PASSWORD = "lumbar-roll-sunrise-81"
LOGIN = "/accounts/login/"


def revoke_url(patient):
    return reverse("patient_access:revoke", args=[patient.pk])


@pytest.fixture
def portal_session(patient):
    """The patient, signed in on their phone."""
    phone = Client()
    phone.force_login(patient.user)
    assert phone.get(reverse("portal:today")).status_code == 200
    return phone


def sign_in(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def test_revoking_access_signs_the_patient_out_at_once(therapist_client, patient, portal_session):
    response = therapist_client.post(revoke_url(patient))

    assert response.status_code == 302
    portal = portal_session.get(reverse("portal:today"))
    assert portal.status_code == 302 and portal["Location"].startswith(LOGIN)
    patient.user.refresh_from_db()
    assert patient.user.is_active is False
    page = therapist_client.get(reverse("patients:detail", args=[patient.pk])).content.decode()
    assert "Portal access revoked" in page
    assert "Invite to the portal" in page or "Create a new portal link" in page
    event = AuditEvent.objects.get(object_type="portal_login", patient_id=patient.pk)
    assert event.detail == {"portal_access": "revoked"}


def test_a_revoked_patient_is_told_plainly_why_they_cannot_sign_in(
    therapist_client, patient, client
):
    therapist_client.post(revoke_url(patient))
    response = Client().post(LOGIN, {"username": "paula", "password": PASSWORD})
    assert response.status_code == 200
    assert "This login no longer gives access" in response.content.decode()


def test_a_wrong_password_on_a_revoked_login_says_only_wrong_password(therapist_client, patient):
    therapist_client.post(revoke_url(patient))
    response = Client().post(LOGIN, {"username": "paula", "password": "not-it"})
    assert "This login no longer gives access" not in response.content.decode()
    assert "correct username" in response.content.decode()


def test_archiving_a_patient_ends_their_portal_sessions_and_sign_in(
    therapist_client, patient, portal_session
):
    therapist_client.post(reverse("patients:archive", args=[patient.pk]), {"archived": "1"})

    assert portal_session.get(reverse("portal:today"))["Location"].startswith(LOGIN)
    response = Client().post(LOGIN, {"username": "paula", "password": PASSWORD})
    assert "This login no longer gives access" in response.content.decode()


def test_a_new_invitation_restores_access_with_the_same_login(therapist_client, patient, therapist):
    therapist_client.post(revoke_url(patient))
    therapist_client.post(reverse("patients:invite", args=[patient.pk]))
    assert patient.invitations.filter(used_at__isnull=True, voided_at__isnull=True).exists()
    _invitation, token = patient.invite(by=therapist)  # the raw token is only shown once
    phone = Client()
    activate = reverse("portal:activate", args=[token])
    assert 'value="paula"' in phone.get(activate).content.decode()

    response = phone.post(
        activate, {"username": "paula", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )

    assert response.status_code == 302
    patient.refresh_from_db()
    assert patient.user.username == "paula" and patient.user.is_active
    assert phone.get(reverse("portal:today")).status_code == 200
    assert sign_in(Client(), "paula", NEW_PASSWORD).status_code == 302


def test_revoking_voids_a_pending_invitation(therapist_client, clinic, therapist):
    from tests.factories import make_patient

    newcomer = make_patient(clinic)
    _invitation, token = newcomer.invite(by=therapist)
    therapist_client.post(revoke_url(newcomer))
    assert Client().get(reverse("portal:activate", args=[token])).status_code == 410


def test_revoking_needs_a_post(therapist_client, patient):
    assert therapist_client.get(revoke_url(patient)).status_code == 405
    patient.user.refresh_from_db()
    assert patient.user.is_active


def test_revoking_needs_a_signed_in_therapist(client, patient, portal_session):
    assert client.post(revoke_url(patient))["Location"].startswith(LOGIN)
    assert portal_session.post(revoke_url(patient)).status_code == 403
    patient.user.refresh_from_db()
    assert patient.user.is_active


def test_another_clinic_cannot_revoke_access(client, patient, other_clinic_therapist):
    client.force_login(other_clinic_therapist)
    assert client.post(revoke_url(patient)).status_code == 404
    patient.user.refresh_from_db()
    assert patient.user.is_active
