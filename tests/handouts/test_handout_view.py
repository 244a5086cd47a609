"""GET /programs/<pk>/handout.pdf: one address for the therapist and the patient."""

import logging

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from weasyprint import HTML

from clinics.models import AuditEvent
from prescriptions.services import create_prescription
from tests.factories import make_prescription

from .pdfs import pdf_text


def url(prescription) -> str:
    return reverse("handouts:pdf", args=[prescription.pk])


def test_a_therapist_downloads_the_handout_and_it_is_audited(
    therapist_client, therapist, prescription
):
    response = therapist_client.get(url(prescription))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'inline; filename="exercise-program-paula-jones-v1.pdf"'
    )
    assert "no-store" in response["Cache-Control"]
    assert response.content.startswith(b"%PDF")
    assert "Paula Jones" in pdf_text(response.content)
    event = AuditEvent.objects.exclude(action="login").get()
    assert (event.action, event.actor, event.object_type, event.object_id) == (
        "download",
        therapist,
        "prescription",
        str(prescription.pk),
    )
    assert event.patient_id == prescription.patient_id
    assert event.clinic == prescription.patient.clinic
    assert event.detail == {"document": "handout", "version": 1, "large_print": False}


def test_a_spanish_patients_handout_is_named_in_spanish(patient_client, patient, prescription):
    patient.preferred_language = "es"
    patient.save()
    response = patient_client.get(url(prescription) + "?size=large")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'inline; filename="programa-de-ejercicios-paula-jones-v1-letra-grande.pdf"'
    )


def test_every_download_is_audited_even_from_the_cache(therapist_client, prescription):
    therapist_client.get(url(prescription))
    therapist_client.get(url(prescription))
    assert AuditEvent.objects.filter(action="download").count() == 2


def test_a_colleague_in_the_same_clinic_may_print_it(client, colleague, prescription):
    client.force_login(colleague)
    assert client.get(url(prescription)).status_code == 200


def test_the_patient_downloads_their_own_handout(patient_client, patient, prescription):
    response = patient_client.get(url(prescription))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert AuditEvent.objects.exclude(action="login").get().actor == patient.user


def test_it_answers_only_get(therapist_client, prescription):
    assert therapist_client.post(url(prescription)).status_code == 405
    assert not AuditEvent.objects.exclude(action__in=["login", "denied"]).exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, prescription):
    response = client.get(url(prescription))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.hazard("H-06")
def test_a_therapist_of_another_clinic_gets_404(client, other_clinic_therapist, prescription):
    client.force_login(other_clinic_therapist)
    assert client.get(url(prescription)).status_code == 404
    assert not AuditEvent.objects.exclude(action__in=["login", "denied"]).exists()


@pytest.mark.hazard("H-06")
def test_another_patient_gets_404(client, other_patient, prescription):
    client.force_login(other_patient.user)
    assert client.get(url(prescription)).status_code == 404


def test_a_missing_program_is_404_like_someone_elses(therapist_client):
    assert therapist_client.get("/programs/999999/handout.pdf").status_code == 404


def test_a_patient_does_not_get_a_draft(patient_client, patient, therapist):
    draft = make_prescription(patient, therapist, first=2, activate=False)
    assert patient_client.get(url(draft)).status_code == 404


def test_a_program_without_exercises_gets_a_clear_message(therapist_client, patient, therapist):
    empty = create_prescription(patient=patient, by=therapist, items=[])
    response = therapist_client.get(url(empty))
    assert response.status_code == 409
    assert response["Content-Type"].startswith("text/html")
    content = response.content.decode()
    assert "This program has no exercises yet" in content
    assert reverse("patients:detail", args=[patient.pk]) in content
    assert not AuditEvent.objects.exclude(action__in=["login", "denied"]).exists()


def test_a_renderer_failure_is_logged_and_answered_with_a_clear_page(
    therapist_client, prescription, monkeypatch, caplog
):
    def crash(*args, **kwargs):
        raise RuntimeError("cairo exploded")

    monkeypatch.setattr(HTML, "write_pdf", crash)
    with caplog.at_level(logging.ERROR, logger="handouts.views"):
        response = therapist_client.get(url(prescription))
    assert response.status_code == 503
    content = response.content.decode()
    assert "The handout could not be made" in content
    assert "Traceback" not in content and "cairo exploded" not in content
    record = next(r for r in caplog.records if r.name == "handouts.views")
    assert record.exc_info is not None
    assert not AuditEvent.objects.exclude(action__in=["login", "denied"]).exists()


def test_the_pdf_is_in_the_patients_language_not_the_visitors(therapist_client, prescription):
    response = therapist_client.get(url(prescription), HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200
    with translation.override("en"):
        started = date_format(timezone.localtime(prescription.activated_at), "DATE_FORMAT")
    assert started.endswith("Mar 2026")
    assert started in pdf_text(response.content)
    assert "exercise-program-paula-jones-v1.pdf" in response["Content-Disposition"]


def test_an_unknown_size_is_a_400_that_names_the_sizes_and_nothing_is_served(
    therapist_client, prescription
):
    response = therapist_client.get(url(prescription), {"size": "huge"})
    assert response.status_code == 400
    assert response.content.decode() == "Unknown print size: use size=large or size=normal."
    assert not AuditEvent.objects.filter(action="download").exists()
    assert therapist_client.get(url(prescription), {"size": "large"}).status_code == 200


def test_an_unknown_size_on_another_clinics_handout_is_still_a_404(
    client, other_clinic_therapist, prescription
):
    client.force_login(other_clinic_therapist)
    assert client.get(url(prescription), {"size": "huge"}).status_code == 404
