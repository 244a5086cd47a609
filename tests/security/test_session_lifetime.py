"""A signed-in session ends SESSION_MAX_AGE after signing in, however active its
user is; the idle timeout still ends it sooner when nobody uses it."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session

LOGIN = "/accounts/login/"


def sign_in(client, username, password):
    response = client.post(LOGIN, {"username": username, "password": password})
    assert response.status_code == 302
    return response


def stay_active(client, traveller, url, hours):
    """A request every 20 minutes, well inside the idle timeout, for `hours` hours."""
    for _ in range(hours * 3):
        traveller.shift(timedelta(minutes=20))
        response = client.get(url)
        assert response.status_code == 200, response.get("Location")


def test_the_maximum_lifetime_is_twelve_hours_by_default():
    assert settings.SESSION_MAX_AGE == 12 * 3600
    assert settings.SESSION_MAX_AGE > settings.SESSION_COOKIE_AGE


@pytest.mark.parametrize(
    ("who", "url"), [("tess", "/patients/"), ("paula", "/portal/")], ids=["therapist", "patient"]
)
def test_an_active_session_ends_twelve_hours_after_signing_in(
    who, url, client, therapist, patient, password
):
    with time_machine.travel("2026-03-02 07:00:00Z", tick=False) as traveller:
        sign_in(client, who, password)
        stay_active(client, traveller, url, hours=11)
        for minutes in (20, 20, 19):
            traveller.shift(timedelta(minutes=minutes))
            assert client.get(url).status_code == 200  # at last 11 h 59 min after signing in

        traveller.shift(timedelta(minutes=1))
        response = client.get(url)

        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)
        assert "_auth_user_id" not in client.session
        assert not Session.objects.filter(session_key=client.session.session_key).exists()


def test_signing_in_again_starts_a_new_lifetime(client, therapist, password):
    with time_machine.travel("2026-03-02 07:00:00Z", tick=False) as traveller:
        sign_in(client, "tess", password)
        stay_active(client, traveller, "/patients/", hours=11)
        for _ in range(3):
            traveller.shift(timedelta(minutes=20))
            response = client.get("/patients/")
        assert response.status_code == 302  # 12 h after signing in

        sign_in(client, "tess", password)
        stay_active(client, traveller, "/patients/", hours=11)


def test_the_lifetime_is_a_setting(client, therapist, password, settings):
    settings.SESSION_MAX_AGE = 2 * 3600
    with time_machine.travel("2026-03-02 07:00:00Z", tick=False) as traveller:
        sign_in(client, "tess", password)
        stay_active(client, traveller, "/patients/", hours=1)
        for _ in range(2):
            traveller.shift(timedelta(minutes=20))
            assert client.get("/patients/").status_code == 200
        traveller.shift(timedelta(minutes=20))
        assert client.get("/patients/")["Location"].startswith(LOGIN)


def test_the_sign_in_time_costs_no_extra_session_write(client, therapist, password):
    with time_machine.travel("2026-03-02 07:00:00Z", tick=False) as traveller:
        sign_in(client, "tess", password)
        written = Session.objects.get(session_key=client.session.session_key).expire_date
        traveller.shift(timedelta(seconds=30))
        client.get("/patients/")
        assert Session.objects.get(session_key=client.session.session_key).expire_date == written
