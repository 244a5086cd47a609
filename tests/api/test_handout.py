"""prescriptions/{id}/handout.pdf: the printable handout of one version."""

import pytest

from clinics.models import AuditEvent
from tests.factories import make_prescription
from tests.handouts.pdfs import pdf_text
from tests.handouts.test_handout_on_paper import text_sizes


def url(prescription):
    return f"/api/v1/prescriptions/{prescription.pk}/handout.pdf"


def test_it_downloads_the_handout_as_a_pdf(api, prescription):
    response = api.get(url(prescription), HTTP_ACCEPT="application/pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == (
        'attachment; filename="exercise-program-paula-jones-v1.pdf"'
    )
    event = AuditEvent.objects.get(action="download")
    assert event.patient_id == prescription.patient_id
    assert event.actor_label == "api-key:EHR sync"


def test_a_copy_in_spanish_is_named_in_spanish(api, prescription):
    response = api.get(url(prescription) + "?lang=es", HTTP_ACCEPT="application/pdf")

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="programa-de-ejercicios-paula-jones-v1.pdf"'
    )


def test_another_clinics_handout_is_404(other_api, prescription):
    response = other_api.get(url(prescription), HTTP_ACCEPT="application/pdf")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert not AuditEvent.objects.filter(action="download").exists()


def test_a_program_without_exercises_has_no_handout(api, patient, therapist):
    empty = make_prescription(patient, therapist, exercises=[], activate=False)

    response = api.get(url(empty))

    assert response.status_code == 409
    assert "no exercises" in response.json()["detail"]


def test_a_revoked_or_missing_key_gets_401(client_with_revoked_key, anonymous_api, prescription):
    assert client_with_revoked_key.get(url(prescription)).status_code == 401
    assert anonymous_api.get(url(prescription)).status_code == 401


def test_a_read_only_key_may_download(read_only_api, prescription):
    assert read_only_api.get(url(prescription)).status_code == 200


def smallest_text(data: bytes) -> float:
    """The smallest print above the footer (which is small in every size)."""
    return min(size for size, _char in text_sizes(data))


def test_size_large_prints_at_14_points_and_normal_smaller(api, prescription):
    large = api.get(url(prescription) + "?size=large")
    normal = api.get(url(prescription) + "?size=normal")

    assert large.status_code == normal.status_code == 200
    assert smallest_text(large.content) >= 14
    assert smallest_text(normal.content) < 14
    assert AuditEvent.objects.filter(action="download", detail__large_print=True).exists()


def test_a_patient_who_prefers_large_print_gets_it_unless_another_size_is_asked(
    api, patient, prescription
):
    patient.large_print = True
    patient.save()

    assert smallest_text(api.get(url(prescription)).content) >= 14
    assert smallest_text(api.get(url(prescription) + "?size=normal").content) < 14


def test_lang_prints_the_copy_in_that_language(api, patient, prescription):
    english = pdf_text(api.get(url(prescription)).content)
    spanish = pdf_text(api.get(url(prescription) + "?lang=es").content)

    assert patient.preferred_language == "en"
    assert "exercise" in english.lower()
    assert "ejercicio" in spanish.lower()
    assert "ejercicio" not in english.lower()


@pytest.mark.parametrize("query", ["size=huge", "size=", "lang=fr", "lang=xx"])
def test_an_unknown_size_or_language_is_a_400_naming_it(api, prescription, query):
    response = api.get(url(prescription) + "?" + query)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert query.split("=")[0] in response.json()["errors"]
    assert not AuditEvent.objects.filter(action="download").exists()
