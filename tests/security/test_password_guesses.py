"""Wrong passwords typed inside a signed-in session count towards the sign-in
pause, like the login page's: a stolen session gets no free guesses."""

from django.urls import reverse
from django_otp.oath import TOTP

from clinics.models import AuditEvent
from tests.factories import sign_in_verified

CHANGE = "/accounts/password_change/"


def change(client, old):
    return client.post(
        CHANGE,
        {
            "old_password": old,
            "new_password1": "a-new-pass-phrase-2026",
            "new_password2": "a-new-pass-phrase-2026",
        },
    )


def test_wrong_old_passwords_on_the_change_page_pause_the_account(
    therapist_client, therapist, password, settings
):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert change(therapist_client, "a-wrong-guess").status_code == 200
    assert change(therapist_client, "a-wrong-guess").status_code == 429

    # Paused: not even the right old password changes it now...
    assert change(therapist_client, password).status_code == 429
    therapist.refresh_from_db()
    assert therapist.check_password(password)
    # ...and the sign-in page refuses the account from this address too.
    therapist_client.logout()
    response = therapist_client.post(reverse("login"), {"username": "tess", "password": password})
    assert response.status_code == 429
    assert AuditEvent.objects.filter(action="login_failed", actor_label="tess").count() >= 5


def test_a_right_old_password_still_changes_it(therapist_client, therapist, password):
    response = change(therapist_client, password)
    assert response.status_code == 302
    therapist.refresh_from_db()
    assert therapist.check_password("a-new-pass-phrase-2026")


def test_wrong_passwords_when_turning_off_two_step_sign_in_count_too(client, therapist, settings):
    sign_in_verified(client, therapist)
    device = therapist.totpdevice_set.get()
    code = f"{TOTP(device.bin_key).token():06d}"
    responses = [
        client.post(reverse("two_step_disable"), {"password": "guess", "code": code}).status_code
        for _attempt in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert responses == [400] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    assert therapist.totpdevice_set.filter(confirmed=True).exists()
