"""Signing in and out, changing and resetting passwords, throttling, idle sessions."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core import mail
from django.urls import reverse
from django.utils import timezone

LOGIN = "/accounts/login/"


def sign_in(client, username, password, address="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_it_sends_a_therapist_to_the_patient_list_after_signing_in(client, therapist, password):
    response = sign_in(client, "tess", password)
    assert response.status_code == 302
    response = client.get(response["Location"], follow=True)
    assert response.redirect_chain[-1][0] == reverse("patients:list")


def test_it_sends_a_patient_to_the_portal_after_signing_in(client, patient, password):
    response = sign_in(client, "paula", password)
    response = client.get(response["Location"])
    assert response["Location"] == reverse("portal:today")


def test_it_signs_out_with_a_post_and_forgets_the_session(therapist_client):
    response = therapist_client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert therapist_client.get(reverse("patients:list"))["Location"].startswith(LOGIN)


def test_it_does_not_sign_out_on_a_get(therapist_client):
    assert therapist_client.get(reverse("logout")).status_code == 405


def test_it_changes_the_password(therapist_client, therapist, password):
    page = therapist_client.get(reverse("password_change"))
    assert "Change your password" in page.content.decode()
    response = therapist_client.post(
        reverse("password_change"),
        {
            "old_password": password,
            "new_password1": "a-much-longer-phrase-77",
            "new_password2": "a-much-longer-phrase-77",
        },
    )
    assert response["Location"] == reverse("password_change_done")
    therapist.refresh_from_db()
    assert therapist.check_password("a-much-longer-phrase-77")


def test_it_refuses_a_wrong_old_password_with_a_message(therapist_client, therapist, password):
    response = therapist_client.post(
        reverse("password_change"),
        {
            "old_password": "wrong",
            "new_password1": "a-much-longer-phrase-77",
            "new_password2": "a-much-longer-phrase-77",
        },
    )
    assert response.status_code == 200
    assert "Your old password was entered incorrectly" in response.content.decode()
    therapist.refresh_from_db()
    assert therapist.check_password(password)


def test_it_asks_for_a_login_before_changing_a_password(client, db):
    response = client.get(reverse("password_change"))
    assert response["Location"].startswith(LOGIN)


def test_it_emails_a_reset_link_that_sets_a_new_password(client, therapist):
    response = client.post(reverse("password_reset"), {"email": therapist.email})
    assert response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    assert "Choose a new password" in form.content.decode()
    response = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "fresh-start-phrase-31", "new_password2": "fresh-start-phrase-31"},
    )
    assert response["Location"] == reverse("password_reset_complete")
    therapist.refresh_from_db()
    assert therapist.check_password("fresh-start-phrase-31")


def test_it_says_the_same_for_an_unknown_address_and_sends_nothing(client, db):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.test"})
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_it_explains_a_used_reset_link(client, db):
    response = client.get("/accounts/reset/MQ/set-password/", follow=True)
    assert "This link no longer works" in response.content.decode()


def test_it_pauses_an_account_from_one_address_after_five_failures(client, therapist, password):
    for _attempt in range(5):
        sign_in(client, "tess", "wrong-password")
    response = sign_in(client, "tess", password)
    assert response.status_code == 429
    assert "Too many sign-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_lets_the_same_account_sign_in_from_another_address(client, therapist, password):
    for _attempt in range(6):
        sign_in(client, "tess", "wrong-password", address="10.0.0.66")
    response = sign_in(client, "tess", password, address="10.0.0.2")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(therapist.pk)


def test_the_pause_lifts_by_itself():
    assert settings.AXES_COOLOFF_TIME is not None
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_a_session_ends_after_half_an_hour_without_a_request():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert not settings.SESSION_SAVE_EVERY_REQUEST


def _session_end(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_each_request_pushes_the_end_of_the_session_on(therapist_client):
    therapist_client.get(reverse("patients:list"))
    remaining = (_session_end(therapist_client) - timezone.now()).total_seconds()
    assert settings.SESSION_COOKIE_AGE - 60 < remaining <= settings.SESSION_COOKIE_AGE


def test_requests_within_a_minute_do_not_write_the_session_again(therapist_client):
    with time_machine.travel("2026-03-02 09:00:00Z", tick=False) as traveller:
        therapist_client.get(reverse("patients:list"))
        written = _session_end(therapist_client)
        traveller.shift(timedelta(seconds=50))
        therapist_client.get(reverse("patients:list"))
        assert _session_end(therapist_client) == written


def test_a_request_a_minute_later_moves_the_end_of_the_session_on(therapist_client):
    with time_machine.travel("2026-03-02 09:00:00Z", tick=False) as traveller:
        therapist_client.get(reverse("patients:list"))
        written = _session_end(therapist_client)
        traveller.shift(timedelta(seconds=61))
        therapist_client.get(reverse("patients:list"))
        assert _session_end(therapist_client) == written + timedelta(seconds=61)


def test_a_session_idle_for_half_an_hour_has_ended_even_with_the_minute_grace(
    therapist_client,
):
    with time_machine.travel("2026-03-02 09:00:00Z", tick=False) as traveller:
        therapist_client.get(reverse("patients:list"))
        traveller.shift(timedelta(seconds=50))
        therapist_client.get(reverse("patients:list"))  # not written: within the minute
        traveller.shift(timedelta(seconds=settings.SESSION_COOKIE_AGE - 40))
        response = therapist_client.get(reverse("patients:list"))
        assert response["Location"].startswith(LOGIN)


def test_an_anonymous_visit_creates_no_session(client, db):
    client.get(LOGIN)
    assert not Session.objects.exists()


def test_an_idle_session_sends_the_therapist_back_to_the_login(therapist_client):
    key = therapist_client.session.session_key
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = therapist_client.get(reverse("patients:list"))
    assert response["Location"].startswith(LOGIN)


@pytest.mark.parametrize("url_name", ["password_reset", "password_change"])
def test_the_password_pages_have_labelled_fields(client, therapist, url_name):
    client.force_login(therapist)
    content = client.get(reverse(url_name)).content.decode()
    for field_id in re.findall(r'<input[^>]+type="(?:email|password)"[^>]+id="([^"]+)"', content):
        assert f'for="{field_id}"' in content


def test_a_therapist_can_sign_in_with_their_email_address(client, therapist, password):
    response = sign_in(client, "TESS@example.test", password)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(therapist.pk)


def test_an_email_shared_by_two_accounts_signs_in_neither(client, therapist, colleague, password):
    colleague.email = therapist.email
    colleague.save()
    response = sign_in(client, therapist.email, password)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_failed_email_sign_ins_count_towards_the_pause(client, therapist, password):
    for _attempt in range(5):
        sign_in(client, therapist.email, "wrong-password")
    assert sign_in(client, therapist.email, password).status_code == 429
