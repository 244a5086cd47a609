"""Two-step sign-in: setting it up, signing in with a code or a recovery code,
clinics that require it, and the admin that always does."""

import re
import time
from base64 import b32encode
from datetime import timedelta

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinics.models import AuditEvent
from tests.dashboard.test_clinic_settings import settings_data
from tests.factories import make_authenticator, make_user, sign_in_verified

LOGIN = "/accounts/login/"
TWO_STEP = "/accounts/two-step/"
CODE_STEP = "/accounts/login/code/"


def code_for(device, windows_ahead=0):
    """What the authenticator app shows now (or that many 30-second steps later)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + windows_ahead * device.step
    return f"{totp.token():06d}"


def sign_in(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def signed_in_user(client):
    return client.get(reverse("home")).get("Location", "")


def mfa_events(user):
    return list(
        AuditEvent.objects.filter(action="mfa", actor=user)
        .order_by("id")
        .values_list("detail__event", flat=True)
    )


def recovery_codes(page) -> list[str]:
    return re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page.content.decode())


@pytest.fixture
def enrolled(therapist):
    """Tess, with an authenticator app and ten recovery codes."""
    device = make_authenticator(therapist)
    codes = [f"code{n:04d}" for n in range(10)]
    static = therapist.staticdevice_set.create(name="recovery codes", confirmed=True)
    for code in codes:
        static.token_set.create(token=code)
    return device, codes


# Setting it up


def test_a_therapist_sets_it_up_with_the_qr_code_and_a_code_from_the_app(
    therapist_client, therapist
):
    page = therapist_client.get(TWO_STEP)
    assert page.status_code == 200
    text = page.content.decode()
    assert 'src="data:image/svg+xml' in text
    device = TOTPDevice.objects.get(user=therapist, confirmed=False)
    secret = re.search(r'data-testid="secret">([A-Z2-7 ]+)<', text).group(1)
    assert secret.replace(" ", "") == b32encode(device.bin_key).decode()

    page = therapist_client.post(TWO_STEP, {"code": code_for(device)})

    assert page.status_code == 200
    codes = recovery_codes(page)
    assert len(codes) == len(set(codes)) == 10
    assert TOTPDevice.objects.get(user=therapist).confirmed
    assert StaticToken.objects.filter(device__user=therapist).count() == 10
    assert mfa_events(therapist) == ["enrolled"]
    # The session that set it up counts as verified: the admin would let it in.
    assert therapist_client.get(TWO_STEP).content.decode().count("10 unused recovery codes") == 1


def test_a_wrong_code_does_not_turn_it_on(therapist_client, therapist):
    therapist_client.get(TWO_STEP)
    page = therapist_client.post(TWO_STEP, {"code": "000000"})
    assert page.status_code == 400
    assert "That code is not right" in page.content.decode()
    assert not TOTPDevice.objects.filter(user=therapist, confirmed=True).exists()
    assert not StaticToken.objects.exists()


def test_a_wrong_code_at_setup_makes_the_next_try_wait(therapist_client, therapist, frozen_clock):
    therapist_client.get(TWO_STEP)
    device = TOTPDevice.objects.get(user=therapist)
    therapist_client.post(TWO_STEP, {"code": "000000"})
    page = therapist_client.post(TWO_STEP, {"code": code_for(device)})
    assert "Wait a minute" in page.content.decode()
    frozen_clock.shift(timedelta(seconds=5))
    assert len(recovery_codes(therapist_client.post(TWO_STEP, {"code": code_for(device)}))) == 10


def test_the_setup_page_keeps_its_secret_across_reloads(therapist_client, therapist):
    therapist_client.get(TWO_STEP)
    therapist_client.get(TWO_STEP)
    assert TOTPDevice.objects.filter(user=therapist).count() == 1


def test_new_recovery_codes_replace_the_old_ones(client, therapist, enrolled):
    device, _ = enrolled
    sign_in_verified(client, therapist)
    page = client.post(reverse("two_step_codes"), {"renew-code": code_for(device)})
    codes = recovery_codes(page)
    assert len(codes) == 10
    stored = set(StaticToken.objects.values_list("token", flat=True))
    assert stored == set(codes)
    assert "code0000" not in stored
    assert mfa_events(therapist) == ["code_accepted", "recovery_codes_renewed"]


def test_new_recovery_codes_need_a_code_from_the_app(client, therapist, enrolled):
    _, old_codes = enrolled
    sign_in_verified(client, therapist)
    for code in ("", "000000", old_codes[0]):
        page = client.post(reverse("two_step_codes"), {"renew-code": code})
        assert page.status_code == 400
        assert recovery_codes(page) == []
    assert "not a recovery code" in page.content.decode()
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(old_codes)
    assert "recovery_codes_renewed" not in mfa_events(therapist)


def test_a_session_that_did_not_pass_the_code_step_gets_no_new_recovery_codes(
    client, therapist, enrolled, password
):
    """The attack: a password-only session mints codes, then turns the app off."""
    device, old_codes = enrolled
    client.force_login(therapist)  # signed in before the app was set up
    response = client.post(reverse("two_step_codes"), {"renew-code": code_for(device)})
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)  # signed out by the gate
    response = client.post(
        reverse("two_step_disable"), {"password": password, "code": code_for(device)}
    )
    assert response["Location"].startswith(LOGIN)
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(old_codes)
    assert TOTPDevice.objects.filter(user=therapist, confirmed=True).exists()


def test_turning_it_off_takes_the_password_and_a_current_code(
    client, therapist, enrolled, frozen_clock, password
):
    device, _ = enrolled
    sign_in_verified(client, therapist)
    page = client.post(reverse("two_step_disable"), {"password": password, "code": "123456"})
    assert page.status_code == 400
    assert TOTPDevice.objects.filter(user=therapist).exists()

    frozen_clock.shift(timedelta(minutes=1))  # past the wait a wrong code earns
    response = client.post(
        reverse("two_step_disable"), {"password": password, "code": code_for(device)}
    )

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=therapist).exists()
    assert not StaticToken.objects.exists()
    assert mfa_events(therapist) == ["code_refused", "code_accepted", "disabled"]
    page = client.get(response["Location"])  # still signed in
    assert "Two-step sign-in is off." in page.content.decode()
    assert client.get(reverse("patients:list")).status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    for url in (TWO_STEP, reverse("two_step_codes"), reverse("two_step_disable")):
        response = client.post(url) if url != TWO_STEP else client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)
    assert client.get(CODE_STEP)["Location"] == LOGIN
    assert not TOTPDevice.objects.exists()


def test_the_pages_refuse_the_wrong_method(therapist_client):
    assert therapist_client.get(reverse("two_step_codes")).status_code == 405
    assert therapist_client.get(reverse("two_step_disable")).status_code == 405


def test_turning_it_off_refuses_a_wrong_password_even_with_the_right_code(
    client, therapist, enrolled
):
    device, _ = enrolled
    sign_in_verified(client, therapist)
    page = client.post(
        reverse("two_step_disable"), {"password": "not-my-password", "code": code_for(device)}
    )
    assert page.status_code == 400
    assert "That password is not right." in page.content.decode()
    assert TOTPDevice.objects.filter(user=therapist).exists()
    assert "disabled" not in mfa_events(therapist)


def test_a_recovery_code_cannot_turn_it_off(client, therapist, enrolled, password):
    _, codes = enrolled
    sign_in_verified(client, therapist)
    page = client.post(reverse("two_step_disable"), {"password": password, "code": codes[0]})
    assert page.status_code == 400
    assert "not a recovery code" in page.content.decode()
    assert TOTPDevice.objects.filter(user=therapist).exists()
    assert StaticToken.objects.filter(token=codes[0]).exists()  # not used up either


def test_an_app_set_up_elsewhere_signs_out_sessions_opened_before(client, therapist, password):
    """The gate reads the devices on each request, not what the session saw at sign-in."""
    sign_in(client, "tess", password)
    assert client.get(reverse("patients:list")).status_code == 200
    make_authenticator(therapist)  # set up from another browser

    response = client.get(reverse("patients:list"))

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert signed_in_user(client).startswith(LOGIN)


# Signing in


def test_the_password_alone_does_not_sign_in_an_account_with_an_app(
    client, therapist, enrolled, password
):
    response = sign_in(client, "tess", password)
    assert response["Location"] == CODE_STEP
    assert signed_in_user(client).startswith(LOGIN)

    page = client.get(CODE_STEP)
    assert page.status_code == 200
    assert "Enter your code" in page.content.decode()


def test_the_session_id_changes_once_the_password_is_right(client, therapist, enrolled, password):
    session = client.session  # a session that existed before (perhaps planted)
    session["seen"] = True
    session.save()
    before = session.session_key
    sign_in(client, "tess", password)
    assert client.cookies["sessionid"].value != before
    assert client.session["seen"] is True


def test_it_signs_in_with_the_code_from_the_app(client, therapist, enrolled, password):
    device, _ = enrolled
    sign_in(client, "tess", password)
    response = client.post(CODE_STEP, {"code": code_for(device)})

    assert response.status_code == 302
    assert client.get(response["Location"])["Location"] == reverse("patients:list")
    assert client.get(reverse("patients:list")).status_code == 200
    assert mfa_events(therapist) == ["code_accepted"]
    assert AuditEvent.objects.filter(action="login", actor=therapist).count() == 1


def test_the_code_step_keeps_where_the_user_was_going(client, therapist, enrolled, password):
    device, _ = enrolled
    client.post(
        LOGIN, {"username": "tess", "password": password, "next": reverse("exercises:catalog")}
    )
    response = client.post(CODE_STEP, {"code": code_for(device)})
    assert response["Location"] == reverse("exercises:catalog")


def test_a_wrong_code_does_not_sign_in(client, therapist, enrolled, password):
    sign_in(client, "tess", password)
    page = client.post(CODE_STEP, {"code": "000000"})
    assert page.status_code == 400
    assert "That code is not right" in page.content.decode()
    assert signed_in_user(client).startswith(LOGIN)
    assert mfa_events(therapist) == ["code_refused"]
    assert not AuditEvent.objects.filter(action="login").exists()


def test_wrong_codes_in_a_row_make_the_next_try_wait(client, therapist, enrolled, password):
    device, _ = enrolled
    sign_in(client, "tess", password)
    client.post(CODE_STEP, {"code": "000000"})
    client.post(CODE_STEP, {"code": "000001"})
    page = client.post(CODE_STEP, {"code": code_for(device)})
    assert page.status_code == 400
    assert "Wait a minute" in page.content.decode()
    assert signed_in_user(client).startswith(LOGIN)


def test_too_many_wrong_codes_end_the_sign_in(
    client, therapist, enrolled, password, settings, frozen_clock
):
    device, _ = enrolled
    sign_in(client, "tess", password)
    for attempt in range(settings.MFA_CODE_ATTEMPTS):
        frozen_clock.shift(timedelta(minutes=1))
        response = client.post(CODE_STEP, {"code": f"00000{attempt}"})
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    # The right code is no use now: the password must be typed again.
    assert client.post(CODE_STEP, {"code": code_for(device, 1)})["Location"] == LOGIN
    assert signed_in_user(client).startswith(LOGIN)


def test_a_recovery_code_signs_in_once_only(client, therapist, enrolled, password):
    _, codes = enrolled
    sign_in(client, "tess", password)
    response = client.post(CODE_STEP, {"code": codes[3].upper()})
    assert response.status_code == 302
    assert client.get(reverse("patients:list")).status_code == 200
    assert StaticToken.objects.filter(device__user=therapist).count() == 9
    assert mfa_events(therapist) == ["recovery_code_used"]

    client.post(reverse("logout"))
    sign_in(client, "tess", password)
    page = client.post(CODE_STEP, {"code": codes[3]})
    assert page.status_code == 400
    assert signed_in_user(client).startswith(LOGIN)


def test_the_code_step_expires(client, therapist, enrolled, password, frozen_clock):
    device, _ = enrolled
    sign_in(client, "tess", password)
    frozen_clock.shift(timedelta(minutes=6))
    assert client.post(CODE_STEP, {"code": code_for(device)})["Location"] == LOGIN


def test_a_session_signed_in_with_the_password_alone_is_signed_out(client, therapist, enrolled):
    # Any way in other than the code step (here the test client's own login).
    client.force_login(therapist)
    response = client.get(reverse("patients:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert signed_in_user(client).startswith(LOGIN)


def test_accounts_without_an_app_sign_in_with_the_password(client, therapist, password):
    response = sign_in(client, "tess", password)
    assert client.get(response["Location"])["Location"] == reverse("patients:list")


# Patients (optional for them)


def test_a_patient_sets_it_up_in_the_portal_and_signs_in_with_a_code(
    client, patient, password, frozen_clock
):
    client.force_login(patient.user)
    page = client.get(TWO_STEP)
    assert page.status_code == 200
    assert reverse("portal:today") in page.content.decode()  # the portal's own menu
    device = TOTPDevice.objects.get(user=patient.user)
    assert len(recovery_codes(client.post(TWO_STEP, {"code": code_for(device)}))) == 10
    client.post(reverse("logout"))

    assert sign_in(client, "paula", password)["Location"] == CODE_STEP
    response = client.post(CODE_STEP, {"code": code_for(device, 1)})
    assert client.get(response["Location"])["Location"] == reverse("portal:today")
    events = AuditEvent.objects.filter(action="mfa", actor=patient.user)
    assert {event.clinic_id for event in events} == {patient.clinic_id}


# A clinic that requires it


def test_a_clinic_administrator_can_require_it(therapist_client, clinic):
    page = therapist_client.get(reverse("dashboard:clinic_settings"))
    assert "Require two-step sign-in for every therapist" in page.content.decode()
    therapist_client.post(
        reverse("dashboard:clinic_settings"),
        settings_data(phone="", emergency_number="112", pain_rise_threshold=3, require_mfa="on"),
    )
    clinic.refresh_from_db()
    assert clinic.require_mfa


def test_a_therapist_without_an_app_is_sent_to_set_it_up_first(client, colleague, clinic):
    clinic.require_mfa = True
    clinic.save()
    client.force_login(colleague)
    for url in (reverse("patients:list"), reverse("exercises:catalog"), "/api/v1/patients/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == TWO_STEP
    page = client.get(TWO_STEP, follow=True)
    assert "Your clinic requires two-step sign-in" in page.content.decode()

    client.post(TWO_STEP, {"code": code_for(TOTPDevice.objects.get(user=colleague))})
    assert client.get(reverse("patients:list")).status_code == 200


def test_a_required_app_cannot_be_turned_off(client, therapist, clinic, enrolled):
    device, _ = enrolled
    clinic.require_mfa = True
    clinic.save()
    sign_in_verified(client, therapist)
    assert "cannot be turned off" in client.get(TWO_STEP).content.decode()
    client.post(reverse("two_step_disable"), {"password": "unused", "code": code_for(device)})
    assert TOTPDevice.objects.filter(user=therapist).exists()


def test_another_clinics_requirement_does_not_apply(client, therapist, other_clinic):
    other_clinic.require_mfa = True
    other_clinic.save()
    client.force_login(therapist)
    assert client.get(reverse("patients:list")).status_code == 200


def test_patients_are_not_held_back_by_their_clinics_requirement(patient_client, clinic):
    clinic.require_mfa = True
    clinic.save()
    assert patient_client.get(reverse("portal:today")).status_code == 200


# The Django admin


def test_the_admin_sends_anonymous_visitors_to_the_sign_in_page(client, db):
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == f"{LOGIN}?next=/admin/"


def test_the_admin_refuses_staff_who_did_not_pass_the_code_step(client, db):
    staff = make_user("root", is_staff=True, is_superuser=True)
    client.force_login(staff)
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith(TWO_STEP)
    assert "The admin needs two-step sign-in" in response.content.decode()
    assert client.get(reverse("admin:clinics_clinic_changelist")).status_code == 302


def test_the_admin_lets_in_staff_verified_with_a_code(client, db):
    staff = make_user("root", is_staff=True, is_superuser=True)
    sign_in_verified(client, staff)
    assert client.get("/admin/").status_code == 200


def test_the_admin_signs_in_through_the_code_step(client, db, password):
    staff = make_user("root", is_staff=True, is_superuser=True)
    device = make_authenticator(staff)
    client.post(LOGIN, {"username": "root", "password": password, "next": "/admin/"})
    response = client.post(CODE_STEP, {"code": code_for(device)})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_the_admin_has_no_password_form_of_its_own(client, db, password):
    make_user("root", is_staff=True, is_superuser=True)
    response = client.post("/admin/login/", {"username": "root", "password": password})
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert client.get("/admin/")["Location"].startswith("/admin/login/")


def test_a_new_portal_invitation_does_not_skip_the_code(client, patient, therapist):
    make_authenticator(patient.user)
    patient.revoke_portal_access()
    _, token = patient.invite(by=therapist)
    new_password = "lumbar-roll-sunrise-81"
    response = client.post(
        reverse("portal:activate", args=[token]),
        {"username": "paula", "password1": new_password, "password2": new_password},
    )
    assert response.status_code == 302
    response = client.get(reverse("portal:today"))
    assert response["Location"].startswith(LOGIN)
    assert sign_in(client, "paula", new_password)["Location"] == CODE_STEP
