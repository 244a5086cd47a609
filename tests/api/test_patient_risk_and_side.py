"""The patient's risk history and painful side through the REST API."""

import pytest

from patients.models import Patient

URL = "/api/v1/patients/"


def test_it_reads_the_risk_history_and_painful_side(api, patient):
    patient.risk_factors = ["osteoporosis"]
    patient.painful_side = "left"
    patient.save()
    body = api.get(f"{URL}{patient.pk}/").json()
    assert (body["risk_factors"], body["painful_side"]) == (["osteoporosis"], "left")


def test_a_new_patient_gets_them_stored_in_the_tables_order(api):
    response = api.post(
        URL,
        {
            "first_name": "Rita",
            "last_name": "Risk",
            "risk_factors": ["trauma", "cancer", "trauma"],
            "painful_side": "right",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    patient = Patient.objects.get(pk=response.json()["id"])
    assert patient.risk_factors == ["cancer", "trauma"]
    assert patient.painful_side == "right"


def test_a_patch_replaces_the_risk_history_and_an_empty_list_clears_it(api, patient):
    assert (
        api.patch(f"{URL}{patient.pk}/", {"risk_factors": ["steroids"]}, format="json").status_code
        == 200
    )
    patient.refresh_from_db()
    assert patient.risk_factors == ["steroids"]
    api.patch(f"{URL}{patient.pk}/", {"risk_factors": []}, format="json")
    patient.refresh_from_db()
    assert patient.risk_factors == []


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("risk_factors", ["cancer", "smoking"]),
        ("risk_factors", "cancer"),
        ("risk_factors", [None]),
        ("painful_side", "up"),
    ],
)
def test_an_unknown_code_is_a_400_naming_the_field_and_changes_nothing(api, patient, field, value):
    patient.risk_factors = ["drug_use"]
    patient.save()
    response = api.patch(f"{URL}{patient.pk}/", {field: value}, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    patient.refresh_from_db()
    assert (patient.risk_factors, patient.painful_side) == (["drug_use"], "")


def test_another_clinics_patient_is_a_404(other_api, patient):
    response = other_api.patch(f"{URL}{patient.pk}/", {"risk_factors": []}, format="json")
    assert response.status_code == 404
