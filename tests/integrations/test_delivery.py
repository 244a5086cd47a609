"""Delivery to a real HTTP receiver on 127.0.0.1: signed, retried with backoff, in
order per patient, given up after the set attempts, and never to a private address
unless the setting allows it."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from integrations.delivery import (
    UnsafeDestination,
    check_destination,
    deliver_queue,
    due_queues,
    signed_headers,
)
from integrations.events import record_events
from integrations.models import Delivery, Endpoint, Event


def emit(patient, resource_id: int, event_type: str = "log.recorded") -> Event:
    (event,) = record_events(
        event_type=event_type,
        patient_id=patient.pk,
        resource="symptom_log",
        resource_ids=[resource_id],
    )
    return event


def run(endpoint, patient, now=None):
    return deliver_queue(endpoint_id=endpoint.pk, patient_id=patient.pk, now=now)


def sent_ids(receiver) -> list[int]:
    return [json.loads(r["body"])["data"]["resource"]["id"] for r in receiver.requests]


@pytest.fixture
def quiet_patient(patient, endpoint):
    """Paula, with the events of her own setup already sent."""
    Delivery.objects.all().delete()
    return patient


def test_it_posts_the_event_signed_so_the_library_verifies_it(endpoint, quiet_patient, receiver):
    event = emit(quiet_patient, 41)

    assert run(endpoint, quiet_patient) is None

    (request,) = receiver.requests
    assert request["path"] == "/hooks/centra"
    headers = {name.lower(): value for name, value in request["headers"].items()}
    assert headers["webhook-id"] == event.webhook_id
    assert headers["content-type"] == "application/json"
    verified = Webhook(endpoint.secret).verify(request["body"], headers)
    assert verified["type"] == "log.recorded" and verified["id"] == event.webhook_id
    with pytest.raises(WebhookVerificationError):
        Webhook(Endpoint(clinic_id=endpoint.clinic_id).secret).verify(request["body"], headers)
    delivery = Delivery.objects.get(event=event)
    assert delivery.status == "delivered" and delivery.attempts == 1
    assert delivery.last_status_code == 200 and delivery.delivered_at is not None


def test_the_signature_is_the_documented_scheme():
    """The example of the Standard Webhooks specification, signed by our helper."""
    from datetime import UTC, datetime

    headers = signed_headers(
        secret="whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        webhook_id="msg_p5jXN8AQM9LWM0D4loKWxJek",
        body='{"test": 2432232314}',
        at=datetime.fromtimestamp(1614265330, tz=UTC),
    )

    assert headers == {
        "webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
        "webhook-timestamp": "1614265330",
        "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    }


def test_a_500_is_retried_later_with_a_growing_wait(endpoint, quiet_patient, receiver, settings):
    settings.WEBHOOK_RETRY_SECONDS = 30
    receiver.answers = [500, 503]
    emit(quiet_patient, 41)
    now = timezone.now()

    retry_at = run(endpoint, quiet_patient, now=now)

    delivery = Delivery.objects.get()
    assert delivery.status == "pending" and delivery.attempts == 1
    assert delivery.last_status_code == 500
    assert retry_at == delivery.next_attempt_at == now + timedelta(seconds=30)
    assert run(endpoint, quiet_patient, now=now + timedelta(seconds=29)) is None
    assert len(receiver.requests) == 1  # not due yet

    second = run(endpoint, quiet_patient, now=now + timedelta(seconds=30))
    assert second == now + timedelta(seconds=30 + 60)
    run(endpoint, quiet_patient, now=now + timedelta(seconds=90))

    delivery.refresh_from_db()
    assert delivery.status == "delivered" and delivery.attempts == 3
    assert len(receiver.requests) == 3
    # Every attempt carries the same event id, for the receiver to de-duplicate on.
    assert len({r["headers"]["webhook-id"] for r in receiver.requests}) == 1


def test_it_gives_up_after_the_set_attempts(endpoint, quiet_patient, receiver, settings):
    settings.WEBHOOK_ATTEMPTS = 2
    receiver.answers = [500, 500, 500]
    emit(quiet_patient, 41)
    now = timezone.now()

    run(endpoint, quiet_patient, now=now)
    assert run(endpoint, quiet_patient, now=now + timedelta(hours=1)) is None

    delivery = Delivery.objects.get()
    assert delivery.status == "failed" and delivery.attempts == 2
    assert len(receiver.requests) == 2


def test_a_patients_next_event_waits_for_the_one_before(
    endpoint, quiet_patient, other_patient, receiver, settings
):
    settings.WEBHOOK_RETRY_SECONDS = 10
    Delivery.objects.all().delete()
    receiver.answers = [500]
    emit(quiet_patient, 1)
    emit(quiet_patient, 2)
    emit(other_patient, 3)
    now = timezone.now()

    run(endpoint, quiet_patient, now=now)
    run(endpoint, other_patient, now=now)

    # Paula's first failed, so her second waits; Oscar's queue is his own.
    assert sent_ids(receiver) == [1, 3]
    assert Delivery.objects.get(event__payload__data__resource__id=2).attempts == 0

    run(endpoint, quiet_patient, now=now + timedelta(seconds=10))

    assert sent_ids(receiver) == [1, 3, 1, 2]
    assert set(Delivery.objects.values_list("status", flat=True)) == {"delivered"}


def test_a_given_up_event_lets_the_next_one_go(endpoint, quiet_patient, receiver, settings):
    settings.WEBHOOK_ATTEMPTS = 1
    receiver.answers = [500]
    emit(quiet_patient, 1)
    emit(quiet_patient, 2)

    run(endpoint, quiet_patient)

    assert sent_ids(receiver) == [1, 2]
    assert list(Delivery.objects.order_by("event_id").values_list("status", flat=True)) == [
        "failed",
        "delivered",
    ]


def test_a_delivery_another_worker_holds_is_not_sent_twice(endpoint, quiet_patient, receiver):
    emit(quiet_patient, 1)
    now = timezone.now()
    Delivery.objects.update(claimed_until=now + timedelta(seconds=30))

    assert run(endpoint, quiet_patient, now=now) is None
    assert receiver.requests == []
    assert due_queues(now) == []
    assert due_queues(now + timedelta(seconds=31)) == [(endpoint.pk, quiet_patient.pk)]


def test_a_private_address_is_refused_at_delivery_when_not_allowed(
    endpoint, quiet_patient, receiver, settings
):
    endpoint.url = receiver.url.replace("http://", "https://")
    endpoint.save()
    emit(quiet_patient, 1)
    settings.WEBHOOK_ALLOW_PRIVATE = False

    run(endpoint, quiet_patient)

    assert receiver.requests == []
    delivery = Delivery.objects.get()
    assert delivery.status == "pending" and delivery.attempts == 1
    assert "private, loopback or link-local address (127.0.0.1)" in delivery.last_error


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",
        "https://localhost/hook",
        "https://10.1.2.3/hook",
        "https://192.168.0.10/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/hook",
        "https://[::ffff:10.0.0.1]/hook",
        "https://100.64.0.1/hook",
    ],
)
def test_private_loopback_and_link_local_addresses_are_refused(url, settings):
    settings.WEBHOOK_ALLOW_PRIVATE = False

    with pytest.raises(UnsafeDestination, match="private, loopback or link-local"):
        check_destination(url)


def test_plain_http_and_credentials_are_refused(settings):
    settings.WEBHOOK_ALLOW_PRIVATE = False

    with pytest.raises(UnsafeDestination, match="https://"):
        check_destination("http://93.184.215.14/hook")
    with pytest.raises(UnsafeDestination, match="user name"):
        check_destination("https://user:pw@93.184.215.14/hook")
    assert check_destination("https://93.184.215.14/hook") == ["93.184.215.14"]


def test_a_host_name_is_resolved_and_the_checked_address_called_with_its_host_header(
    endpoint, quiet_patient, receiver
):
    port = receiver.server.server_address[1]
    endpoint.url = f"http://localhost:{port}/hooks/centra?clinic=harbour"
    endpoint.save()
    emit(quiet_patient, 5)

    run(endpoint, quiet_patient)

    (request,) = receiver.requests
    headers = {name.lower(): value for name, value in request["headers"].items()}
    assert headers["host"] == f"localhost:{port}"
    assert request["path"] == "/hooks/centra?clinic=harbour"
    assert Delivery.objects.get().status == "delivered"


def test_an_endpoint_nobody_listens_on_is_a_failed_attempt(quiet_patient, clinic, allow_private):
    closed = Endpoint.objects.create(
        clinic=clinic, url="http://127.0.0.1:9/hook", events=["log.recorded"]
    )
    emit(quiet_patient, 5)

    deliver_queue(endpoint_id=closed.pk, patient_id=quiet_patient.pk)

    delivery = Delivery.objects.get(endpoint=closed)
    assert delivery.status == "pending" and delivery.attempts == 1
    assert delivery.last_status_code is None and "ConnectError" in delivery.last_error
