"""What a patient typed into a log form survives the end of their session: after
signing in again the same answers are back, and saving stores them once. Meanwhile
the phone holds them encrypted, with a key only the patient's signed-in pages get."""

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache

from prescriptions.models import SymptomLog
from prescriptions.services import record_red_flag_check
from tests.browser.conftest import assert_accessible, login

NOTE = "Anything else your therapist should know? (optional)"
NOTICE = "Your answers from before you were signed out are back. Check them, then save."


def end_every_session() -> None:
    """What the idle timeout or the maximum lifetime does: the session is gone."""
    Session.objects.all().delete()
    cache.clear()


def drafts(page) -> list[str]:
    return page.evaluate(
        "Object.keys(localStorage).filter(function (k) {"
        " return k.indexOf('centra-draft:') === 0; })"
    )


@pytest.fixture
def ready(patient, prescription):
    record_red_flag_check(patient=patient, answered_yes=[])  # the day's safety check is done


def test_the_answers_typed_before_the_session_ended_are_back_and_saved_once(
    phone_page, ready, patient, password
):
    phone = phone_page
    login(phone, "paula", password)
    phone.get_by_role("link", name="Log how it went: Prone lying", exact=True).click()
    phone.get_by_label("Sets done").fill("2")
    phone.get_by_role("radio", name="4", exact=True).check()
    phone.get_by_role("radio", name="Into my buttock", exact=True).check()
    phone.get_by_role("radio", name="The pain moved towards my spine").check()
    phone.get_by_label(NOTE).fill("Stiff after the bus")
    assert phone.get_by_text(NOTICE).is_hidden()
    prescribed = phone.get_by_label("Times in each set").input_value()  # not typed
    phone.wait_for_function(
        "Object.keys(localStorage).some(k => k.startsWith('centra-draft:')"
        " && localStorage.getItem(k).length > 100)"
    )
    stored = "".join(phone.evaluate("Object.values(localStorage)"))
    assert "Stiff after the bus" not in stored and "buttock" not in stored

    end_every_session()
    phone.get_by_role("button", name="Save how it went").click()

    phone.wait_for_url("**/accounts/login/**")
    assert not SymptomLog.objects.exists()
    login_url = phone.url
    phone.get_by_label("Username or email").fill("paula")
    phone.get_by_label("Password").fill(password)
    phone.get_by_role("button", name="Sign in").click()
    assert "next=" in login_url

    assert phone.get_by_role("heading", name="How did it go? Prone lying").is_visible()
    assert phone.get_by_text(NOTICE).is_visible()
    assert phone.get_by_label("Sets done").input_value() == "2"
    assert phone.locator("input[name=pain][value='4']").is_checked()
    assert phone.locator("input[name=location][value='buttock']").is_checked()
    assert phone.get_by_role("radio", name="The pain moved towards my spine").is_checked()
    assert phone.get_by_label(NOTE).input_value() == "Stiff after the bus"
    # Nothing the patient did not answer is filled in for them.
    assert phone.get_by_label("Times in each set").input_value() == prescribed
    assert phone.locator("fieldset.question--after input:checked").count() == 0
    assert phone.locator(".question--nerves input:checked").count() == 0
    assert_accessible(phone)

    phone.get_by_role("radio", name="Better than before the exercise").check()
    for question in phone.locator(".question--nerves .question--yesno").all():
        question.get_by_role("radio", name="No", exact=True).check()
    phone.get_by_role("button", name="Save how it went").click()
    phone.wait_for_url("**/portal/logs/**")

    (log,) = SymptomLog.objects.all()
    assert (log.patient, log.sets_done, log.pain, log.location) == (patient, 2, 4, "buttock")
    assert log.note == "Stiff after the bus"
    assert drafts(phone) == []
    phone.goto(phone.url.split("/portal/")[0] + f"/portal/exercises/{log.item_id}/log/")
    assert phone.locator("input[name=pain]:checked").count() == 0


def test_a_session_log_draft_comes_back_after_signing_in_again(phone_page, ready, password):
    phone = phone_page
    login(phone, "paula", password)
    phone.get_by_role("link", name="Log this session").click()
    back_before = phone.locator("[data-before]").get_by_role("group").first
    back_before.get_by_role("radio", name="6", exact=True).check()
    first = phone.locator("section.session-item").first
    note = first.get_by_label(NOTE)
    note.fill("Knee felt odd")

    end_every_session()
    phone.reload()
    phone.wait_for_url("**/accounts/login/**")
    phone.get_by_label("Username or email").fill("paula")
    phone.get_by_label("Password").fill(password)
    phone.get_by_role("button", name="Sign in").click()

    assert phone.get_by_role("heading", name="Log this session").is_visible()
    assert phone.get_by_text(NOTICE).is_visible()
    back_before = phone.locator("[data-before]").get_by_role("group").first
    assert back_before.locator("input[value='6']").is_checked()
    first = phone.locator("section.session-item").first
    assert first.get_by_label(NOTE).input_value() == ("Knee felt odd")
    second = phone.locator("section.session-item").nth(1)
    assert second.locator("input:checked").count() == 0


def test_signing_out_removes_the_drafts_from_the_phone(phone_page, ready, password):
    phone = phone_page
    login(phone, "paula", password)
    phone.get_by_role("link", name="Log how it went: Prone lying", exact=True).click()
    phone.get_by_role("radio", name="4", exact=True).check()
    assert len(drafts(phone)) == 1

    phone.locator("summary", has_text="Account").click()
    phone.get_by_role("button", name="Sign out").click()
    phone.wait_for_url("**/accounts/login/**")
    assert drafts(phone) == []
