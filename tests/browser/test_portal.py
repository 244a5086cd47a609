"""The patient portal in a real phone-sized Chromium: a new patient activates
their invitation, logs a session, is told to stop, and the therapist sees it."""

import pytest

from prescriptions.services import record_red_flag_check
from tests.browser.conftest import assert_accessible, login
from tests.factories import make_patient, make_prescription

NEW_PASSWORD = "lumbar-roll-sunrise-81"


def answer_no_to_nerve_questions(phone) -> None:
    for question in phone.locator(".question--nerves .question--yesno").all():
        question.get_by_role("radio", name="No", exact=True).check()


@pytest.fixture
def invited(clinic, therapist):
    """A patient with a program in use and a fresh invitation, not yet activated."""
    clinic.phone = "020 7946 0000"
    clinic.save(update_fields=["phone"])
    patient = make_patient(clinic, first_name="Nina", last_name="Newman", email="nina@example.test")
    make_prescription(patient, therapist, first=3)
    _invitation, token = patient.invite(by=therapist)
    return patient, token


def test_a_new_patient_activates_logs_is_told_to_stop_and_the_therapist_sees_it(
    phone_page, page, invited, password
):
    patient, token = invited
    phone = phone_page

    phone.goto(f"/portal/activate/{token}/")
    assert phone.get_by_role("heading", name="Welcome, Nina").is_visible()
    assert phone.get_by_label("Choose a username").input_value() == "nina@example.test"
    assert_accessible(phone)
    phone.get_by_label("Choose a password").fill(NEW_PASSWORD)
    phone.get_by_label("Type the password again").fill(NEW_PASSWORD)
    phone.get_by_role("button", name="Create my login").click()

    phone.wait_for_url("**/portal/")
    assert phone.get_by_role("heading", name="Hello, Nina").is_visible()
    assert phone.get_by_text("Welcome, Nina. You are signed in.").is_visible()
    assert_accessible(phone)
    # Nothing is wider than the phone: no sideways scrolling.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375

    phone.get_by_role("link", name="Log how it went: Prone lying", exact=True).click()
    assert phone.get_by_role("heading", name="Before you start: a quick safety check").is_visible()
    assert_accessible(phone)
    for question in phone.locator("fieldset").all():
        question.get_by_role("radio", name="No", exact=True).check()
    phone.get_by_role("button", name="Continue").click()

    assert phone.get_by_role("heading", name="How did it go? Prone lying").is_visible()
    assert_accessible(phone)
    phone.get_by_role("radio", name="4", exact=True).check()
    phone.get_by_role("radio", name="In the middle of my low back", exact=True).check()
    phone.get_by_role("radio", name="The pain moved towards my spine").check()
    phone.get_by_role("radio", name="Better than before the exercise").check()
    answer_no_to_nerve_questions(phone)
    phone.get_by_role("button", name="Save how it went").click()
    assert phone.get_by_text("That is a good sign.").is_visible()

    phone.get_by_role("link", name="Next exercise: Prone props (lying on elbows)").click()
    phone.get_by_role("link", name="Log how it went: Prone props (lying on elbows)").click()
    # The safety questions come once a day, so the form opens straight away.
    assert phone.get_by_role("heading", name="How did it go? Prone props").is_visible()
    phone.get_by_role("radio", name="6", exact=True).check()
    phone.get_by_role("radio", name="Into my buttock", exact=True).check()
    phone.get_by_role(
        "radio", name="The pain spread further down my leg or into my buttock"
    ).check()
    phone.get_by_role("radio", name="No change at all").check()
    answer_no_to_nerve_questions(phone)
    phone.get_by_role("button", name="Save how it went").click()

    stop = phone.get_by_role("alert")
    assert stop.get_by_role("heading", name="Stop doing Prone props (lying on elbows)").is_visible()
    # The main action is to contact the clinic, then back to today; no next exercise.
    contact = phone.get_by_role("link", name="Contact the clinic: 020 7946 0000")
    assert contact.is_visible() and contact.get_attribute("href") == "tel:02079460000"
    back = phone.get_by_role("link", name="Back to today").last
    assert contact.bounding_box()["y"] < back.bounding_box()["y"]
    assert phone.get_by_role("link", name="Next exercise").count() == 0
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    assert_accessible(phone)

    phone.get_by_role("link", name="My progress").click()
    phone.wait_for_load_state()
    phone.get_by_role("heading", name="My progress").wait_for()
    assert phone.get_by_text("The pain spread further down my leg or into my buttock").is_visible()
    assert_accessible(phone)

    login(page, "tess", password)
    page.goto(f"/patients/{patient.pk}/")
    alerts = page.locator("#alerts")
    assert alerts.get_by_text("Prone props (lying on elbows): Peripheralization").is_visible()
    assert alerts.locator("[data-alert]").count() == 1


def test_a_missing_answer_is_shown_clearly_and_keeps_the_others(
    phone_page, patient, prescription, password
):
    record_red_flag_check(patient=patient, answered_yes=[])
    login(phone_page, "paula", password)
    phone_page.get_by_role("link", name="Log how it went: Prone lying", exact=True).click()
    phone_page.get_by_role("radio", name="3", exact=True).check()
    phone_page.get_by_role("button", name="Save how it went").click()
    errors = phone_page.get_by_role("alert")
    assert errors.get_by_text("Please check the answers marked below.").is_visible()
    assert phone_page.locator("input[name=pain][value='3']").is_checked()
    assert_accessible(phone_page)


def test_a_yes_to_a_red_flag_sends_the_patient_to_urgent_care(
    phone_page, patient, prescription, password
):
    login(phone_page, "paula", password)
    phone_page.get_by_role("link", name="Log how it went: Prone lying", exact=True).click()
    for question in phone_page.locator("fieldset").all():
        question.get_by_role("radio", name="No", exact=True).check()
    weakness = phone_page.get_by_role(
        "group", name="New weakness in a leg, or weakness that is getting worse", exact=False
    )
    weakness.get_by_role("radio", name="Yes").check()
    phone_page.get_by_role("button", name="Continue").click()
    urgent = phone_page.get_by_role("alert")
    assert urgent.get_by_role("heading", name="Seek urgent medical care now").is_visible()
    assert urgent.get_by_text("emergency department").is_visible()
    assert_accessible(phone_page)


def test_an_urgent_answer_pauses_the_program_until_the_therapist_acknowledges(
    phone_page, page, patient, prescription, clinic, password
):
    clinic.phone = "020 7946 0000"
    clinic.emergency_number = "999"
    clinic.save()
    record_red_flag_check(patient=patient, answered_yes=[])
    phone = phone_page
    login(phone, "paula", password)
    phone.get_by_role("link", name="Report a warning sign").first.click()
    both = phone.get_by_role("group", name="New pain, numbness, tingling or weakness in both legs")
    for question in phone.locator("fieldset").all():
        question.get_by_role("radio", name="No", exact=True).check()
    both.get_by_role("radio", name="Yes").check()
    phone.get_by_role("button", name="Continue").click()

    phone.get_by_role("link", name="Today", exact=True).click()
    urgent = phone.get_by_role("alert")
    assert urgent.get_by_role("heading", name="Seek urgent medical care now").is_visible()
    emergency = urgent.get_by_role("link", name="Call the emergency number: 999")
    assert emergency.is_visible() and emergency.get_attribute("href") == "tel:999"
    assert urgent.get_by_role("link", name="Call Harbour Physio: 020 7946 0000").is_visible()
    assert phone.get_by_role("link", name="Log how it went: Prone lying").count() == 0
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    assert_accessible(phone)

    login(page, "tess", password)
    page.goto(f"/patients/{patient.pk}/")
    page.locator("#alerts").get_by_role("button", name="Acknowledge").first.click()
    page.wait_for_timeout(300)

    phone.reload()
    assert phone.get_by_role("link", name="Log how it went: Prone lying", exact=True).is_visible()
    assert phone.get_by_role("heading", name="Seek urgent medical care now").count() == 0
