"""Which reminders are due, and sending them: once, by the chosen channels, never in
quiet hours, never right after a log, never once the program ended or the patient was
archived."""

from datetime import UTC, datetime, time, timedelta

import pytest
from django.core import mail

from prescriptions.services import end_prescription, record_symptom_log
from reminders.models import Channel, ReminderPlan, SentReminder
from reminders.services import due_reminders, send_due, suggested_times
from tests.factories import make_patient, make_prescription

# The frozen clock starts at 14:00 UTC (tests/conftest.py); TIME_ZONE is UTC.
AT_NINE = datetime(2026, 3, 11, 9, 0, 30, tzinfo=UTC)


@pytest.fixture
def plan(patient, prescription):
    return ReminderPlan.objects.create(patient=patient, times=["09:00", "21:30"], by_email=True)


def log_now(patient, item, when):
    record_symptom_log(
        patient=patient,
        item=item,
        pain=3,
        location="central",
        during="no_effect",
        after="no_worse",
        sets_done=1,
        repetitions_done=10,
        logged_at=when,
    )


def test_a_reminder_is_due_at_its_time_and_sent_once_by_email(plan, patient):
    due = due_reminders(AT_NINE)
    assert [(d.patient_id, d.slot.hour, d.channel) for d in due] == [(patient.pk, 9, Channel.EMAIL)]
    assert send_due(due) == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [patient.email]
    assert "exercise" in mail.outbox[0].subject.lower()
    sent = SentReminder.objects.get()
    assert (sent.channel, sent.slot) == ("email", AT_NINE.replace(second=0))
    # Scanned again (the next minute, or by a second worker): nothing more goes out.
    assert due_reminders(AT_NINE + timedelta(minutes=1)) == []
    assert send_due(due) == 0
    assert len(mail.outbox) == 1


def test_nothing_is_due_between_reminder_times(plan):
    assert due_reminders(AT_NINE + timedelta(minutes=30)) == []
    assert due_reminders(AT_NINE - timedelta(minutes=5)) == []


@pytest.mark.hazard("H-08")
def test_a_time_in_quiet_hours_is_never_sent(plan):
    assert due_reminders(datetime(2026, 3, 11, 21, 30, 10, tzinfo=UTC)) == []


@pytest.mark.hazard("H-08")
def test_quiet_hours_are_the_patients_own(plan, patient):
    assert len(due_reminders(AT_NINE)) == 1
    patient.wake_start = time(9, 30)
    patient.save(update_fields=["wake_start"])
    assert due_reminders(AT_NINE) == []


def test_a_patient_who_just_logged_gets_no_reminder(plan, patient, item):
    log_now(patient, item, AT_NINE - timedelta(minutes=20))
    assert due_reminders(AT_NINE) == []


def test_a_log_long_before_does_not_stop_the_reminder(plan, patient, item):
    log_now(patient, item, AT_NINE - timedelta(hours=3))
    assert len(due_reminders(AT_NINE)) == 1


def test_a_log_between_scan_and_send_stops_the_send(plan, patient, item):
    due = due_reminders(AT_NINE)
    log_now(patient, item, AT_NINE)
    assert send_due(due) == 0
    assert mail.outbox == []


@pytest.mark.hazard("H-08")
def test_reminders_stop_when_the_program_ends(plan, prescription):
    end_prescription(prescription=prescription)
    assert due_reminders(AT_NINE) == []


@pytest.mark.hazard("H-08")
def test_reminders_stop_when_the_patient_is_archived(plan, patient):
    patient.archived = True
    patient.save(update_fields=["archived"])
    assert due_reminders(AT_NINE) == []


def test_reminders_with_every_channel_off_are_not_due(plan):
    plan.by_email = False
    plan.save()
    assert due_reminders(AT_NINE) == []


def test_a_push_reminder_needs_a_device(plan, patient, vapid):
    plan.by_email, plan.by_push = False, True
    plan.save()
    due = due_reminders(AT_NINE)
    assert [d.channel for d in due] == ["push"]
    assert send_due(due) == 0  # no device subscribed: nothing sent, nothing recorded
    assert not SentReminder.objects.exists()


def test_no_push_reminder_is_due_on_a_site_without_vapid_keys(plan, settings):
    settings.VAPID_PRIVATE_KEY = ""
    plan.by_email, plan.by_push = False, True
    plan.save()
    assert due_reminders(AT_NINE) == []


def test_times_are_pre_set_from_the_prescription_within_waking_hours(clinic, therapist):
    patient = make_patient(clinic)
    prescription = make_prescription(patient, therapist)
    prescription.items.update(times_per_day=None, every_hours=2)
    # Every two hours is six sessions, as adherence counts them: one reminder a slot.
    assert suggested_times(patient) == ["08:00", "10:00", "12:00", "14:00", "16:00", "18:00"]
    prescription.items.update(times_per_day=3, every_hours=None)
    assert suggested_times(patient) == ["08:00", "12:00", "16:00"]
    prescription.items.update(times_per_day=1)
    assert suggested_times(patient) == ["09:00"]


def test_times_follow_the_patients_own_waking_hours(clinic, therapist):
    patient = make_patient(clinic, wake_start=time(6, 0), wake_end=time(22, 0))
    prescription = make_prescription(patient, therapist)
    prescription.items.update(times_per_day=4, every_hours=None)
    assert suggested_times(patient) == ["06:00", "10:00", "14:00", "18:00"]


class PushService:
    """A stand-in for a browser's push service on 127.0.0.1: records what it receives
    and answers with the status it is given (201 delivered, 410 unsubscribed)."""

    def __init__(self, status: int) -> None:
        import threading
        from http.server import BaseHTTPRequestHandler, HTTPServer

        received = self.received = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                received.append((dict(self.headers), body))
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/push/device-1"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()


@pytest.fixture
def vapid(settings, tmp_path):
    from py_vapid import Vapid

    key = Vapid()
    key.generate_keys()
    key.save_key(str(tmp_path / "private_key.pem"))
    settings.VAPID_PRIVATE_KEY = str(tmp_path / "private_key.pem")
    settings.VAPID_SUBJECT = "mailto:admin@example.test"


def device_keys() -> dict:
    import base64
    import os

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    public = ec.generate_private_key(ec.SECP256R1()).public_key()
    raw = public.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    encode = lambda data: base64.urlsafe_b64encode(data).rstrip(b"=").decode()  # noqa: E731
    return {"p256dh": encode(raw), "auth": encode(os.urandom(16))}


@pytest.mark.parametrize("status", [201, 410])
def test_a_push_reminder_reaches_the_device_and_a_gone_device_is_forgotten(
    plan, patient, vapid, status, settings
):
    from reminders.models import PushSubscription

    settings.PUSH_SERVICE_HOSTS = ["127.0.0.1"]  # this test's stand-in push service
    service = PushService(status)
    try:
        keys = device_keys()
        PushSubscription.objects.create(
            patient=patient, endpoint=service.url, p256dh=keys["p256dh"], auth=keys["auth"]
        )
        plan.by_email, plan.by_push = False, True
        plan.save()
        sent = send_due(due_reminders(AT_NINE))
    finally:
        service.close()
    assert len(service.received) == 1
    headers, body = service.received[0]
    headers = {name.lower(): value for name, value in headers.items()}
    assert headers["content-encoding"] == "aes128gcm"
    assert headers["authorization"].startswith("vapid ")
    assert body  # encrypted: the push service never reads the reminder
    if status == 201:
        assert sent == 1
        assert SentReminder.objects.get().channel == "push"
        assert PushSubscription.objects.exists()
    else:
        assert sent == 0
        assert not SentReminder.objects.exists()
        assert not PushSubscription.objects.exists()


def test_a_stored_subscription_at_an_unknown_host_is_never_sent_to_and_is_forgotten(
    plan, patient, vapid
):
    """Say a subscription was stored before the allow-list, pointing inside the network."""
    from reminders.models import PushSubscription

    service = PushService(201)
    try:
        keys = device_keys()
        PushSubscription.objects.create(
            patient=patient, endpoint=service.url, p256dh=keys["p256dh"], auth=keys["auth"]
        )
        plan.by_email, plan.by_push = False, True
        plan.save()
        sent = send_due(due_reminders(AT_NINE))
    finally:
        service.close()
    assert service.received == []
    assert sent == 0
    assert not PushSubscription.objects.exists()
