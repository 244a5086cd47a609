"""The therapist records the risk history and the painful side on the patient record."""

import re

from django.urls import reverse

from patients.models import Patient, RiskFactor
from tests.dashboard.test_patient_record import CREATE, details


def test_the_therapist_records_a_risk_history_and_a_painful_side(therapist_client):
    response = therapist_client.post(
        CREATE, details(risk_factors=["steroids", "cancer"], painful_side="left")
    )
    assert response.status_code == 302
    patient = Patient.objects.get(external_id="EHR-100")
    assert patient.risk_factors == ["cancer", "steroids"]
    assert patient.painful_side == "left"
    page = therapist_client.get(response["Location"]).content.decode()
    assert "Cancer, now or in the past; Long-term steroid use" in page
    assert "Painful side" in page and "Left" in page


def test_the_form_offers_every_risk_factor_unticked_with_a_label(therapist_client):
    content = therapist_client.get(CREATE).content.decode()
    for index, (_code, label) in enumerate(RiskFactor.choices):
        assert f'for="id_risk_factors_{index}"' in content
        assert str(label) in content
    assert "checked" not in content.split('id="id_risk_factors"')[1].split("</fieldset>")[0]
    assert 'for="id_painful_side"' in content
    assert "never asked of the patient" in content


def test_unticking_clears_the_risk_history(therapist_client, patient):
    patient.risk_factors = ["trauma"]
    patient.save()
    url = reverse("patients:edit", kwargs={"pk": patient.pk})
    ticked = re.findall(
        r'<input[^>]*name="risk_factors"[^>]*>', therapist_client.get(url).content.decode()
    )
    assert [box for box in ticked if "checked" in box] == [
        box for box in ticked if 'value="trauma"' in box
    ]
    therapist_client.post(url, details(first_name="Paula", last_name="Jones", external_id=""))
    patient.refresh_from_db()
    assert patient.risk_factors == []


def test_an_unknown_risk_factor_is_refused_and_nothing_is_saved(therapist_client):
    response = therapist_client.post(CREATE, details(risk_factors=["smoking"]))
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Patient.objects.filter(external_id="EHR-100").exists()
