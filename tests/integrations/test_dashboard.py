"""The clinic administrator's webhooks pages: add an endpoint (secret shown once),
refuse unsafe URLs, the delivery log with "resend", and another clinic's 404."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from standardwebhooks.webhooks import Webhook

from api.models import create_api_key
from clinics.models import AuditEvent
from integrations.events import record_events
from integrations.models import Delivery, Endpoint
from tests.api.conftest import client_with
from tests.api.logs import answers
from tests.factories import make_therapist

URL = "/webhooks/"


def detail(endpoint) -> str:
    return f"/webhooks/{endpoint.pk}/"


def test_it_adds_an_endpoint_and_shows_its_secret_once(therapist_client, therapist, receiver):
    response = therapist_client.post(
        URL,
        {
            "url": receiver.url,
            "description": "EHR sync",
            "events": ["alert.raised", "log.recorded"],
        },
    )

    endpoint = Endpoint.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(endpoint)
    assert endpoint.events == ["alert.raised", "log.recorded"]
    assert endpoint.created_by == therapist and endpoint.description == "EHR sync"
    shown = therapist_client.get(detail(endpoint))
    assert endpoint.secret in shown.content.decode()
    assert "Copy the signing secret now" in shown.content.decode()
    assert "no-store" in shown["Cache-Control"]
    again = therapist_client.get(detail(endpoint))
    assert endpoint.secret not in again.content.decode()
    assert AuditEvent.objects.filter(
        action="create", object_type="webhook_endpoint", object_id=str(endpoint.pk)
    ).exists()
    listing = therapist_client.get(URL).content.decode()
    assert receiver.url in listing and "Alert raised, Symptom log recorded" in listing


@pytest.mark.parametrize(
    ("url", "error"),
    [
        ("https://127.0.0.1/hook", "private, loopback or link-local"),
        ("https://10.0.0.8/hook", "private, loopback or link-local"),
        ("https://169.254.169.254/", "private, loopback or link-local"),
        ("http://93.184.215.14/hook", "must start with https://"),
        ("not a url", "Enter a valid URL."),
    ],
)
def test_it_refuses_an_unsafe_or_invalid_url_with_a_form_error(therapist_client, url, error):
    response = therapist_client.post(URL, {"url": url, "events": ["alert.raised"]})

    assert response.status_code == 400
    assert error in response.content.decode()
    assert not Endpoint.objects.exists()


def test_it_needs_at_least_one_event(therapist_client, receiver):
    response = therapist_client.post(URL, {"url": receiver.url})

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


def test_it_lists_this_clinics_endpoints_only(therapist_client, endpoint, other_clinic):
    Endpoint.objects.create(clinic=other_clinic, url="https://hillside.example.test/", events=[])

    page = therapist_client.get(URL).content.decode()

    assert endpoint.url in page and "hillside" not in page


def test_the_settings_page_links_to_the_webhooks(therapist_client):
    page = therapist_client.get("/clinic/settings/").content.decode()

    assert 'href="/webhooks/"' in page


def test_the_delivery_log_shows_status_attempts_and_last_answer(
    therapist_client, endpoint, patient, receiver, django_assert_max_num_queries
):
    Delivery.objects.all().delete()
    receiver.answers = [500]
    for resource_id in (1, 2, 3):
        record_events(
            event_type="log.recorded",
            patient_id=patient.pk,
            resource="symptom_log",
            resource_ids=[resource_id],
        )
    from integrations.delivery import deliver_queue

    deliver_queue(endpoint_id=endpoint.pk, patient_id=patient.pk)

    with django_assert_max_num_queries(12):
        response = therapist_client.get(detail(endpoint))

    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("<td>Symptom log recorded<br>") == 3
    assert "Waiting" in page and "500" in page and "The endpoint answered 500." in page
    assert "Not yet" in page


def test_resend_sends_the_same_event_again(
    therapist_client, endpoint, patient, receiver, django_capture_on_commit_callbacks
):
    Delivery.objects.all().delete()
    (event,) = record_events(
        event_type="log.recorded", patient_id=patient.pk, resource="symptom_log", resource_ids=[9]
    )
    from integrations.delivery import deliver_queue

    deliver_queue(endpoint_id=endpoint.pk, patient_id=patient.pk)
    delivery = Delivery.objects.get()
    assert delivery.status == "delivered" and len(receiver.requests) == 1
    page = therapist_client.get(detail(endpoint)).content.decode()
    resend = f"/webhooks/{endpoint.pk}/deliveries/{delivery.pk}/resend/"
    assert f'action="{resend}"' in page

    with django_capture_on_commit_callbacks(execute=True):
        response = therapist_client.post(resend)

    assert response.status_code == 302 and response["Location"] == detail(endpoint)
    assert len(receiver.requests) == 2
    assert receiver.requests[1]["headers"]["webhook-id"] == event.webhook_id
    delivery.refresh_from_db()
    assert delivery.status == "delivered" and delivery.attempts == 1


def test_another_clinics_endpoint_and_delivery_answer_404(
    client, other_clinic_therapist, endpoint, patient
):
    (event,) = record_events(
        event_type="log.recorded", patient_id=patient.pk, resource="symptom_log", resource_ids=[9]
    )
    delivery = Delivery.objects.get(event=event)
    client.force_login(other_clinic_therapist)

    assert client.get(detail(endpoint)).status_code == 404
    assert client.post(f"{detail(endpoint)}delete/").status_code == 404
    resend = f"/webhooks/{endpoint.pk}/deliveries/{delivery.pk}/resend/"
    assert client.post(resend).status_code == 404
    assert Endpoint.objects.filter(pk=endpoint.pk).exists()


def test_a_delivery_under_another_endpoint_of_the_clinic_answers_404(
    therapist_client, endpoint, clinic, patient
):
    other = Endpoint.objects.create(clinic=clinic, url="https://b.example.test/", events=[])
    (event,) = record_events(
        event_type="log.recorded", patient_id=patient.pk, resource="symptom_log", resource_ids=[9]
    )
    delivery = Delivery.objects.get(event=event)

    response = therapist_client.post(f"/webhooks/{other.pk}/deliveries/{delivery.pk}/resend/")

    assert response.status_code == 404


def test_removing_an_endpoint_deletes_it_and_its_log(therapist_client, endpoint):
    response = therapist_client.post(f"{detail(endpoint)}delete/")

    assert response.status_code == 302 and response["Location"] == URL
    assert not Endpoint.objects.exists()
    assert AuditEvent.objects.filter(action="delete", object_type="webhook_endpoint").exists()


def test_a_therapist_who_is_not_an_administrator_is_refused(client, clinic, endpoint):
    client.force_login(make_therapist(clinic, "nadia"))

    assert client.get(URL).status_code == 403
    assert client.get(detail(endpoint)).status_code == 403


def test_anonymous_is_sent_to_sign_in_and_wrong_methods_answer_405(therapist_client, endpoint):
    assert Client().get(URL).status_code == 302
    assert therapist_client.post(detail(endpoint)).status_code == 405
    assert therapist_client.get(f"{detail(endpoint)}delete/").status_code == 405


def test_a_clinic_system_gets_the_log_it_posted_as_a_signed_webhook(
    therapist, clinic, item, receiver, django_capture_on_commit_callbacks
):
    """The whole path as its users meet it: the administrator adds the endpoint through
    the real form with CSRF checked, a clinic system posts a log through the REST API,
    and the receiver gets it, signed with the secret the page showed."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(therapist)
    form = browser.get(URL).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    assert browser.post(URL, {"url": receiver.url, "events": ["log.recorded"]}).status_code == 403
    added = browser.post(
        URL,
        {"url": receiver.url, "events": ["log.recorded"], "csrfmiddlewaretoken": token},
        follow=True,
    )
    _key, raw_key = create_api_key(clinic=clinic, name="EHR sync")
    secret = re.search(r'id="new-secret" value="([^"]+)"', added.content.decode()).group(1)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_with(raw_key).post("/api/v1/symptom-logs/", answers(item), format="json")

    assert response.status_code == 201
    (request,) = receiver.requests
    body = Webhook(secret).verify(request["body"], request["headers"])
    assert body["type"] == "log.recorded"
    assert body["data"]["resource"]["id"] == response.json()["id"]
    assert json.loads(request["body"]) == body
    assert Delivery.objects.get().status == "delivered"
    assert Endpoint.objects.get().events == ["log.recorded"]
