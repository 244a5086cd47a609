"""The clinic administrator's API keys page."""

import pytest
from django.core.management import CommandError, call_command

from api.models import ClinicAPIKey, create_api_key
from clinics.models import AuditEvent
from tests.api.conftest import client_with

URL = "/api-keys/"


def test_it_lists_the_clinics_keys_only(therapist_client, api_key, read_only_key, other_clinic_key):
    response = therapist_client.get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert "EHR sync" in page and api_key[0].prefix in page
    assert "Reports" in page and "Read-only" in page
    assert "Hillside EHR" not in page
    assert api_key[1] not in page
    assert "Never" in page


def test_it_creates_a_key_and_shows_it_once(therapist_client, therapist, clinic):
    response = therapist_client.post(URL, {"name": "Scheduling", "read_only": "on"})

    assert response.status_code == 302 and response["Location"] == URL
    key = ClinicAPIKey.objects.get(name="Scheduling")
    assert key.clinic == clinic and key.read_only and key.created_by == therapist
    shown = therapist_client.get(URL)
    raw = shown.context["new_key"]
    assert ClinicAPIKey.objects.find(raw) == key
    page = shown.content.decode()
    assert raw in page
    assert "This is the only time Centra shows this key" in page
    assert "no-store" in shown["Cache-Control"]
    assert client_with(raw).get("/api/v1/exercises/").status_code == 200
    assert AuditEvent.objects.filter(
        action="create", object_type="api_key", object_id=key.prefix
    ).exists()


def test_reloading_after_creating_makes_no_second_key_and_hides_the_secret(therapist_client):
    therapist_client.post(URL, {"name": "Scheduling"})

    first = therapist_client.get(URL)
    again = therapist_client.get(URL)

    key = ClinicAPIKey.objects.get()
    assert key.name == "Scheduling" and not key.revoked
    raw = first.context["new_key"]
    assert raw in first.content.decode() and "Copy the new key now" in first.content.decode()
    assert raw not in again.content.decode()
    assert "Copy the new key now" not in again.content.decode()
    assert raw not in therapist_client.session.values()


def test_it_refuses_a_key_without_a_name(therapist_client):
    response = therapist_client.post(URL, {"name": ""})

    assert response.status_code == 400
    assert response.context["form"].errors["name"]
    assert response.context["new_key"] is None
    assert not ClinicAPIKey.objects.exists()


def test_it_revokes_a_key(therapist_client, api_key):
    key, raw = api_key

    response = therapist_client.post(f"/api-keys/{key.prefix}/revoke/")

    assert response.status_code == 302
    key.refresh_from_db()
    assert key.revoked and key.revoked_at is not None
    assert client_with(raw).get("/api/v1/exercises/").status_code == 401
    assert "Revoked" in therapist_client.get(URL).content.decode()


def test_revoking_needs_post(therapist_client, api_key):
    assert therapist_client.get(f"/api-keys/{api_key[0].prefix}/revoke/").status_code == 405


def test_another_clinics_key_is_404(therapist_client, other_clinic_key):
    key = other_clinic_key[0]

    response = therapist_client.post(f"/api-keys/{key.prefix}/revoke/")

    assert response.status_code == 404
    key.refresh_from_db()
    assert not key.revoked


def test_a_therapist_who_is_not_an_admin_is_refused(client, colleague, api_key):
    client.force_login(colleague)

    assert client.get(URL).status_code == 403
    assert client.post(URL, {"name": "Mine"}).status_code == 403
    assert client.post(f"/api-keys/{api_key[0].prefix}/revoke/").status_code == 403
    assert ClinicAPIKey.objects.count() == 1


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_command_prints_a_working_key(clinic, capsys):
    call_command("create_api_key", "--clinic", "harbour", "--name", "EHR", "--read-only")

    raw = capsys.readouterr().out.strip()
    key = ClinicAPIKey.objects.find(raw)
    assert key is not None and key.clinic == clinic and key.read_only and key.name == "EHR"


def test_the_command_refuses_an_unknown_clinic(clinic):
    with pytest.raises(CommandError, match="No clinic"):
        call_command("create_api_key", "--clinic", "nowhere", "--name", "EHR")
    assert not ClinicAPIKey.objects.exists()


def test_the_command_refuses_a_too_long_name(clinic):
    with pytest.raises(CommandError, match="1 to 50"):
        call_command("create_api_key", "--clinic", "harbour", "--name", "x" * 51)


def test_revoking_twice_changes_nothing(clinic):
    key, _ = create_api_key(clinic=clinic, name="Old")
    assert key.revoke()
    first = key.revoked_at

    assert not key.revoke()
    key.refresh_from_db()
    assert key.revoked_at == first
