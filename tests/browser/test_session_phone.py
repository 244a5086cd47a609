"""Logging a whole session on a 375 px phone in real Chromium, counting the taps."""

import pytest

from prescriptions.models import SymptomLog
from prescriptions.services import record_red_flag_check
from tests.browser.conftest import assert_accessible, login
from tests.factories import make_prescription


class Taps:
    """Taps the patient makes (nothing is typed: the amounts come pre-filled)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, locator) -> None:
        locator.tap()
        self.count += 1


@pytest.fixture
def program(patient, therapist):
    """Paula's first three extension exercises; today's safety questions answered."""
    prescription = make_prescription(patient, therapist, first=3)
    record_red_flag_check(patient=patient, answered_yes=[])
    return prescription


def answer_as_usual(tap, section) -> None:
    """An exercise done: answering is enough to count it done (no "Done" tap needed)."""
    tap(section.get_by_role("radio", name="No change", exact=True))
    tap(section.get_by_role("radio", name="No change at all", exact=True))
    # No pain or nerve questions per exercise: they are the session's, asked once.
    assert section.get_by_role("radio", name="No", exact=True).count() == 0
    assert section.get_by_role("radio", name="2", exact=True).count() == 0


def answer_symptoms(tap, page, moment, *, back="2", leg="0", where="In the middle of my low back"):
    """The "before" or "after" block: back pain, leg pain, how far the pain reaches."""
    block = page.locator(f"[data-{moment}]")
    groups = block.get_by_role("group")
    tap(groups.nth(0).get_by_role("radio", name=back, exact=True))
    tap(groups.nth(1).get_by_role("radio", name=leg, exact=True))
    tap(block.get_by_role("radio", name=where, exact=True))


def test_a_usual_session_is_logged_in_few_taps_and_a_double_submit_stores_it_once(
    phone_page, patient, program, password
):
    phone = phone_page
    login(phone, "paula", password)
    phone.wait_for_url("**/portal/")
    tap = Taps()
    tap(phone.get_by_role("link", name="Log this session"))
    phone.wait_for_url("**/portal/session/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    sections = phone.locator("section.session-item")
    assert sections.count() == 3
    # Nothing is chosen for the patient, before or after.
    assert phone.locator("input[type=radio]:checked").count() == 0
    answer_symptoms(tap, phone, "before")
    for index in range(3):
        answer_as_usual(tap, sections.nth(index))
    answer_symptoms(tap, phone, "after")
    # The nerve question once, at the end; which symptoms only after a yes.
    nerves = phone.locator("[data-nerves]")
    details = nerves.locator("[data-nerve-details]")
    assert not details.is_visible()
    assert nerves.get_by_role("radio", name="None of these").is_checked() is False
    tap(nerves.get_by_role("radio", name="None of these", exact=True))
    # Sets and repetitions come from the dosage: nothing to type.
    assert phone.locator("input[type=number]").first.input_value() != ""
    assert_accessible(phone)
    # A double tap on Save: the page sends one request, the server would ignore a second.
    phone.get_by_role("button", name="Save this session").dblclick()
    tap.count += 1
    phone.wait_for_url("**/portal/session/saved/**")
    assert phone.get_by_role("heading", name="Session saved").is_visible()
    assert phone.get_by_text("3 exercises saved.").is_visible()
    # Three exercises: open the form, three answers before, two per exercise, three
    # after, "none of these" once, save.
    per_exercise = 2
    assert tap.count == 1 + 3 + 3 * per_exercise + 3 + 1 + 1 == 15 <= 16
    assert SymptomLog.objects.filter(patient=patient).count() == 3

    # Back to the filled-in form and Save again: still three logs.
    phone.go_back()
    if phone.get_by_role("button", name="Save this session").is_visible():
        # Wait for the answer to this second save before going anywhere else.
        with phone.expect_navigation():
            phone.get_by_role("button", name="Save this session").tap()
    assert SymptomLog.objects.filter(patient=patient).count() == 3

    phone.goto("/portal/")
    assert phone.get_by_text("1 of").first.is_visible()


def test_a_stop_names_the_exercise_and_the_rest_is_saved(phone_page, patient, program, password):
    phone = phone_page
    login(phone, "paula", password)
    phone.goto("/portal/session/")
    sections = phone.locator("section.session-item")
    tap = Taps()
    answer_symptoms(tap, phone, "before")
    answer_as_usual(tap, sections.nth(0))
    second = sections.nth(1)
    name = second.locator("h2").inner_text().strip().lstrip("0123456789 ")
    tap(second.get_by_role("radio", name="Done", exact=True))
    tap(second.get_by_role("radio", name="The pain spread further down my leg or into my buttock"))
    tap(second.get_by_role("radio", name="Worse than before, and it has stayed worse"))
    tap(sections.nth(2).get_by_role("radio", name="Skipped", exact=True))
    answer_symptoms(tap, phone, "after")
    tap(phone.get_by_role("radio", name="None of these", exact=True))
    phone.get_by_role("button", name="Save this session").tap()
    phone.wait_for_url("**/portal/session/saved/**")
    alert = phone.get_by_role("alert")
    assert alert.get_by_role("heading", name=f"Stop doing {name}").is_visible()
    assert "You told us your pain is worse after this exercise" in alert.inner_text()
    assert phone.get_by_text("2 exercises saved.").is_visible()
    assert SymptomLog.objects.filter(patient=patient).count() == 2


@pytest.mark.hazard("H-01")
def test_which_nerve_symptoms_is_asked_only_after_a_yes(phone_page, patient, program, password):
    phone = phone_page
    login(phone, "paula", password)
    phone.goto("/portal/session/")
    sections = phone.locator("section.session-item")
    tap = Taps()
    answer_symptoms(tap, phone, "before")
    answer_as_usual(tap, sections.nth(0))
    answer_symptoms(tap, phone, "after")
    for index in (1, 2):
        tap(sections.nth(index).get_by_role("radio", name="Skipped", exact=True))
    nerves = phone.locator("[data-nerves]")
    details = nerves.locator("[data-nerve-details]")
    tap(nerves.get_by_role("radio", name="Yes", exact=True))
    assert details.is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    tap(details.get_by_role("checkbox", name="New numbness in a leg or foot"))
    phone.get_by_role("button", name="Save this session").tap()
    phone.wait_for_url("**/portal/session/saved/**")
    assert (
        "You told us about new numbness in a leg or foot."
        in phone.get_by_role("alert").inner_text()
    )
    log = SymptomLog.objects.get(patient=patient)
    assert (log.new_symptoms, log.stop_exercise) == (["numbness"], True)


@pytest.mark.hazard("H-03")
def test_pain_leaving_the_leg_for_the_back_is_shown_as_centralizing_not_as_a_rise(
    phone_page, patient, program, password
):
    phone = phone_page
    login(phone, "paula", password)
    phone.goto("/portal/session/")
    tap = Taps()
    answer_symptoms(tap, phone, "before", back="2", leg="6", where="Down into my thigh")
    sections = phone.locator("section.session-item")
    answer_as_usual(tap, sections.nth(0))
    for index in (1, 2):
        tap(sections.nth(index).get_by_role("radio", name="Skipped", exact=True))
    answer_symptoms(tap, phone, "after", back="7", leg="0")
    tap(phone.get_by_role("radio", name="None of these", exact=True))
    phone.get_by_role("button", name="Save this session").tap()
    phone.wait_for_url("**/portal/session/saved/**")
    assert phone.get_by_text("Your pain moved towards your spine during this session.").is_visible()
    assert phone.get_by_text("Your pain is higher").count() == 0
    log = SymptomLog.objects.get(patient=patient)
    assert (log.back_pain, log.leg_pain, log.stop_exercise) == (7, 0, False)
    assert [finding["kind"] for finding in log.findings] == ["centralization"]
    assert not patient.alerts.exists()
