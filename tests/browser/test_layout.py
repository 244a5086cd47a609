"""Long words and addresses typed into notes wrap on a 375 px phone instead of
making the page scroll sideways."""

from prescriptions.services import record_red_flag_check, record_symptom_log
from tests.browser.conftest import login

LONG_URL = "https://www.example-clinic-information.test/patients/back-care/" + "x" * 23


def test_a_long_address_in_notes_does_not_widen_the_phone_page(
    phone_page, patient, prescription, password
):
    assert len(LONG_URL) == 86
    item = prescription.items.first()
    item.note = f"Watch the video at {LONG_URL} before you start."
    item.save(update_fields=["note"])
    record_red_flag_check(patient=patient, answered_yes=[])
    record_symptom_log(
        patient=patient,
        item=item,
        pain=2,
        location="central",
        during="no_effect",
        after="no_worse",
        sets_done=1,
        repetitions_done=10,
        note=f"I read {LONG_URL}",
    )

    login(phone_page, "paula", password)
    assert phone_page.get_by_text(LONG_URL).first.is_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375

    phone_page.get_by_role("navigation").get_by_role("link", name="My progress").click()
    assert phone_page.get_by_text(LONG_URL).first.is_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375


def test_the_whole_session_page_fits_a_phone(phone_page, patient, prescription, password):
    record_red_flag_check(patient=patient, answered_yes=[])

    login(phone_page, "paula", password)
    phone_page.get_by_role("link", name="Log this session").first.click()

    assert phone_page.get_by_role("heading", name="Log this session").is_visible()
    assert phone_page.get_by_role("radio", name="10", exact=True).first.is_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
