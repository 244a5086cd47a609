"""The dashboard's inbox, the navigation's unread counts and a patient's thread."""

import re

import pytest
from django.urls import reverse

from messaging.models import Message, Thread
from messaging.services import assign, send_as_patient
from tests.factories import make_patient

INBOX = reverse("messages:inbox")


def reply_url(patient):
    return reverse("messages:reply", args=[patient.pk])


def test_the_nav_counts_the_clinics_unread_messages_and_those_assigned_to_me(
    therapist_client, therapist, patient, other_patient
):
    send_as_patient(patient=patient, body="One")
    send_as_patient(patient=other_patient, body="Two")
    assign(thread=Thread.objects.get(patient=patient), therapist=therapist)
    page = therapist_client.get(INBOX).content.decode()
    assert re.search(r"data-unread-clinic>2<", page)
    assert re.search(r"data-unread-mine>1<", page)
    assert "2 unread in the clinic" in page


def test_the_inbox_lists_threads_with_their_unread_count_and_warning_flag(
    therapist_client, patient, other_patient
):
    send_as_patient(patient=patient, body="I have a fever")
    send_as_patient(patient=other_patient, body="Thanks")
    page = therapist_client.get(INBOX).content.decode()
    assert "Paula Jones" in page and "Oscar Brown" in page
    assert page.count("Mentions a warning sign") == 1


def test_the_inbox_lists_many_threads_in_a_fixed_number_of_queries(
    therapist_client, clinic, django_assert_max_num_queries
):
    for n in range(30):
        send_as_patient(patient=make_patient(clinic, last_name=f"Many{n}"), body="Hi")
    # session, user, therapist, clinic, two-step gate, per therapist, names, threads, nav
    # count, the audit chain (lock, head, insert), the session's save (three)
    with django_assert_max_num_queries(15):
        page = therapist_client.get(INBOX).content.decode()
    assert page.count("Many") == 30


def test_another_clinic_sees_none_of_the_threads(other_clinic_therapist, client, patient):
    send_as_patient(patient=patient, body="Private")
    client.force_login(other_clinic_therapist)
    page = client.get(INBOX).content.decode()
    assert "Paula" not in page and "data-unread-clinic" not in page


def test_the_patient_page_shows_the_thread_flagged_with_an_answer_form(therapist_client, patient):
    send_as_patient(patient=patient, body="Both legs are numb")
    page = therapist_client.get(reverse("patients:detail", args=[patient.pk])).content.decode()
    assert "Both legs are numb" in page
    assert "Mentions a warning sign" in page
    assert 'for="id_body"' in page
    assert 'for="id_assign_therapist"' in page


def test_a_therapist_answers_and_the_thread_is_read(therapist_client, therapist, patient):
    question = send_as_patient(patient=patient, body="Is this normal?")
    response = therapist_client.post(reply_url(patient), {"body": "Yes, it is."})
    assert response.status_code == 302
    answer = Message.objects.get(patient=patient, author="clinic")
    assert answer.body == "Yes, it is." and answer.author_user == therapist
    question.refresh_from_db()
    assert question.read_at is not None


def test_an_empty_answer_is_a_form_error(therapist_client, patient):
    response = therapist_client.post(reply_url(patient), {"body": ""})
    assert response.status_code == 400
    assert "Write a message." in response.content.decode()


def test_mark_as_read_and_assign(therapist_client, patient, colleague):
    send_as_patient(patient=patient, body="Hello")
    therapist_client.post(reverse("messages:read", args=[patient.pk]))
    assert not Message.objects.filter(read_at__isnull=True).exists()
    therapist_client.post(
        reverse("messages:assign", args=[patient.pk]), {"therapist": colleague.pk}
    )
    assert Thread.objects.get(patient=patient).assigned_to == colleague


def test_another_clinics_therapist_cannot_assign_to_themself(
    therapist_client, patient, other_clinic_therapist
):
    send_as_patient(patient=patient, body="Hello")
    therapist_client.post(
        reverse("messages:assign", args=[patient.pk]), {"therapist": other_clinic_therapist.pk}
    )
    assert Thread.objects.get(patient=patient).assigned_to is None


@pytest.mark.parametrize("name", ["reply", "read", "assign"])
def test_another_clinics_patient_is_a_404(therapist_client, other_clinic_patient, name):
    response = therapist_client.post(
        reverse(f"messages:{name}", args=[other_clinic_patient.pk]), {"body": "Hi"}
    )
    assert response.status_code == 404
    assert not Message.objects.exists()


def test_the_writes_take_only_post(therapist_client, patient):
    assert therapist_client.get(reply_url(patient)).status_code == 405


def test_a_patient_cannot_answer_as_the_clinic(patient_client, patient):
    response = patient_client.post(reply_url(patient), {"body": "Hi"})
    assert response.status_code == 403
    assert not Message.objects.exists()
