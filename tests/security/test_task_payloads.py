"""The task queue holds ids, never a reset token or an invitation link: whoever
reads the queue table (or the admin) learns nothing that opens an account. The
worker makes the link again when it composes the email; the link points at
SITE_URL, never at the Host a request named."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from patients.models import PortalInvitation
from tests.factories import make_patient
from tests.reminders.test_worker import work_through_queue

pytestmark = pytest.mark.django_db(transaction=True)  # the worker runs the queue


def queued_text() -> str:
    return " ".join(
        str(args) for args in DBTaskResult.objects.values_list("args_kwargs", flat=True)
    )


def test_a_reset_request_queues_only_the_account_id_and_the_mail_carries_a_working_link(
    queued_tasks, therapist
):
    Client().post(reverse("password_reset"), {"email": therapist.email})

    text = queued_text()
    assert "reset" not in text and therapist.email not in text
    assert str(therapist.pk) in text
    work_through_queue()
    (message,) = mail.outbox
    link = re.search(re.escape(settings.SITE_URL) + r"(/accounts/reset/\S+/)", message.body)
    response = Client().get(link.group(1), follow=True)
    assert "new_password1" in response.content.decode()  # the token is valid


def test_an_invitation_queues_only_its_id_and_the_mail_link_activates(
    queued_tasks, therapist_client, clinic
):
    patient = make_patient(clinic)
    therapist_client.post(reverse("patients:invite", args=[patient.pk]))

    invitation = PortalInvitation.objects.get(patient=patient)
    text = queued_text()
    assert "activate" not in text and invitation.regenerate_token() not in text
    assert str(invitation.pk) in text
    work_through_queue()
    (message,) = mail.outbox
    link = re.search(re.escape(settings.SITE_URL) + r"(/portal/activate/\S+/)", message.body)
    assert PortalInvitation.find(link.group(1).split("/")[-2]) == invitation
    assert Client().get(link.group(1)).status_code == 200


def test_a_reset_link_ignores_the_host_header(therapist, settings):
    settings.ALLOWED_HOSTS = ["testserver", "evil.example"]
    Client().post(reverse("password_reset"), {"email": therapist.email}, HTTP_HOST="evil.example")
    (message,) = mail.outbox
    assert "evil.example" not in message.body
    assert f"{settings.SITE_URL}/accounts/reset/" in message.body
