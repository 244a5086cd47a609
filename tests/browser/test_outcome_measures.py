"""A patient fills the start questionnaire on a 375 px phone."""

from prescriptions.models import OutcomeMeasure
from tests.browser.conftest import assert_accessible, login
from tests.factories import make_prescription


def test_a_patient_fills_the_start_questionnaire_on_a_phone(
    phone_page, patient, therapist, password
):
    make_prescription(patient, therapist)
    phone = phone_page
    login(phone, "paula", password)
    phone.wait_for_url("**/portal/")
    phone.get_by_role("link", name="Answer the questionnaire").click()
    assert phone.get_by_role("heading", name="How are you getting on?").is_visible()
    assert_accessible(phone)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    # Nothing is chosen for the patient.
    assert phone.locator("input[type=radio]:checked").count() == 0

    phone.get_by_role("group", name="Your pain right now").get_by_role("radio", name="6").check()
    phone.get_by_role("group", name="Your pain at its least in the last 24 hours").get_by_role(
        "radio", name="3"
    ).check()
    # Sent too early: the missing answers are marked and what was typed stays.
    phone.get_by_role("button", name="Send my answers").click()
    assert phone.get_by_text("Please check the answers marked below.").is_visible()
    assert phone.locator("input[type=radio]:checked").count() == 2

    phone.get_by_role("group", name="Your pain at its worst in the last 24 hours").get_by_role(
        "radio", name="8"
    ).check()
    for n, (activity, score) in enumerate(
        [("Sitting through a film", "3"), ("Putting on socks", "4"), ("Gardening", "2")], start=1
    ):
        group = phone.get_by_role("group", name=f"Activity {n}", exact=True)
        group.get_by_label("What is the activity?").fill(activity)
        group.get_by_role("radio", name=score, exact=True).check()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    phone.get_by_role("button", name="Send my answers").click()

    phone.wait_for_url("**/portal/")
    assert phone.get_by_text("Thank you. Your answers are saved for your therapist.").is_visible()
    assert phone.get_by_role("link", name="Answer the questionnaire").count() == 0
    scores = dict(OutcomeMeasure.objects.filter(patient=patient).values_list("instrument", "score"))
    assert {k: str(v) for k, v in scores.items()} == {"nprs": "5.7", "psfs": "3.0"}
