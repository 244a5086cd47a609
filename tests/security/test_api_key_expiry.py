"""API keys with an expiry day: they work until the end of that day, then answer 401."""

from datetime import datetime

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone

from api.models import ClinicAPIKey
from tests.api.conftest import client_with

URL = "/api-keys/"
TODAY = timezone.make_aware(datetime(2026, 3, 10, 9, 0))


@pytest.fixture
def frozen():
    with time_machine.travel(TODAY, tick=False) as traveller:
        yield traveller


def test_an_administrator_creates_a_key_that_expires(therapist_client, therapist, frozen):
    therapist_client.post(URL, {"name": "Billing", "expires_on": "2026-03-12"})

    key = ClinicAPIKey.objects.get(name="Billing")
    assert timezone.localtime(key.expiry_date).date().isoformat() == "2026-03-12"
    raw = therapist_client.get(URL).context["new_key"]
    assert client_with(raw).get("/api/v1/exercises/").status_code == 200
    page = therapist_client.get(URL).content.decode()
    assert "Expires" in page and "Active" in page

    frozen.move_to(timezone.make_aware(datetime(2026, 3, 12, 23, 59)))
    assert client_with(raw).get("/api/v1/exercises/").status_code == 200
    frozen.move_to(timezone.make_aware(datetime(2026, 3, 13, 0, 1)))
    answer = client_with(raw).get("/api/v1/exercises/")
    assert answer.status_code == 401
    assert answer.json()["detail"] == "Invalid, revoked or expired API key."
    therapist_client.force_login(therapist)  # days later: a new session
    assert "Expired" in therapist_client.get(URL).content.decode()


def test_an_expiry_day_in_the_past_is_refused(therapist_client, frozen):
    response = therapist_client.post(URL, {"name": "Billing", "expires_on": "2026-03-09"})
    assert "Choose today or a later day." in response.content.decode()
    assert not ClinicAPIKey.objects.exists()


def test_a_key_without_an_expiry_never_expires(therapist_client, frozen):
    therapist_client.post(URL, {"name": "EHR"})
    assert ClinicAPIKey.objects.get(name="EHR").expiry_date is None


def test_the_command_makes_a_key_that_expires(clinic, capsys, frozen):
    call_command(
        "create_api_key", "--clinic", "harbour", "--name", "EHR", "--expires", "2026-04-01"
    )
    raw = capsys.readouterr().out.strip()
    assert client_with(raw).get("/api/v1/exercises/").status_code == 200
    frozen.move_to(timezone.make_aware(datetime(2026, 4, 2, 0, 1)))
    assert client_with(raw).get("/api/v1/exercises/").status_code == 401


def test_the_command_refuses_an_expiry_in_the_past(clinic, frozen):
    with pytest.raises(CommandError, match="in the past"):
        call_command(
            "create_api_key", "--clinic", "harbour", "--name", "EHR", "--expires", "2026-01-01"
        )
    assert not ClinicAPIKey.objects.exists()
