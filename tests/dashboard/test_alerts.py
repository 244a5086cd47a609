"""Acknowledging an alert: who and when are kept."""

import pytest
from django.urls import reverse

from clinics.models import AuditEvent
from prescriptions.models import Alert

pytestmark = pytest.mark.any_hour


@pytest.fixture
def alert(patient, item, add_log):
    return add_log(patient, item, during="peripheralize", location="thigh").alerts[0]


def url(alert) -> str:
    return reverse("prescriptions:acknowledge_alert", kwargs={"pk": alert.pk})


def test_it_acknowledges_and_keeps_who_and_when(therapist_client, therapist, alert, patient):
    response = therapist_client.post(url(alert))
    page = reverse("patients:detail", kwargs={"pk": patient.pk})
    assert response["Location"] == page + "#alerts"
    alert.refresh_from_db()
    assert alert.acknowledged_by == therapist
    assert alert.acknowledged_at is not None
    assert not Alert.objects.open().exists()
    content = therapist_client.get(page).content.decode()
    assert "Acknowledged by Tess" in content
    assert AuditEvent.objects.filter(action="update", object_type="alert").exists()


def test_it_answers_json_for_the_inline_button(therapist_client, therapist, alert):
    response = therapist_client.post(url(alert), HTTP_ACCEPT="application/json")
    data = response.json()
    assert data["acknowledged"] is True
    assert data["by"] == therapist.get_full_name()


def test_a_second_acknowledgement_keeps_the_first(therapist_client, colleague, alert, client):
    alert.acknowledge(by=colleague)
    first_at = Alert.objects.get(pk=alert.pk).acknowledged_at
    response = therapist_client.post(url(alert), follow=True)
    assert "had already acknowledged" in response.content.decode()
    alert.refresh_from_db()
    assert (alert.acknowledged_by, alert.acknowledged_at) == (colleague, first_at)


def test_it_goes_back_to_a_safe_next_page_only(therapist_client, alert):
    response = therapist_client.post(url(alert), {"next": "https://evil.example/"})
    assert response["Location"].startswith("/patients/")


def test_it_refuses_get(therapist_client, alert):
    assert therapist_client.get(url(alert)).status_code == 405
    assert Alert.objects.open().exists()


def test_it_sends_anonymous_visitors_to_the_login(client, alert):
    assert client.post(url(alert))["Location"].startswith("/accounts/login/")
    assert Alert.objects.open().exists()


def test_another_clinic_gets_404(stranger_client, alert):
    assert stranger_client.post(url(alert)).status_code == 404
    assert Alert.objects.open().exists()


def test_a_patient_cannot_acknowledge_their_own_alert(patient_client, alert):
    assert patient_client.post(url(alert)).status_code == 403
    assert Alert.objects.open().exists()
