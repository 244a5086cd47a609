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


def answer_as_usual(tap, section, *, where="In the middle of my low back") -> None:
    """An exercise done: answering is enough to count it done (no "Done" tap needed)."""
    tap(section.get_by_role("radio", name="2", exact=True))
    tap(section.get_by_role("radio", name=where, exact=True))
    tap(section.get_by_role("radio", name="No change", exact=True))
    tap(section.get_by_role("radio", name="No change at all", exact=True))
    # No nerve questions per exercise: they are the session's, asked once at its end.
    assert section.get_by_role("radio", name="No", exact=True).count() == 0


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
    for index in range(3):
        answer_as_usual(tap, sections.nth(index))
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
    # Three exercises: open the form, four answers each, "none of these" once, save.
    per_exercise = 4
    assert tap.count == 1 + 3 * per_exercise + 1 + 1 == 15 <= 16
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
    answer_as_usual(tap, sections.nth(0))
    second = sections.nth(1)
    name = second.locator("h2").inner_text().strip().lstrip("0123456789 ")
    tap(second.get_by_role("radio", name="Done", exact=True))
    tap(second.get_by_role("radio", name="5", exact=True))
    tap(second.get_by_role("radio", name="Into my buttock", exact=True))
    tap(second.get_by_role("radio", name="The pain spread further down my leg or into my buttock"))
    tap(second.get_by_role("radio", name="Worse than before, and it has stayed worse"))
    tap(sections.nth(2).get_by_role("radio", name="Skipped", exact=True))
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
    answer_as_usual(tap, sections.nth(0))
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
