"""Reminder times and the patient's waking hours follow one rule: a reminder comes only
within the hours. When the hours change, a time outside them moves to the nearest end
(the time of getting up, or bedtime) and the patient is told; the reminder page, the
calendar feed and the sending all use the moved time. The time the patient set is
kept: when the hours widen again, the reminder goes back to it."""

import re
from datetime import UTC, datetime, time

import pytest
from django.urls import reverse
from icalendar import Calendar

from prescriptions.services import set_waking_hours
from reminders.models import ReminderPlan
from reminders.services import due_reminders

REMINDERS = "/portal/reminders/"
HOURS = "/portal/hours/"


@pytest.fixture
def late_hours(patient, prescription):
    """Paula was up from 07:00 to 22:30 and chose reminders at both ends of the day."""
    set_waking_hours(patient=patient, wake_start=time(7, 0), wake_end=time(22, 30))
    return ReminderPlan.objects.create(
        patient=patient, times=["07:00", "12:00", "22:30"], by_email=True
    )


def form_values(page: str) -> dict[str, str]:
    """What the reminder form sends when the patient saves it unchanged."""
    time_input = r'<input type="time" name="(time_\d)"(?: value="([^"]*)")?'
    data = dict(re.findall(time_input, page))
    if re.search(r'<input type="checkbox" name="by_email"[^>]*checked', page):
        data["by_email"] = "on"
    return data


def feed_starts(client, plan) -> list[str]:
    response = client.get(reverse("portal:calendar_feed", kwargs={"token": plan.calendar_token}))
    events = Calendar.from_ical(response.content).walk("VEVENT")
    return sorted(event.decoded("dtstart").strftime("%H:%M") for event in events)


def test_the_hours_page_says_what_happens_to_the_reminders(patient_client, late_hours):
    page = patient_client.get(HOURS).content.decode()
    assert "Your reminders are at 07:00, 12:00, 22:30." in page
    assert "moves to the nearest time you are awake" in page
    # And what happens to the sessions already logged.
    assert "New hours count from today. The days before stay as you logged them." in page


def test_narrower_hours_move_the_reminders_inside_them_and_say_so(
    client, patient_client, patient, late_hours
):
    patient_client.post(reverse("portal:reminders_calendar"), {"feed": "on"})
    response = patient_client.post(HOURS, {"wake_start": "08:00", "wake_end": "20:00"})

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:reminders")
    plan = ReminderPlan.objects.get(patient=patient)
    assert plan.times == ["07:00", "12:00", "22:30"]  # as set, to come back later
    page = patient_client.get(response["Location"]).content.decode()
    assert "Your hours are saved." in page
    assert (
        "Reminders outside your hours now come within them: "
        "07:00 is now 08:00; 22:30 is now 20:00." in page
    )
    assert form_values(page) == {
        "time_1": "08:00",
        "time_2": "12:00",
        "time_3": "20:00",
        "time_4": "",
        "time_5": "",
        "time_6": "",
        "by_email": "on",
    }
    client.logout()
    assert feed_starts(client, plan) == ["08:00", "12:00", "20:00"]


def test_the_page_saves_unchanged_after_the_hours_changed(patient_client, patient, late_hours):
    patient_client.post(HOURS, {"wake_start": "08:00", "wake_end": "20:00"})
    page = patient_client.get(REMINDERS).content.decode()

    response = patient_client.post(REMINDERS, form_values(page))

    assert response.status_code == 302
    assert ReminderPlan.objects.get(patient=patient).times == ["07:00", "12:00", "22:30"]


def test_wider_hours_give_the_reminders_back_their_set_times(
    client, patient_client, patient, late_hours
):
    patient_client.post(HOURS, {"wake_start": "08:00", "wake_end": "20:00"})
    page = patient_client.get(REMINDERS).content.decode()
    patient_client.post(REMINDERS, form_values(page))  # saved once, unchanged, meanwhile

    response = patient_client.post(HOURS, {"wake_start": "06:30", "wake_end": "23:00"})

    assert response["Location"] == reverse("portal:today")
    page = patient_client.get(REMINDERS).content.decode()
    assert [form_values(page)[f"time_{n}"] for n in (1, 2, 3)] == ["07:00", "12:00", "22:30"]
    assert "is now" not in page
    due = due_reminders(datetime(2026, 3, 11, 22, 30, 10, tzinfo=UTC))
    assert [d.slot.strftime("%H:%M") for d in due] == ["22:30"]
    patient_client.post(reverse("portal:reminders_calendar"), {"feed": "on"})
    client.logout()
    plan = ReminderPlan.objects.get(patient=patient)
    assert feed_starts(client, plan) == ["07:00", "12:00", "22:30"]


def test_a_time_the_patient_changes_while_moved_is_stored_as_typed(
    patient_client, patient, late_hours
):
    patient_client.post(HOURS, {"wake_start": "08:00", "wake_end": "20:00"})
    values = form_values(patient_client.get(REMINDERS).content.decode())
    values["time_3"] = "19:00"  # 22:30 showed as 20:00; the patient picks 19:00 instead

    patient_client.post(REMINDERS, values)

    assert ReminderPlan.objects.get(patient=patient).times == ["07:00", "12:00", "19:00"]


def test_hours_that_move_no_reminder_go_back_to_today(patient_client, patient, late_hours):
    response = patient_client.post(HOURS, {"wake_start": "06:30", "wake_end": "23:00"})
    assert response["Location"] == reverse("portal:today")
    assert ReminderPlan.objects.get(patient=patient).times == ["07:00", "12:00", "22:30"]


def test_hours_changed_by_the_clinic_show_the_moved_times_and_the_feed_follows(
    client, patient_client, patient, late_hours
):
    # The therapist's patient form and the API change the hours without the portal.
    set_waking_hours(patient=patient, wake_start=time(8, 0), wake_end=time(20, 0))
    page = patient_client.get(REMINDERS).content.decode()
    assert "07:00 is now 08:00; 22:30 is now 20:00." in page
    assert form_values(page)["time_1"] == "08:00" and form_values(page)["time_3"] == "20:00"
    assert patient_client.post(REMINDERS, form_values(page)).status_code == 302

    patient_client.post(reverse("portal:reminders_calendar"), {"feed": "on"})
    plan = ReminderPlan.objects.get(patient=patient)
    plan.times = ["07:00", "22:30"]  # as saved before the change
    plan.save(update_fields=["times"])
    client.logout()
    assert feed_starts(client, plan) == ["08:00", "20:00"]


def test_a_time_saved_before_the_hours_changed_is_sent_at_bedtime(patient, late_hours):
    set_waking_hours(patient=patient, wake_start=time(8, 0), wake_end=time(20, 0))
    assert due_reminders(datetime(2026, 3, 11, 22, 30, 10, tzinfo=UTC)) == []
    due = due_reminders(datetime(2026, 3, 11, 20, 0, 10, tzinfo=UTC))
    assert [(d.patient_id, d.slot.strftime("%H:%M")) for d in due] == [(patient.pk, "20:00")]


def test_the_page_names_the_patients_own_hours(patient_client, late_hours):
    page = patient_client.get(REMINDERS).content.decode()
    assert "Reminders come only between 07:00 and 22:30" in page
    assert "between 20:00 and 08:00" not in page


@pytest.mark.parametrize("typed", ["23:15", "06:59", "20:01"])
def test_a_time_outside_the_hours_gets_its_own_message_only(
    patient_client, patient, prescription, typed
):
    response = patient_client.post(REMINDERS, {"time_1": typed, "by_email": "on"})
    content = response.content.decode()
    assert "Choose a time between 08:00 and 20:00." in content
    assert "Choose at least one time for your reminders." not in content
    assert not ReminderPlan.objects.exists()


@pytest.mark.parametrize("edge", ["08:00", "20:00"])
def test_the_first_and_last_minute_of_the_hours_are_accepted(
    patient_client, patient, prescription, edge
):
    response = patient_client.post(REMINDERS, {"time_1": edge, "by_email": "on"})
    assert response.status_code == 302
    assert ReminderPlan.objects.get(patient=patient).times == [edge]


def test_a_channel_without_any_time_asks_for_one(patient_client, prescription):
    response = patient_client.post(REMINDERS, {"by_email": "on"})
    assert "Choose at least one time for your reminders." in response.content.decode()
    assert "Choose a time between" not in response.content.decode()
    assert not ReminderPlan.objects.exists()
