from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from clinics.models import AuditEvent
from patients.models import PortalInvitation
from tests.factories import make_patient

pytestmark = pytest.mark.any_hour

NEW_PASSWORD = "lumbar-roll-sunrise-81"


@pytest.fixture
def newcomer(clinic):
    return make_patient(clinic, first_name="Nina", last_name="Newman", email="nina@example.test")


@pytest.fixture
def invitation(newcomer, therapist):
    invitation, token = newcomer.invite(by=therapist)
    invitation.token = token
    return invitation


def url(invitation):
    return reverse("portal:activate", args=[invitation.token])


def test_it_greets_the_patient_and_suggests_their_email_as_username(client, invitation):
    response = client.get(url(invitation))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Welcome, Nina" in content
    assert "Harbour Physio" in content
    assert 'value="nina@example.test"' in content
    event = AuditEvent.objects.get(action=AuditEvent.Action.VIEW)
    assert (event.patient_id, event.actor_label) == (invitation.patient_id, "invitation-link")


def test_it_creates_the_login_signs_in_and_lands_on_today(client, invitation, newcomer):
    response = client.post(
        url(invitation),
        {"username": "nina@example.test", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response.url == reverse("portal:today")
    newcomer.refresh_from_db()
    invitation.refresh_from_db()
    assert newcomer.user.username == "nina@example.test"
    assert newcomer.user.check_password(NEW_PASSWORD)
    assert (newcomer.user.first_name, newcomer.user.email) == ("Nina", "nina@example.test")
    assert invitation.used_at is not None
    assert client.get(reverse("portal:today")).context["patient"] == newcomer
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.CREATE, object_type="portal_login", patient_id=newcomer.pk
    ).exists()


def test_the_new_login_works_on_the_shared_sign_in_page(client, invitation, newcomer):
    client.post(
        url(invitation),
        {"username": "nina", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    client.logout()
    response = client.post(
        reverse("login"), {"username": "nina", "password": NEW_PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("portal:today")


def test_it_applies_djangos_password_rules_and_keeps_the_username(client, invitation, newcomer):
    response = client.post(
        url(invitation), {"username": "nina-n", "password1": "12345678", "password2": "12345678"}
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "This password is too common." in content
    assert 'value="nina-n"' in content
    assert not get_user_model().objects.filter(username="nina-n").exists()
    invitation.refresh_from_db()
    assert invitation.used_at is None


def test_it_refuses_a_password_like_the_patients_name(client, invitation):
    response = client.post(
        url(invitation),
        {"username": "nn", "password1": "ninanewman", "password2": "ninanewman"},
    )
    assert "too similar" in response.content.decode()


def test_it_says_so_when_the_two_passwords_differ(client, invitation):
    response = client.post(
        url(invitation),
        {"username": "nina", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"},
    )
    assert "The two passwords are not the same." in response.content.decode()


def test_it_refuses_a_username_that_is_taken(client, invitation, therapist):
    response = client.post(
        url(invitation),
        {"username": "TESS", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 400
    assert "This username is taken" in response.content.decode()


def test_a_used_link_says_so_and_points_to_sign_in(client, invitation):
    client.post(
        url(invitation),
        {"username": "nina", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    client.logout()
    for method in (client.get, client.post):
        response = method(url(invitation))
        assert response.status_code == 410
        assert "You already have a login" in response.content.decode()


def test_an_expired_link_says_so_and_to_ask_the_clinic(client, invitation):
    PortalInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    response = client.get(url(invitation))
    assert response.status_code == 410
    content = response.content.decode()
    assert "This invitation link has expired" in content
    assert "Please ask your clinic for a new link." in content


def test_a_replaced_link_says_a_newer_one_was_sent(client, invitation, newcomer, therapist):
    newcomer.invite(by=therapist)
    response = client.get(url(invitation))
    assert response.status_code == 410
    assert "sent you a newer link" in response.content.decode()


def test_an_unknown_link_is_a_404_with_a_plain_explanation(client, db):
    response = client.get(reverse("portal:activate", args=["not-a-real-token"]))
    assert response.status_code == 404
    assert "Please ask your clinic for a new link." in response.content.decode()


def test_a_patient_who_already_has_a_login_is_told_so(client, patient, therapist):
    _invitation, token = patient.invite(by=therapist)
    response = client.get(reverse("portal:activate", args=[token]))
    assert response.status_code == 410
    assert "You already have a login" in response.content.decode()
    assert not get_user_model().objects.filter(username="").exists()


def test_activating_while_signed_in_as_someone_else_switches_to_the_new_login(
    therapist_client, invitation, newcomer
):
    therapist_client.post(
        url(invitation),
        {"username": "nina", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    response = therapist_client.get(reverse("portal:today"))
    assert response.status_code == 200
    assert response.context["patient"] == newcomer


def test_a_link_that_resets_two_step_lets_the_patient_in_to_set_the_app_up_again(
    client, patient, therapist
):
    from django.contrib.sessions.models import Session
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.factories import make_authenticator

    make_authenticator(patient.user)
    StaticDevice.objects.create(user=patient.user, name="recovery codes", confirmed=True)
    lost_phone = client_class_session(patient.user)
    invitation, token = patient.invite(by=therapist, resets_two_step=True)

    response = client.post(
        reverse("portal:activate", args=[token]),
        {"username": "paula-again", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.url == reverse("portal:today")
    assert not TOTPDevice.objects.filter(user=patient.user).exists()
    assert not StaticDevice.objects.filter(user=patient.user).exists()
    # Signed in without a code, on the portal; the phone's old session is gone.
    assert client.get(reverse("portal:today")).status_code == 200
    assert not Session.objects.filter(session_key=lost_phone.session.session_key).exists()
    event = AuditEvent.objects.get(action=AuditEvent.Action.MFA)
    assert event.detail == {"event": "reset_by_invitation", "invitation": invitation.pk}
    assert event.object_id == str(patient.user_id)


def test_an_ordinary_link_does_not_touch_two_step_sign_in(client, patient, therapist):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.factories import make_authenticator

    make_authenticator(patient.user)
    _invitation, token = patient.invite(by=therapist)
    response = client.get(reverse("portal:activate", args=[token]))
    assert response.status_code == 410  # the patient already has a login
    assert TOTPDevice.objects.filter(user=patient.user).exists()


def client_class_session(user):
    """Another browser (the lost phone), signed in as `user`."""
    from django.test import Client

    other = Client()
    other.force_login(user)
    return other
