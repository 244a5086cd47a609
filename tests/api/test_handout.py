"""prescriptions/{id}/handout.pdf: the printable handout of one version."""

from clinics.models import AuditEvent
from tests.factories import make_prescription


def url(prescription):
    return f"/api/v1/prescriptions/{prescription.pk}/handout.pdf"


def test_it_downloads_the_handout_as_a_pdf(api, prescription):
    response = api.get(url(prescription), HTTP_ACCEPT="application/pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f"handout-{prescription.pk}-v1.pdf" in response["Content-Disposition"]
    event = AuditEvent.objects.get(action="download")
    assert event.patient_id == prescription.patient_id
    assert event.actor_label == "api-key:EHR sync"


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
