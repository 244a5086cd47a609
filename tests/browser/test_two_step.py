"""A therapist turns on two-step sign-in in Chromium, signs out, and signs back
in with a code from the "app" (computed here from the secret the page shows)."""

import time
from base64 import b32decode

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.browser.conftest import assert_accessible, login


def app_code(secret: str, at: float) -> str:
    """What an authenticator app shows at `at` for the typed-in key."""
    totp = TOTP(b32decode(secret.replace(" ", "")))
    totp.time = at
    return f"{totp.token():06d}"


def test_a_therapist_turns_it_on_and_signs_in_with_a_code(page, therapist, password):
    login(page, "tess", password)
    page.get_by_role("link", name="Two-step sign-in").click()
    qr_code = page.get_by_role("img", name="QR code to add Centra to an authenticator app")
    assert qr_code.is_visible()
    assert_accessible(page)
    secret = page.get_by_test_id("secret").inner_text()

    # The clock both sides read: the code for this moment confirms the app...
    now = time.time()
    page.get_by_label("Code").fill(app_code(secret, now))
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    codes = page.get_by_test_id("recovery-codes").locator("code").all_inner_texts()
    assert len(codes) == 10
    assert TOTPDevice.objects.get(user=therapist).confirmed
    page.get_by_role("link", name="I have saved them, continue").click()
    page.get_by_role("button", name="Sign out").click()

    login(page, "tess", password)
    assert page.get_by_role("heading", name="Enter your code").is_visible()
    assert_accessible(page)
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Verify").click()
    assert page.get_by_text("That code is not right").is_visible()
    assert "/accounts/login/code/" in page.url

    # ...and a code may serve once: signing in takes the next one (the app's
    # clock may run up to one step ahead), after the short wait a wrong code earns.
    time.sleep(1.1)
    page.get_by_label("Code").fill(app_code(secret, now + 30))
    page.get_by_role("button", name="Verify").click()
    page.wait_for_url("**/patients/")
    assert page.get_by_role("heading", name="Patients", exact=True).is_visible()


def test_a_therapist_signs_in_with_a_recovery_code(page, therapist, password):
    login(page, "tess", password)
    page.goto("/accounts/two-step/")
    secret = page.get_by_test_id("secret").inner_text()
    page.get_by_label("Code").fill(app_code(secret, time.time()))
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    first = page.get_by_test_id("recovery-codes").locator("code").first.inner_text()
    page.get_by_role("button", name="Sign out").click()

    login(page, "tess", password)
    page.get_by_label("Code").fill(first)
    page.get_by_role("button", name="Verify").click()
    page.wait_for_url("**/patients/")
    assert page.get_by_text("9 recovery codes are left").is_visible()


def test_a_therapist_renews_recovery_codes_and_turns_it_off_with_password_and_app(
    page, therapist, password
):
    login(page, "tess", password)
    page.goto("/accounts/two-step/")
    secret = page.get_by_test_id("secret").inner_text()
    now = time.time()
    page.get_by_label("Code").fill(app_code(secret, now))
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    first = page.get_by_test_id("recovery-codes").locator("code").first.inner_text()
    page.goto("/accounts/two-step/")
    assert_accessible(page)

    # A recovery code does not mint new ones.
    page.locator("#id_renew-code").fill(first)
    page.get_by_role("button", name="Get new recovery codes").click()
    assert page.get_by_text("not a recovery code").first.is_visible()

    time.sleep(1.1)  # the short wait a wrong code earns
    page.locator("#id_renew-code").fill(app_code(secret, now + 30))
    page.get_by_role("button", name="Get new recovery codes").click()
    assert first not in page.get_by_test_id("recovery-codes").locator("code").all_inner_texts()

    page.goto("/accounts/two-step/")
    page.get_by_label("Your password").fill(password)
    page.locator("#id_code").fill(app_code(secret, now + 60))
    page.get_by_role("button", name="Turn off").click()
    assert page.get_by_text("Two-step sign-in is off.").is_visible()
    assert not TOTPDevice.objects.filter(user=therapist, confirmed=True).exists()
