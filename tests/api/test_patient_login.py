"""What a change to a patient record through the API does to the patient's portal login:
the same as the same change on the dashboard."""

from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from clinics.models import AuditEvent
from patients.models import PortalInvitation
from tests.factories import make_patient

URL = "/api/v1/patients/{}/"


def test_archiving_through_the_api_ends_portal_access_like_the_dashboard(api, client, patient):
    client.force_login(patient.user)
    patient.invite(by=None)  # a link still waiting to be used

    response = api.patch(URL.format(patient.pk), {"archived": True}, format="json")

    assert response.status_code == 200
    assert response.json()["archived"] is True
    patient.user.refresh_from_db()
    assert patient.user.is_active is False
    assert not PortalInvitation.objects.usable().filter(patient=patient).exists()
    # The session the patient had is over at once.
    assert client.get(reverse("portal:today")).status_code == 302
    assert AuditEvent.objects.filter(action="update", object_type="patient").exists()


def test_restoring_through_the_api_does_not_switch_the_login_back_on(api, patient):
    api.patch(URL.format(patient.pk), {"archived": True}, format="json")

    response = api.patch(URL.format(patient.pk), {"archived": False}, format="json")

    assert response.json()["archived"] is False
    patient.user.refresh_from_db()
    assert patient.user.is_active is False  # a new invitation does that


def test_a_changed_email_reaches_the_portal_login(api, patient):
    response = api.patch(URL.format(patient.pk), {"email": "paula.new@example.test"}, format="json")

    assert response.status_code == 200
    patient.user.refresh_from_db()
    assert patient.user.email == "paula.new@example.test"


def test_a_password_reset_goes_to_the_new_address_and_no_longer_to_the_old(
    api, client, patient, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    old = patient.user.email
    api.patch(URL.format(patient.pk), {"email": "paula.new@example.test"}, format="json")

    client.post(reverse("password_reset"), {"email": old})
    assert mail.outbox == []
    client.post(reverse("password_reset"), {"email": "paula.new@example.test"})
    assert [message.to for message in mail.outbox] == [["paula.new@example.test"]]


def test_a_changed_name_reaches_the_login_and_other_writes_leave_it_alone(api, patient):
    api.patch(URL.format(patient.pk), {"last_name": "Smith-Jones"}, format="json")
    patient.user.refresh_from_db()
    assert patient.user.last_name == "Smith-Jones"

    other = get_user_model().objects.create_user(username="someone", email="x@example.test")
    api.patch(URL.format(patient.pk), {"wake_start": "07:00"}, format="json")
    other.refresh_from_db()
    assert other.email == "x@example.test"  # only the patient's own login follows


def test_a_changed_email_voids_the_portal_link_sent_to_the_old_address(api, clinic):
    invited = make_patient(clinic, email="typo@example.test")
    invitation, _token = invited.invite(by=None)

    api.patch(URL.format(invited.pk), {"email": "right@example.test"}, format="json")

    invitation.refresh_from_db()
    assert invitation.voided_at is not None


def test_other_changes_keep_the_portal_link(api, clinic):
    invited = make_patient(clinic, email="right@example.test")
    invitation, _token = invited.invite(by=None)

    api.patch(URL.format(invited.pk), {"email": "RIGHT@example.test", "last_name": "X"})

    invitation.refresh_from_db()
    assert invitation.voided_at is None
