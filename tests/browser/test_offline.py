"""The portal without signal, in real Chromium against the live server: a session logged
offline is kept on the phone, judged at once (stop), survives a reload and a restart of
the browser, and is stored exactly once when the network returns; signing out deletes
everything the phone kept."""

from __future__ import annotations

import pytest

from prescriptions.models import RedFlagCheck, SymptomLog
from prescriptions.services import record_red_flag_check
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, assert_accessible, login
from tests.factories import make_prescription

KEPT = "Kept on this phone"
ONE_WAITING = "One answer is kept on this phone, waiting to be sent to your clinic."


@pytest.fixture
def program(patient, therapist):
    """Paula's first two extension exercises; today's safety questions answered."""
    clinic = patient.clinic
    clinic.phone = "+44 20 7946 0000"
    clinic.save(update_fields=["phone"])
    prescription = make_prescription(patient, therapist, first=2)
    record_red_flag_check(patient=patient, answered_yes=[])
    return prescription


@pytest.fixture
def phone(browser, live_server, tmp_path):
    """A phone whose browser keeps its profile (storage, service worker) on disk, so the
    test can close it and open it again as a phone's browser restarts."""

    class Phone:
        context = None

        def open(self):
            self.context = browser.browser_type.launch_persistent_context(
                str(tmp_path / "profile"),
                executable_path=str(CHROMIUM),
                args=CHROMIUM_ARGS,
                viewport={"width": 375, "height": 812},
                is_mobile=True,
                has_touch=True,
                base_url=live_server.url,
            )
            page = self.context.pages[0] if self.context.pages else self.context.new_page()
            page.set_default_timeout(10_000)
            return page

        def close(self):
            self.context.close()

    phone = Phone()
    yield phone
    phone.close()


def kept_by_the_worker(page) -> None:
    """Wait until the service worker controls the page and the phone holds the facts."""
    page.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller")
    page.reload()
    page.wait_for_function(
        "() => window.CentraOffline && CentraOffline.getMeta('state').then(s => !!s && !!s.facts)"
    )


def answer(section, *, during: str, after: str) -> None:
    section.get_by_role("radio", name=during, exact=True).check()
    section.get_by_role("radio", name=after, exact=True).check()


def answer_symptoms(page, moment: str) -> None:
    """The "before" or "after" block: back pain 2, no leg pain, the middle of the back."""
    block = page.locator(f"[data-{moment}]")
    groups = block.get_by_role("group")
    groups.nth(0).get_by_role("radio", name="2", exact=True).check()
    groups.nth(1).get_by_role("radio", name="0", exact=True).check()
    block.get_by_role("radio", name="In the middle of my low back", exact=True).check()


def test_a_session_logged_without_signal_is_judged_at_once_and_stored_once_later(
    phone, patient, program, password
):
    page = phone.open()
    login(page, "paula", password)
    page.wait_for_url("**/portal/")
    kept_by_the_worker(page)
    page.goto("/portal/session/")  # opened once with signal: kept
    page.goto("/portal/")

    phone.context.set_offline(True)
    page.goto("/portal/progress/")  # never opened: the phone says so
    page.get_by_role("heading", name="No signal").wait_for()
    page.goto("/portal/")
    page.get_by_role("link", name="Log this session").click()
    page.wait_for_url("**/portal/session/")
    assert page.evaluate("navigator.onLine") is False
    sections = page.locator("section.session-item")
    first, second = program.items.order_by("position")
    answer_symptoms(page, "before")
    answer(
        sections.nth(0),
        during="The pain eased",
        after="Worse than before, and it has stayed worse",
    )
    answer(sections.nth(1), during="No change", after="No change at all")
    answer_symptoms(page, "after")
    page.locator("[data-nerves]").get_by_role("radio", name="None of these", exact=True).check()
    page.get_by_role("button", name="Save this session").click()

    # Told at once, without signal: stop the first exercise, call the clinic.
    page.get_by_role("heading", name=KEPT).wait_for()
    stop = page.get_by_role("heading", name=f"Stop doing {first.exercise.name}")
    assert stop.is_visible()
    assert page.get_by_role("heading", name=f"Stop doing {second.exercise.name}").count() == 0
    call = page.get_by_role("link", name="Contact the clinic: +44 20 7946 0000")
    assert call.get_attribute("href") == "tel:+442079460000"
    page.get_by_text(ONE_WAITING).wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert_accessible(page)
    assert not SymptomLog.objects.exists()

    page.reload()  # from the phone, still without signal
    page.get_by_text(ONE_WAITING).wait_for()

    # The browser closes and opens again, still without signal: the log waits.
    phone.close()
    page = phone.open()
    phone.context.set_offline(True)
    page.goto("/portal/")
    page.get_by_text(ONE_WAITING).wait_for()
    assert not SymptomLog.objects.exists()

    # Signal again. The browser's session ended with it, so the patient signs in; the
    # next page sends what waits.
    phone.context.set_offline(False)
    page.goto("/portal/")
    if "/accounts/login/" in page.url:
        login(page, "paula", password)
        page.wait_for_url("**/portal/")
    page.get_by_text("Sent to your clinic: 1.").wait_for()
    logs = SymptomLog.objects.filter(patient=patient)
    assert logs.count() == 2
    assert {log.client_token.rsplit("-", 1)[1] for log in logs} == {str(first.pk), str(second.pk)}
    stopped = logs.get(item=first)
    assert stopped.after == "worse" and any(f["stop"] for f in stopped.findings)

    # Sent once: another page, another sending attempt, nothing more is stored.
    page.reload()
    page.evaluate("CentraOffline.flush()")
    assert page.evaluate("CentraOffline.queued().then(q => q.length)") == 0
    assert SymptomLog.objects.filter(patient=patient).count() == 2


def test_signing_out_deletes_every_page_and_answer_the_phone_kept(
    phone, patient, program, password
):
    page = phone.open()
    login(page, "paula", password)
    page.wait_for_url("**/portal/")
    kept_by_the_worker(page)
    assert (
        page.evaluate("caches.keys().then(k => k.filter(n => n.startsWith('centra-')).length)") > 0
    )

    page.locator("summary", has_text="Account").click()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/login/**")
    assert page.evaluate("caches.keys().then(k => k.filter(n => n.startsWith('centra-')))") == []
    assert "centra-offline" not in page.evaluate(
        "indexedDB.databases().then(d => d.map(x => x.name))"
    )


def test_a_warning_sign_reported_without_signal_shows_the_numbers_to_call_at_once(
    phone, patient, program, password
):
    page = phone.open()
    login(page, "paula", password)
    page.wait_for_url("**/portal/")
    kept_by_the_worker(page)
    page.get_by_role("link", name="Report a warning sign").first.click()
    page.wait_for_url("**/portal/safety-check/**")
    before = list(
        RedFlagCheck.objects.filter(patient=patient).values_list("answered_yes", flat=True)
    )

    phone.context.set_offline(True)
    page.reload()  # kept from the visit with signal
    questions = page.locator("fieldset.question--yesno")
    for index in range(questions.count()):
        questions.nth(index).get_by_role("radio", name="No", exact=True).check()
    page.locator("fieldset.question--yesno").first.get_by_role("radio", name="Yes").check()
    page.get_by_role("button", name="Continue").focus()  # by keyboard
    page.keyboard.press("Enter")

    page.get_by_role("heading", name="Seek urgent medical care now").wait_for()
    emergency = page.get_by_role("link", name="Call the emergency number: 112")
    assert emergency.get_attribute("href") == "tel:112"
    clinic = page.get_by_role("link", name=f"Call {patient.clinic.name}: +44 20 7946 0000")
    assert clinic.get_attribute("href") == "tel:+442079460000"
    stored = RedFlagCheck.objects.filter(patient=patient).values_list("answered_yes", flat=True)
    assert list(stored) == before == [[]]
    page.get_by_text(ONE_WAITING).wait_for()

    phone.context.set_offline(False)
    page.get_by_text("Sent to your clinic: 1.").wait_for()
    # The day's check holds the answers (one check a day, updated by a later one).
    latest = RedFlagCheck.objects.filter(patient=patient).latest("pk")
    assert latest.answered_yes == ["bladder_bowel"]
