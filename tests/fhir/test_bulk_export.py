"""Bulk Data `$export`: kick-off, polling, the manifest, NDJSON files that match the
reads, served only to the credential that asked, and gone when their time is up."""

import json
from datetime import timedelta

import pytest
import requests
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from fhir_r4.clients import register_client
from fhir_r4.models import BulkExport
from fhir_r4.tasks import expire_export, run_export
from tests.fhir.smart import TOKEN_PATH, assertion, public_jwks, token_form

ASYNC = {"HTTP_PREFER": "respond-async", "HTTP_ACCEPT": "application/fhir+json"}


def kick_off(client, path="/fhir/R4/$export", capture=None):
    if capture is None:
        return client.get(path, **ASYNC)
    with capture(execute=True):
        return client.get(path, **ASYNC)


def local(url: str) -> str:
    return url.removeprefix("http://testserver")


def lines(client, url: str) -> list[dict]:
    response = client.get(local(url), HTTP_ACCEPT="application/fhir+ndjson")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+ndjson"
    body = b"".join(response.streaming_content).decode()
    return [json.loads(line) for line in body.splitlines()]


@pytest.fixture
def done(fhir, history, export_store, catalog_before_now, django_capture_on_commit_callbacks):
    """A finished system export of the clinic's records, and its manifest."""
    kickoff = kick_off(fhir, capture=django_capture_on_commit_callbacks)
    assert kickoff.status_code == 202
    status_url = local(kickoff["Content-Location"])
    manifest = fhir.get(status_url)
    assert manifest.status_code == 200
    return status_url, manifest.json()


def test_a_whole_export_holds_every_resource_as_its_read_answers_it(fhir, history, done):
    _status_url, manifest = done

    assert manifest["requiresAccessToken"] is True
    assert manifest["request"] == "http://testserver/fhir/R4/$export"
    export = BulkExport.objects.get()
    assert manifest["transactionTime"] == export.transaction_time.isoformat()
    assert export.transaction_time.date().isoformat() == "2026-03-11"
    by_type = {file["type"]: file for file in manifest["output"]}
    assert set(by_type) >= {"Patient", "CarePlan", "Observation", "Flag", "ActivityDefinition"}
    for resource_type, file in by_type.items():
        found = lines(fhir, file["url"])
        assert len(found) == file["count"]
        assert {resource["resourceType"] for resource in found} == {resource_type}
        search = fhir.get(f"/fhir/R4/{resource_type}", {"_count": 200}).json()
        if resource_type != "Observation":  # the search lists the logs' observations only
            assert len(found) == search["total"]
        for resource in found[:1]:
            read = fhir.get(f"/fhir/R4/{resource_type}/{resource['id']}").json()
            assert resource == read
    flags = lines(fhir, by_type["Flag"]["url"])
    assert {flag["status"] for flag in flags} == {"active", "inactive"}


def test_polling_answers_202_with_progress_until_the_worker_is_done(
    fhir, history, export_store, queued_tasks, django_capture_on_commit_callbacks
):
    kickoff = kick_off(fhir, "/fhir/R4/Patient/$export", django_capture_on_commit_callbacks)
    status_url = local(kickoff["Content-Location"])

    waiting = fhir.get(status_url)
    assert waiting.status_code == 202
    assert waiting["X-Progress"]
    assert waiting["Retry-After"] == "2"

    run_export.call(BulkExport.objects.get().pk)

    manifest = fhir.get(status_url).json()
    assert "ActivityDefinition" not in {file["type"] for file in manifest["output"]}
    assert {file["type"] for file in manifest["output"]} >= {"Patient", "Flag"}


def test_the_worker_deletes_the_files_when_their_time_is_up(
    fhir, history, export_store, queued_tasks, frozen_clock, django_capture_on_commit_callbacks
):
    kick_off(fhir, "/fhir/R4/Patient/$export", django_capture_on_commit_callbacks)
    export = BulkExport.objects.get()
    run_export.call(export.pk)
    export.refresh_from_db()

    queued = DBTaskResult.objects.get(task_path="fhir_r4.tasks.expire_export")
    assert queued.run_after == export.expires_at
    assert not expire_export.call(export.pk)  # too early: nothing goes
    assert any(export_store.rglob("*.ndjson"))

    frozen_clock.move_to(export.expires_at + timedelta(seconds=1))
    assert expire_export.call(export.pk)
    assert not any(export_store.rglob("*.ndjson"))
    assert not BulkExport.objects.exists()


def test_type_and_since_choose_what_the_export_holds(
    fhir, history, export_store, frozen_clock, django_capture_on_commit_callbacks
):
    since = timezone.now().isoformat()
    frozen_clock.shift(timedelta(minutes=1))
    history["open_alert"].acknowledge(by=history["first"].prescribed_by)
    frozen_clock.shift(timedelta(minutes=1))

    kickoff = kick_off(
        fhir,
        f"/fhir/R4/$export?_type=Flag,Patient&_since={since.replace('+', '%2B')}",
        django_capture_on_commit_callbacks,
    )
    manifest = fhir.get(local(kickoff["Content-Location"])).json()

    assert [(file["type"], file["count"]) for file in manifest["output"]] == [("Flag", 1)]
    (flag,) = lines(fhir, manifest["output"][0]["url"])
    assert flag["id"] == str(history["open_alert"].pk)
    assert flag["status"] == "inactive"


@pytest.mark.parametrize(
    ("query", "headers", "expected"),
    [
        ("?_typeFilter=Patient%3Factive%3Dtrue", ASYNC, "_typeFilter"),
        ("?_type=Basic", ASYNC, "Basic"),
        ("?_since=yesterday", ASYNC, "_since"),
        ("?_outputFormat=text/csv", ASYNC, "_outputFormat"),
        ("", {}, "respond-async"),
    ],
)
def test_what_the_export_cannot_honour_answers_400(fhir, db, query, headers, expected):
    response = fhir.get(f"/fhir/R4/$export{query}", **headers)

    assert response.status_code == 400
    assert expected in response.json()["issue"][0]["diagnostics"]
    assert not BulkExport.objects.exists()


def test_the_group_is_the_clinic_and_another_group_is_404(fhir, clinic, other_clinic, db):
    assert kick_off(fhir, f"/fhir/R4/Group/{clinic.slug}/$export").status_code == 202
    assert kick_off(fhir, f"/fhir/R4/Group/{other_clinic.slug}/$export").status_code == 404


def test_another_client_gets_404_for_the_status_and_the_files(
    done, read_only_fhir, other_fhir, smart_token
):
    status_url, manifest = done
    file_url = local(manifest["output"][0]["url"])
    smart = Client(HTTP_AUTHORIZATION=f"Bearer {smart_token}")

    for stranger in [read_only_fhir, other_fhir, smart]:
        assert stranger.get(status_url).status_code == 404
        assert stranger.get(file_url).status_code == 404
        assert stranger.delete(status_url).status_code == 404
    assert BulkExport.objects.exists()


def test_delete_of_the_status_url_deletes_the_files(fhir, done, export_store):
    status_url, manifest = done
    assert any(export_store.rglob("*.ndjson"))

    assert fhir.delete(status_url).status_code == 202

    assert not any(export_store.rglob("*.ndjson"))
    assert fhir.get(status_url).status_code == 404
    assert fhir.get(local(manifest["output"][0]["url"])).status_code == 404


def test_the_files_go_when_their_time_is_up(fhir, done, export_store, settings, frozen_clock):
    status_url, _manifest = done
    frozen_clock.shift(timedelta(minutes=settings.FHIR_EXPORT_KEEP_MINUTES - 1))
    assert fhir.get(status_url).status_code == 200

    frozen_clock.shift(timedelta(minutes=2))
    call_command("purge_bulk_exports")

    assert not any(export_store.rglob("*.ndjson"))
    assert not BulkExport.objects.exists()
    assert fhir.get(status_url).status_code == 404


def test_an_expired_export_is_deleted_when_asked_for(fhir, done, export_store, frozen_clock):
    _status_url, manifest = done
    frozen_clock.shift(timedelta(hours=2))

    assert fhir.get(local(manifest["output"][0]["url"])).status_code == 404
    assert not any(export_store.rglob("*.ndjson"))


def test_a_smart_token_exports_only_the_types_of_its_scopes(
    client, clinic, smart_key, history, export_store, django_capture_on_commit_callbacks
):
    smart = register_client(
        clinic=clinic, name="Reports", scopes=["system/Patient.read"], jwks=public_jwks(smart_key)
    )
    signed = assertion(smart_key, smart.client_id, f"http://testserver{TOKEN_PATH}")
    token = client.post(TOKEN_PATH, token_form(signed, "system/Patient.read")).json()
    reader = Client(HTTP_AUTHORIZATION=f"Bearer {token['access_token']}")

    assert reader.get("/fhir/R4/$export?_type=Flag", **ASYNC).status_code == 403
    kickoff = kick_off(reader, capture=django_capture_on_commit_callbacks)
    manifest = reader.get(local(kickoff["Content-Location"])).json()

    assert [file["type"] for file in manifest["output"]] == ["Patient"]


@pytest.mark.django_db(transaction=True)
def test_a_served_app_runs_an_export_end_to_end(live_server, fhir_key, history, export_store):
    """A real HTTP client against a served app, the task run as the app queues it."""
    headers = {"Authorization": f"Api-Key {fhir_key[1]}", "Prefer": "respond-async"}

    kickoff = requests.get(
        f"{live_server.url}/fhir/R4/Patient/$export", headers=headers, timeout=10
    )
    assert kickoff.status_code == 202
    manifest = requests.get(kickoff.headers["Content-Location"], headers=headers, timeout=10)
    assert manifest.status_code == 200
    patients = next(file for file in manifest.json()["output"] if file["type"] == "Patient")
    download = requests.get(patients["url"], headers=headers, timeout=10)
    anonymous = requests.get(patients["url"], timeout=10)

    assert [json.loads(line)["id"] for line in download.text.splitlines()] == [
        str(history["first"].patient_id)
    ]
    assert anonymous.status_code == 401
