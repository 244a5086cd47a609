"""Reminders on a 375 px phone: chosen and saved with and without JavaScript; the
portal registers its service worker so it can be installed and notified."""

import pytest

from reminders.models import ReminderPlan
from tests.browser.conftest import assert_accessible, login
from tests.factories import make_prescription


@pytest.fixture
def with_program(patient, therapist):
    make_prescription(patient, therapist, first=3)
    return patient


def test_a_patient_chooses_reminders_on_a_phone(phone_page, with_program, password):
    phone = phone_page
    login(phone, "paula", password)
    phone.get_by_role("link", name="Reminders").click()
    assert phone.get_by_role("heading", name="Reminders", exact=True).is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    assert_accessible(phone)
    # The portal's service worker is registered for the portal's scope.
    scopes = phone.evaluate("navigator.serviceWorker.ready.then(r => r.scope)")
    assert scopes.endswith("/portal/")

    phone.get_by_label("Reminder 1").fill("21:00")
    phone.get_by_label("Email me").check()
    phone.get_by_role("button", name="Save my reminders").click()
    assert phone.get_by_text("Choose a time between 08:00 and 20:00.").first.is_visible()
    assert not ReminderPlan.objects.exists()

    phone.get_by_label("Reminder 1").fill("08:15")
    phone.get_by_role("button", name="Save my reminders").click()
    assert phone.get_by_text("Your reminders are saved.").is_visible()
    plan = ReminderPlan.objects.get(patient=with_program)
    assert plan.by_email and plan.times[0] == "08:15"

    phone.get_by_role("button", name="Get a calendar address").click()
    assert phone.get_by_label("Calendar address").input_value().endswith(".ics")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375


def test_reminders_work_without_javascript(browser, live_server, with_program, password):
    context = browser.new_context(
        viewport={"width": 375, "height": 812}, java_script_enabled=False, base_url=live_server.url
    )
    phone = context.new_page()
    try:
        login(phone, "paula", password)
        phone.goto("/portal/reminders/")
        phone.get_by_label("Email me").check()
        phone.get_by_role("button", name="Save my reminders").click()
        assert phone.get_by_text("Your reminders are saved.").is_visible()
        assert ReminderPlan.objects.get(patient=with_program).by_email
    finally:
        context.close()
