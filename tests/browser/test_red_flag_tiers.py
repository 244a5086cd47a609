"""A "see a doctor today" answer on a phone: the patient is told to contact their
doctor or clinic today, and the exercises stay on Today."""

from prescriptions.models import Alert
from tests.browser.conftest import assert_accessible, login


def test_a_doctor_today_yes_keeps_the_program_and_says_what_to_do(
    phone_page, patient, prescription, clinic, password
):
    clinic.phone = "020 7946 0000"
    clinic.save()
    phone = phone_page
    login(phone, "paula", password)
    phone.get_by_role("link", name="Log how it went: Prone lying", exact=True).click()
    assert phone.get_by_text("Since your last check, have you noticed any of these?").is_visible()
    for question in phone.locator("fieldset").all():
        question.get_by_role("radio", name="No", exact=True).check()
    night = phone.get_by_role("group", name="Constant pain at night", exact=False)
    night.get_by_role("radio", name="Yes").check()
    phone.get_by_role("button", name="Continue").click()

    advice = phone.get_by_role("alert")
    assert advice.get_by_role(
        "heading", name="Contact your doctor or your clinic today"
    ).is_visible()
    assert advice.get_by_role("link", name="Call Harbour Physio: 020 7946 0000").is_visible()
    assert phone.get_by_text("emergency department now").count() == 0
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    assert_accessible(phone)

    phone.get_by_role("link", name="Back to today").click()
    assert phone.get_by_role("link", name="Log how it went: Prone lying", exact=True).is_visible()
    alert = Alert.objects.get(patient=patient)
    assert (alert.kind, alert.severity) == ("red_flag_today", "warning")
