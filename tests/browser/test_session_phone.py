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
    tap(section.get_by_role("radio", name="Done", exact=True))
    tap(section.get_by_role("radio", name="2", exact=True))
    tap(section.get_by_role("radio", name=where, exact=True))
    tap(section.get_by_role("radio", name="No change", exact=True))
    tap(section.get_by_role("radio", name="No change at all", exact=True))
    nerves = section.get_by_role("radio", name="No", exact=True).all()
    assert len(nerves) == 4
    for answer in nerves:
        tap(answer)


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
    # Sets and repetitions come from the dosage: nothing to type.
    assert phone.locator("input[type=number]").first.input_value() != ""
    assert_accessible(phone)
    # A double tap on Save: the page sends one request, the server would ignore a second.
    phone.get_by_role("button", name="Save this session").dblclick()
    tap.count += 1
    phone.wait_for_url("**/portal/session/saved/**")
    assert phone.get_by_role("heading", name="Session saved").is_visible()
    assert phone.get_by_text("3 exercises saved.").is_visible()
    # Three exercises: open the form, five answers and the nerve questions each, save.
    per_exercise = 5 + 4
    assert tap.count == 1 + 3 * per_exercise + 1 == 29
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
    for answer in second.get_by_role("radio", name="No", exact=True).all():
        tap(answer)
    tap(sections.nth(2).get_by_role("radio", name="Skipped", exact=True))
    phone.get_by_role("button", name="Save this session").tap()
    phone.wait_for_url("**/portal/session/saved/**")
    alert = phone.get_by_role("alert")
    assert alert.get_by_role("heading", name=f"Stop doing {name}").is_visible()
    assert "You told us your pain is worse after this exercise" in alert.inner_text()
    assert phone.get_by_text("2 exercises saved.").is_visible()
    assert SymptomLog.objects.filter(patient=patient).count() == 2
