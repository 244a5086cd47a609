"""Sending, reading and assigning messages: what they store, audit and refuse."""

import pytest
from django.core.exceptions import ValidationError

from clinics.models import AuditEvent
from messaging.models import Author, Message, Thread, unread_counts
from messaging.services import assign, mark_read, send_as_clinic, send_as_patient
from prescriptions.red_flags import RedFlag


def test_a_patient_message_is_stored_in_their_thread_and_audited(patient):
    message = send_as_patient(patient=patient, body="  Is this ache normal?  ")
    assert message.body == "Is this ache normal?"
    assert message.author == Author.PATIENT
    assert message.thread == Thread.objects.get(patient=patient)
    assert message.warning_signs == []
    event = AuditEvent.objects.get(object_type="message", action=AuditEvent.Action.CREATE)
    assert event.patient_id == patient.pk
    assert event.clinic_id == patient.clinic_id
    # The audit names the message, never its words.
    assert "ache" not in str(event.detail)


def test_a_message_naming_a_warning_sign_is_flagged(patient):
    message = send_as_patient(patient=patient, body="I have a fever and my bladder is odd")
    assert message.warning_signs == [RedFlag.BLADDER_BOWEL, RedFlag.FEVER]
    assert message.flagged


def test_an_empty_or_overlong_message_is_refused(patient):
    with pytest.raises(ValidationError):
        send_as_patient(patient=patient, body="   ")
    with pytest.raises(ValidationError):
        send_as_patient(patient=patient, body="x" * 2001)
    assert not Message.objects.exists()


def test_the_clinic_answer_marks_the_patient_messages_read(patient, therapist):
    question = send_as_patient(patient=patient, body="Is this ache normal?")
    answer = send_as_clinic(patient=patient, body="Yes, keep going.", by=therapist)
    question.refresh_from_db()
    assert question.read_at is not None and question.read_by == therapist
    assert answer.author_name == therapist.get_full_name()
    assert answer.read_at is None
    assert mark_read(thread=answer.thread, reader=Author.PATIENT, by=patient.user) == 1
    assert mark_read(thread=answer.thread, reader=Author.PATIENT, by=patient.user) == 0


def test_unread_counts_are_per_clinic_and_per_assigned_therapist(
    patient, other_patient, therapist, colleague
):
    send_as_patient(patient=patient, body="One")
    send_as_patient(patient=other_patient, body="Two")
    assign(thread=Thread.objects.get(patient=patient), therapist=colleague, by=therapist)
    assert unread_counts(patient.clinic, colleague) == {"clinic": 2, "mine": 1}
    assert unread_counts(patient.clinic, therapist) == {"clinic": 2, "mine": 0}


def test_a_thread_cannot_be_given_to_another_clinics_therapist(patient, other_clinic_therapist):
    send_as_patient(patient=patient, body="One")
    with pytest.raises(ValidationError):
        assign(thread=Thread.objects.get(patient=patient), therapist=other_clinic_therapist)


def test_messages_stay_when_the_patient_is_archived_and_none_can_be_added(patient, therapist):
    send_as_patient(patient=patient, body="One")
    patient.archived = True
    patient.save()
    assert Message.objects.filter(patient=patient).count() == 1
    with pytest.raises(ValidationError):
        send_as_clinic(patient=patient, body="Answer", by=therapist)


def test_each_user_sees_only_the_messages_they_may(
    patient, other_patient, therapist, other_clinic_therapist
):
    mine = send_as_patient(patient=patient, body="Mine")
    theirs = send_as_patient(patient=other_patient, body="Theirs")
    assert list(Message.objects.for_user(patient.user)) == [mine]
    assert set(Message.objects.for_user(therapist)) == {mine, theirs}
    assert not Message.objects.for_user(other_clinic_therapist).exists()
    assert not Thread.objects.for_user(other_clinic_therapist).exists()
