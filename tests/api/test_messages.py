"""Messages in the REST API: read threads and messages, send as the clinic, mark read."""

from django.core import mail

from clinics.models import AuditEvent
from messaging.models import Message, Thread
from messaging.services import send_as_patient


def test_a_clinic_system_reads_the_threads_and_messages(api, patient):
    question = send_as_patient(patient=patient, body="I have a fever")
    threads = api.get("/api/v1/message-threads/").json()["results"]
    assert [(t["patient"], t["unread"], t["unread_flagged"]) for t in threads] == [
        (patient.pk, 1, 1)
    ]
    messages = api.get("/api/v1/messages/", {"patient": patient.pk}).json()["results"]
    assert messages[0]["body"] == "I have a fever"
    assert messages[0]["author"] == "patient"
    assert messages[0]["flagged"] is True and messages[0]["warning_signs"] == ["fever"]
    one = api.get(f"/api/v1/messages/{question.pk}/").json()
    assert one["id"] == question.pk
    assert AuditEvent.objects.filter(object_type="message", action="view").exists()


def test_a_clinic_system_sends_a_message_as_the_clinic(
    api, patient, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            "/api/v1/messages/", {"patient": patient.pk, "body": "See you Monday"}, format="json"
        )
    assert response.status_code == 201
    message = Message.objects.get(pk=response.json()["id"])
    assert message.author == "clinic" and message.author_name == patient.clinic.name
    assert [email.to for email in mail.outbox] == [[patient.email]]
    assert "Monday" not in mail.outbox[0].body
    event = AuditEvent.objects.get(object_type="message", action="create")
    assert event.actor_label == "api-key:EHR sync"


def test_a_bad_message_is_a_400_with_field_errors(api, patient, other_clinic_patient):
    response = api.post("/api/v1/messages/", {"patient": patient.pk, "body": ""}, format="json")
    assert response.status_code == 400
    assert "body" in response.json()["errors"] or "body" in str(response.json())
    response = api.post(
        "/api/v1/messages/", {"patient": other_clinic_patient.pk, "body": "Hi"}, format="json"
    )
    assert response.status_code == 400
    assert "patient" in str(response.json())
    assert not Message.objects.exists()


def test_marking_a_thread_read(api, patient):
    send_as_patient(patient=patient, body="Hello")
    thread = Thread.objects.get(patient=patient)
    response = api.post(f"/api/v1/message-threads/{thread.pk}/read/")
    assert response.status_code == 200
    assert response.json()["unread"] == 0
    assert not Message.objects.filter(read_at__isnull=True).exists()


def test_another_clinics_threads_and_messages_are_404(other_api, patient):
    message = send_as_patient(patient=patient, body="Private")
    assert other_api.get(f"/api/v1/messages/{message.pk}/").status_code == 404
    assert other_api.get(f"/api/v1/message-threads/{message.thread_id}/").status_code == 404
    assert other_api.post(f"/api/v1/message-threads/{message.thread_id}/read/").status_code == 404
    assert other_api.get("/api/v1/messages/").json()["results"] == []


def test_a_read_only_key_cannot_send(read_only_api, patient):
    response = read_only_api.post(
        "/api/v1/messages/", {"patient": patient.pk, "body": "Hi"}, format="json"
    )
    assert response.status_code == 403


def test_the_message_list_costs_the_same_queries_for_many(
    api, clinic, django_assert_max_num_queries
):
    from tests.factories import make_patient

    for n in range(20):
        send_as_patient(patient=make_patient(clinic), body=f"Question {n}")
    with django_assert_max_num_queries(12):
        response = api.get("/api/v1/messages/", {"page_size": 100})
    assert len(response.json()["results"]) == 20
