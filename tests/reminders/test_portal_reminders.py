"""The portal's reminder page, the private calendar feed, and what makes the portal an
installable app (manifest, service worker, icons)."""

import json

import pytest
from django.urls import reverse
from icalendar import Calendar

from prescriptions.services import end_prescription
from reminders.models import PushSubscription, ReminderPlan
from reminders.services import suggested_times


@pytest.mark.django_db
def test_the_page_pre_sets_times_from_the_program_and_saves_the_choice(
    patient_client, patient, prescription
):
    page = patient_client.get(reverse("portal:reminders"))
    assert page.status_code == 200
    for value in suggested_times(patient)[:6]:  # spread over the day, as the program asks
        assert f'value="{value}"' in page.content.decode()
    assert not ReminderPlan.objects.exists()  # nothing is on until the patient says so

    response = patient_client.post(
        reverse("portal:reminders"), {"time_1": "09:00", "time_2": "18:30", "by_email": "on"}
    )
    assert response.status_code == 302
    plan = ReminderPlan.objects.get(patient=patient)
    assert (plan.times, plan.by_email, plan.by_push) == (["09:00", "18:30"], True, False)


@pytest.mark.django_db
def test_a_time_in_quiet_hours_is_a_form_error_and_nothing_is_saved(patient_client, prescription):
    response = patient_client.post(
        reverse("portal:reminders"), {"time_1": "23:15", "by_email": "on"}
    )
    assert response.status_code == 400
    assert "Choose a time between 08:00 and 20:00." in response.content.decode()
    assert not ReminderPlan.objects.exists()


@pytest.mark.django_db
def test_phone_notifications_are_saved_only_where_the_server_can_send_them(
    patient_client, patient, prescription, settings
):
    settings.VAPID_PUBLIC_KEY = ""
    data = {"time_1": "09:00", "by_email": "on", "by_push": "on"}
    assert patient_client.post(reverse("portal:reminders"), data).status_code == 302
    assert ReminderPlan.objects.get(patient=patient).by_push is False
    settings.VAPID_PUBLIC_KEY = "BPublicKeyOfTheServer"
    assert patient_client.post(reverse("portal:reminders"), data).status_code == 302
    assert ReminderPlan.objects.get(patient=patient).by_push is True


@pytest.mark.django_db
def test_the_therapist_sees_whether_reminders_are_on(therapist_client, patient, prescription):
    url = reverse("patients:detail", args=[patient.pk])
    assert "Reminders off" in therapist_client.get(url).content.decode()
    ReminderPlan.objects.create(patient=patient, times=["09:00"], by_email=True)
    page = therapist_client.get(url).content.decode()
    assert "Reminders on" in page
    assert "09:00" in page


@pytest.mark.django_db
def test_the_calendar_feed_parses_and_a_switched_off_address_answers_404(
    client, patient_client, patient, prescription
):
    patient_client.post(reverse("portal:reminders"), {"time_1": "08:30", "time_2": "17:00"})
    patient_client.post(reverse("portal:reminders_calendar"), {"feed": "on"})
    token = ReminderPlan.objects.get(patient=patient).calendar_token
    assert token
    client.logout()
    response = client.get(reverse("portal:calendar_feed", kwargs={"token": token}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    starts = sorted(event.decoded("dtstart").strftime("%H:%M") for event in events)
    assert starts == ["08:30", "17:00"]
    assert all(event.decoded("rrule")["FREQ"] == ["DAILY"] for event in events)
    assert all(event.walk("VALARM") for event in events)

    patient_client.force_login(patient.user)
    patient_client.post(reverse("portal:reminders_calendar"), {"feed": "off"})
    client.logout()
    assert client.get(reverse("portal:calendar_feed", kwargs={"token": token})).status_code == 404
    assert client.get("/portal/calendar/made-up.ics").status_code == 404


@pytest.mark.django_db
def test_the_feed_has_no_events_once_the_program_ends(client, patient, prescription):
    plan = ReminderPlan.objects.create(patient=patient, times=["09:00"])
    token = plan.new_calendar_token()
    plan.save()
    end_prescription(prescription=prescription)
    response = client.get(reverse("portal:calendar_feed", kwargs={"token": token}))
    assert Calendar.from_ical(response.content).walk("VEVENT") == []


@pytest.mark.django_db
def test_manifest_and_service_worker_are_served_with_their_types(client):
    manifest = client.get(reverse("portal:manifest"))
    assert manifest["Content-Type"] == "application/manifest+json"
    data = json.loads(manifest.content)
    assert data["start_url"] == "/portal/" and data["display"] == "standalone"
    for icon in data["icons"]:
        image = client.get(icon["src"])
        assert image.status_code == 200
        assert b"".join(image.streaming_content)[:8] == b"\x89PNG\r\n\x1a\n"
    worker = client.get(reverse("portal:service_worker"))
    assert worker.status_code == 200
    assert worker["Content-Type"].startswith("text/javascript")
    assert worker["Service-Worker-Allowed"] == "/portal/"
    assert b"showNotification" in worker.content


@pytest.mark.django_db
def test_a_device_subscription_is_stored_and_junk_is_a_400(patient_client, patient):
    url = reverse("portal:push_subscribe")
    junk = patient_client.post(url, "not json", content_type="application/json")
    assert junk.status_code == 400
    plain_http = {"endpoint": "http://push.example/x", "keys": {"p256dh": "a", "auth": "b"}}
    assert patient_client.post(url, plain_http, content_type="application/json").status_code == 400
    good = {
        "endpoint": "https://fcm.googleapis.com/fcm/send/abc",
        "keys": {"p256dh": "key", "auth": "secret"},
    }
    assert patient_client.post(url, good, content_type="application/json").status_code == 201
    assert PushSubscription.objects.get().patient == patient


@pytest.mark.django_db
@pytest.mark.parametrize(
    "endpoint",
    [
        "https://push.example/abc",  # not a push service
        "https://169.254.169.254/latest/meta-data",  # the cloud's metadata address
        "https://localhost/admin",
        "https://fcm.googleapis.com.evil.example/x",
        "https://fcm.googleapis.com:8443/x",
        "https://user@fcm.googleapis.com/x",
        "http://fcm.googleapis.com/x",
        "https://notify.windows.com.example/x",
    ],
)
def test_a_subscription_outside_the_known_push_services_is_refused(
    patient_client, patient, endpoint
):
    info = {"endpoint": endpoint, "keys": {"p256dh": "key", "auth": "secret"}}
    response = patient_client.post(
        reverse("portal:push_subscribe"), info, content_type="application/json"
    )
    assert response.status_code == 400
    assert not PushSubscription.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "endpoint",
    [
        "https://updates.push.services.mozilla.com/wpush/v2/abc",
        "https://web.push.apple.com/QGx",
        "https://wns2-par02p.notify.windows.com/w/?token=abc",
    ],
)
def test_the_browsers_push_services_are_accepted(patient_client, endpoint):
    info = {"endpoint": endpoint, "keys": {"p256dh": "key", "auth": "secret"}}
    response = patient_client.post(
        reverse("portal:push_subscribe"), info, content_type="application/json"
    )
    assert response.status_code == 201


@pytest.mark.django_db
def test_an_allow_list_setting_admits_a_clinics_own_push_relay(patient_client, settings):
    settings.PUSH_SERVICE_HOSTS = ["push.clinic.example"]
    info = {"endpoint": "https://push.clinic.example/x", "keys": {"p256dh": "k", "auth": "s"}}
    response = patient_client.post(
        reverse("portal:push_subscribe"), info, content_type="application/json"
    )
    assert response.status_code == 201


@pytest.mark.django_db
def test_revoking_portal_access_ends_the_feed_push_and_reminders(
    client, patient, prescription, django_capture_on_commit_callbacks
):
    plan = ReminderPlan.objects.create(
        patient=patient, times=["09:00"], by_email=True, by_push=True
    )
    token = plan.new_calendar_token()
    plan.save()
    PushSubscription.objects.create(
        patient=patient, endpoint="https://fcm.googleapis.com/fcm/send/x", p256dh="k", auth="s"
    )
    assert client.get(reverse("portal:calendar_feed", kwargs={"token": token})).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        patient.revoke_portal_access()

    assert client.get(reverse("portal:calendar_feed", kwargs={"token": token})).status_code == 404
    assert not PushSubscription.objects.filter(patient=patient).exists()
    plan.refresh_from_db()
    assert (plan.by_email, plan.by_push, plan.calendar_token) == (False, False, None)
    assert plan.times == ["09:00"]  # kept for a new invitation
