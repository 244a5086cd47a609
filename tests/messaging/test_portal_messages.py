"""The portal's Messages page: the thread, the composer and the safety-check prompt."""

from django.urls import reverse

from messaging.models import Message
from messaging.services import send_as_clinic, send_as_patient
from prescriptions.services import record_red_flag_check

URL = reverse("portal:messages")


def test_the_composer_says_when_to_expect_an_answer_and_that_it_is_not_for_emergencies(
    patient_client, patient, clinic
):
    clinic.message_reply_hours = 24
    clinic.emergency_number = "999"
    clinic.phone = "+44 20 7946 0000"
    clinic.save()
    page = patient_client.get(URL).content.decode()
    assert "We answer within 24 hours." in page
    assert "Messages are not for emergencies." in page
    assert "Seek urgent medical care now" in page
    assert 'href="tel:999"' in page
    assert 'href="tel:+442079460000"' in page
    assert "no photos or files" in page
    assert '<label for="id_body">' in page


def test_a_patient_sends_a_message_and_sees_it_in_the_thread(patient_client, patient):
    response = patient_client.post(URL, {"body": "Is this ache normal?"})
    assert response.status_code == 302
    message = Message.objects.get(patient=patient)
    assert message.body == "Is this ache normal?"
    page = patient_client.get(URL).content.decode()
    assert "Is this ache normal?" in page
    assert "not read yet" in page
    assert "Please take the safety check now" not in page


def test_an_empty_message_is_a_form_error(patient_client, patient):
    response = patient_client.post(URL, {"body": "   "})
    assert response.status_code == 400
    assert "Write a message." in response.content.decode()
    assert not Message.objects.exists()


def test_a_warning_sign_prompts_the_safety_check_until_it_is_taken(patient_client, patient):
    patient_client.post(URL, {"body": "My leg is getting weaker"})
    page = patient_client.get(URL).content.decode()
    assert "Please take the safety check now" in page
    assert reverse("portal:red_flags") + "?next=%2Fportal%2Fmessages%2F" in page
    record_red_flag_check(patient=patient, answered_yes=[])
    assert "Please take the safety check now" not in patient_client.get(URL).content.decode()


def test_a_warning_sign_in_spanish_prompts_the_check_in_spanish(patient_client, patient):
    patient.preferred_language = "es"
    patient.save()
    patient_client.post(URL, {"body": "Desde ayer no controlo bien la vejiga"})
    page = patient_client.get(URL).content.decode()
    assert "Haga ahora el control de seguridad" in page
    assert Message.objects.get(patient=patient).flagged


def test_opening_the_page_marks_the_clinics_answers_read(patient_client, patient, therapist):
    answer = send_as_clinic(patient=patient, body="Keep going.", by=therapist)
    assert "Keep going." in patient_client.get(URL).content.decode()
    answer.refresh_from_db()
    assert answer.read_at is not None


def test_a_patient_never_sees_another_patients_messages(patient_client, other_patient):
    send_as_patient(patient=other_patient, body="Oscar's own question")
    assert "Oscar" not in patient_client.get(URL).content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_a_therapist_is_sent_to_the_dashboard(therapist_client):
    assert therapist_client.get(URL).status_code == 302


def test_the_page_takes_only_get_and_post(patient_client):
    assert patient_client.put(URL).status_code == 405
