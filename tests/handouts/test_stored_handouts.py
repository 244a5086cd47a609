"""The handout PDFs the worker renders ahead hold patient data: they are stored
outside the public media folder, read only through the signed-in handout view,
and deleted when superseded, archived, revoked, and by the retention job."""

import logging
import os
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from clinics.models import AuditEvent
from handouts.checks import handouts_stored_privately
from handouts.pdf import store_pdf
from prescriptions.services import activate_prescription
from tests.factories import make_patient, make_prescription
from tests.handouts.pdfs import pdf_text


def stored_names(folder):
    return sorted(path.name for path in folder.glob("*.pdf"))


def plant(folder, program, tail="v1-0000abcd"):
    """A stored copy as the worker names it, without paying for a render."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"handout-{program.pk}-{tail}.pdf"
    path.write_bytes(b"%PDF-1.7 stored copy")
    return path


def test_the_worker_stores_handouts_outside_the_public_media_folder(
    handout_store, settings, prescription, patient, therapist
):
    assert store_pdf(prescription)

    names = stored_names(handout_store)
    assert len(names) == 6  # each reader, language and print size anyone can download
    assert not (settings.MEDIA_ROOT / "handouts").exists()
    anonymous = Client()
    for name in names:
        assert anonymous.get(f"/media/handouts/{name}").status_code == 404
    # What a signed-in patient gets is the stored copy, through the audited view.
    for name in names:
        (handout_store / name).write_bytes(b"%PDF-1.7 marked")
    client = Client()
    client.force_login(patient.user)
    response = client.get(reverse("handouts:pdf", args=[prescription.pk]))
    assert response.content == b"%PDF-1.7 marked"
    assert "no-store" in response["Cache-Control"]
    assert AuditEvent.objects.filter(action="download", actor=patient.user).count() == 1


def test_a_download_the_worker_has_not_rendered_is_rendered_once_and_stored(
    handout_store, patient_client, prescription, caplog
):
    url = reverse("handouts:pdf", args=[prescription.pk])
    with caplog.at_level(logging.INFO, logger="handouts.views"):
        first = patient_client.get(url)
    assert first.status_code == 200
    assert "Your home exercise program" in pdf_text(first.content)
    assert "served (source: rendered)" in caplog.text
    [stored] = handout_store.glob(f"handout-{prescription.pk}-v1-*.pdf")
    assert stored.read_bytes() == first.content

    cache.clear()
    stored.write_bytes(b"%PDF-1.7 marked")
    assert patient_client.get(url).content == b"%PDF-1.7 marked"


def test_a_store_that_cannot_be_written_still_gives_the_reader_the_handout(
    settings, tmp_path, patient_client, prescription, caplog
):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the store's folder should be")
    settings.STORAGES = {
        **settings.STORAGES,
        "handouts": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": blocked},
        },
    }
    response = patient_client.get(reverse("handouts:pdf", args=[prescription.pk]))
    assert response.status_code == 200
    assert "Your home exercise program" in pdf_text(response.content)
    assert "Could not store a handout rendered on download." in caplog.text


def test_the_handout_view_answers_404_to_another_clinic_and_sends_strangers_to_sign_in(
    handout_store, prescription, other_clinic_therapist
):
    plant(handout_store, prescription)
    assert Client().get(reverse("handouts:pdf", args=[prescription.pk])).status_code == 302
    client = Client()
    client.force_login(other_clinic_therapist)
    assert client.get(reverse("handouts:pdf", args=[prescription.pk])).status_code == 404
    assert not AuditEvent.objects.filter(action="download").exists()


def test_archiving_the_record_by_any_path_deletes_its_stored_handouts(
    handout_store,
    prescription,
    patient,
    other_patient,
    therapist,
    django_capture_on_commit_callbacks,
):
    others = make_prescription(other_patient, therapist)
    mine, theirs = plant(handout_store, prescription), plant(handout_store, others)

    with django_capture_on_commit_callbacks(execute=True):
        patient.archived = True
        patient.save()  # as the Django admin or an import would

    assert not mine.exists()
    assert theirs.exists()


def test_revoking_portal_access_deletes_the_stored_handouts(
    handout_store, prescription, patient, django_capture_on_commit_callbacks
):
    stored = plant(handout_store, prescription)
    with django_capture_on_commit_callbacks(execute=True):
        patient.revoke_portal_access()
    assert not stored.exists()


def test_a_new_version_deletes_the_superseded_copies_before_any_render(
    queued_tasks,
    handout_store,
    prescription,
    patient,
    therapist,
    django_capture_on_commit_callbacks,
):
    stored = plant(handout_store, prescription)
    draft = make_prescription(patient, therapist, activate=False)
    draft_copy = plant(handout_store, draft)
    with django_capture_on_commit_callbacks(execute=True):
        activate_prescription(prescription=draft)
    # The render task waits in the queue: the old copies went all the same.
    assert not stored.exists()
    assert draft_copy.exists()


def test_the_retention_job_deletes_old_ended_archived_and_public_copies(
    handout_store, settings, clinic, therapist, prescription, patient, capsys
):
    settings.HANDOUT_STORE_DAYS = 30
    fresh = plant(handout_store, prescription, "v1-fresh")
    stale = plant(handout_store, prescription, "v1-stale")
    for path, age in ((fresh, timedelta(days=29)), (stale, timedelta(days=31))):
        written = (timezone.now() - age).timestamp()
        os.utime(path, (written, written))
    archived = make_patient(clinic)
    of_archived = plant(handout_store, make_prescription(archived, therapist))
    type(archived).objects.filter(pk=archived.pk).update(archived=True)  # no signal
    ended = make_prescription(make_patient(clinic), therapist)
    ended.status = ended.Status.ENDED
    ended.save(update_fields=["status"])
    of_ended = plant(handout_store, ended)
    gone = plant(handout_store, type("Gone", (), {"pk": 999999})())
    legacy = plant(settings.MEDIA_ROOT / "handouts", prescription)
    picture = settings.MEDIA_ROOT / "exercises" / "1" / "bridge.png"
    picture.parent.mkdir(parents=True)
    picture.write_bytes(b"png")

    call_command("purge_stored_handouts")

    assert fresh.exists()
    assert picture.exists()
    for path in (stale, of_archived, of_ended, gone, legacy):
        assert not path.exists(), path.name
    assert "5 stored handout(s) deleted." in capsys.readouterr().out


def test_render_handouts_queues_the_programs_in_use_after_a_layout_change(
    queued_tasks, clinic, therapist, prescription, capsys
):
    ended = make_prescription(make_patient(clinic), therapist)
    ended.status = ended.Status.ENDED
    ended.save(update_fields=["status"])
    archived = make_patient(clinic)
    make_prescription(archived, therapist)
    type(archived).objects.filter(pk=archived.pk).update(archived=True)
    make_prescription(make_patient(clinic), therapist, activate=False)  # a draft

    call_command("render_handouts")

    assert "1 program(s) queued for the worker to render." in capsys.readouterr().out
    queued = DBTaskResult.objects.filter(task_path__endswith="render_handout_pdf")
    assert [task.args_kwargs["args"] for task in queued] == [[prescription.pk]]


@pytest.mark.parametrize("inside", [True, False])
def test_the_system_check_refuses_handouts_stored_under_media_root(settings, tmp_path, inside):
    settings.MEDIA_ROOT = tmp_path / "media"
    location = tmp_path / "media" / "private" if inside else tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "handouts": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": location},
        },
    }
    errors = [error.id for error in handouts_stored_privately()]
    assert errors == (["handouts.E001"] if inside else [])
