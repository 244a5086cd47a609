"""The portal's header on a 375 px phone: one row, every page still reachable, the
Account menu usable by keyboard."""

from prescriptions.services import record_red_flag_check
from tests.browser.conftest import assert_accessible, login

# One row of 44 px tap targets; the old two-row header was 138 px of a 740 px screen.
ONE_ROW = 60


def header_height(page) -> float:
    return page.locator(".site-header").bounding_box()["height"]


def test_the_phone_header_is_one_row_and_every_link_is_reachable(
    phone_page, patient, prescription, password
):
    record_red_flag_check(patient=patient, answered_yes=[])
    phone = phone_page
    login(phone, "paula", password)
    nav = phone.get_by_role("navigation", name="Portal")

    assert header_height(phone) <= ONE_ROW
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    links = [nav.get_by_role("link", name=name) for name in ("Today", "My progress", "Reminders")]
    menu = nav.locator("summary", has_text="Account")
    tops = {round(item.bounding_box()["y"]) for item in [*links, menu]}
    assert len(tops) == 1, tops
    for link in links:
        assert link.is_visible()
    assert not nav.get_by_role("link", name="Two-step sign-in").is_visible()

    for name, heading in (("My progress", "My progress"), ("Reminders", "Reminders")):
        nav.get_by_role("link", name=name).click()
        assert phone.get_by_role("heading", name=heading, exact=True).is_visible()
        assert header_height(phone) <= ONE_ROW

    menu.click()
    assert_accessible(phone)
    nav.get_by_role("link", name="Two-step sign-in").click()
    phone.wait_for_url("**/accounts/two-step/")
    assert header_height(phone) <= ONE_ROW

    nav.locator("summary", has_text="Account").click()
    nav.get_by_role("button", name="Sign out").click()
    phone.wait_for_url("**/accounts/login/**")


def test_the_account_menu_works_from_the_keyboard(phone_page, patient, prescription, password):
    phone = phone_page
    login(phone, "paula", password)
    summary = phone.locator("details.portal-account > summary")

    for _press in range(10):
        phone.keyboard.press("Tab")
        if summary.evaluate("element => element === document.activeElement"):
            break
    else:
        raise AssertionError("Tab never reached the Account menu")

    phone.keyboard.press("Enter")
    two_step = phone.get_by_role("link", name="Two-step sign-in")
    assert two_step.is_visible()
    phone.keyboard.press("Tab")
    assert two_step.evaluate("element => element === document.activeElement")

    phone.keyboard.press("Escape")
    assert not two_step.is_visible()
    assert summary.evaluate("element => element === document.activeElement")

    phone.keyboard.press("Enter")
    phone.keyboard.press("Tab")
    phone.keyboard.press("Enter")
    phone.wait_for_url("**/accounts/two-step/")
