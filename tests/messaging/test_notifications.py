"""Notifications go through the worker and say only that a message is waiting."""

import pytest
from django.core import mail

from messaging.models import Thread
from messaging.services import assign, send_as_clinic, send_as_patient
from tests.factories import make_therapist

SECRET = "my bladder has been odd since the fall"


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """Run what the services queue after their commit (the worker runs tasks at once)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_the_clinics_therapists_are_told_of_a_patient_message_without_its_words(
    sent, patient, therapist, colleague
):
    with sent():
        send_as_patient(patient=patient, body=SECRET)
    assert sorted(email.to[0] for email in mail.outbox) == sorted(
        [therapist.email, colleague.email]
    )
    for email in mail.outbox:
        text = email.subject + email.body
        assert "bladder" not in text
        assert patient.last_name not in text
        assert f"/patients/{patient.pk}/#messages" in email.body
        # It does say a warning sign may be in it, so that it is read soon.
        assert "warning sign" in email.body


def test_only_the_assigned_therapist_is_told(sent, patient, therapist, colleague):
    with sent():
        send_as_patient(patient=patient, body="First")
    assign(thread=Thread.objects.get(patient=patient), therapist=colleague, by=therapist)
    mail.outbox.clear()
    with sent():
        send_as_patient(patient=patient, body="Second")
    assert [email.to for email in mail.outbox] == [[colleague.email]]


def test_the_patient_is_told_of_an_answer_in_their_language_without_its_words(
    sent, patient, therapist
):
    patient.preferred_language = "es"
    patient.save()
    with sent():
        send_as_clinic(patient=patient, body="Keep going with the press-ups", by=therapist)
    (email,) = mail.outbox
    assert email.to == [patient.email]
    assert "press-ups" not in email.subject + email.body
    assert "/portal/messages/" in email.body
    assert email.subject.startswith("Nuevo mensaje")


def test_another_clinics_therapists_are_never_told(sent, patient, other_clinic, therapist):
    stranger = make_therapist(other_clinic, "stranger")
    with sent():
        send_as_patient(patient=patient, body="Hello")
    assert stranger.email not in [email.to[0] for email in mail.outbox]


def test_a_patient_without_portal_access_gets_no_email(sent, patient, therapist):
    patient.user.is_active = False
    patient.user.save()
    with sent():
        send_as_clinic(patient=patient, body="Answer", by=therapist)
    assert mail.outbox == []
