"""A client generated from /api/schema/ by openapi-python-client, as an integrator
would make one, runs the main flows against a served app and must parse every
answer. The client is generated afresh from the live schema on every run, so a
response that drifts from the schema fails here."""

import importlib
import io
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import requests
from pypdf import PdfReader

from prescriptions.models import Alert, SymptomLog

GENERATOR = Path(sys.executable).with_name("openapi-python-client")


@pytest.fixture
def generated(live_server, tmp_path, monkeypatch):
    """The `centra_client` package generated from the served schema."""
    schema = requests.get(f"{live_server.url}/api/schema/?format=json", timeout=30)
    assert schema.status_code == 200
    (tmp_path / "schema.json").write_bytes(schema.content)
    result = subprocess.run(
        [
            str(GENERATOR),
            "generate",
            "--path",
            str(tmp_path / "schema.json"),
            "--output-path",
            str(tmp_path / "centra_client"),
            "--meta",
            "none",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert (tmp_path / "centra_client" / "client.py").exists(), result.stdout + result.stderr
    monkeypatch.syspath_prepend(str(tmp_path))
    yield lambda name: importlib.import_module(f"centra_client.{name}")
    for module in [m for m in sys.modules if m.split(".")[0] == "centra_client"]:
        del sys.modules[module]


def test_the_generated_client_runs_the_main_flows_and_parses_every_answer(
    generated, live_server, api_key, therapist, patient
):
    client = generated("client").AuthenticatedClient(
        base_url=live_server.url, token=api_key[1], prefix="Api-Key"
    )
    models = generated("models")
    patients_api = generated("api.patients.patients_list")

    listed = patients_api.sync_detailed(client=client)
    assert listed.status_code == 200
    assert [row.id for row in listed.parsed.results] == [patient.pk]

    created = generated("api.patients.patients_create").sync_detailed(
        client=client,
        body=models.PatientRequest(
            first_name="Lucía",
            last_name="Ortega",
            external_id="GEN-1",
            preferred_language=models.PreferredLanguageEnum("es"),
        ),
    )
    assert created.status_code == 201
    assert isinstance(created.parsed, models.Patient)
    newcomer = created.parsed

    program = generated("api.prescriptions.prescriptions_create").sync_detailed(
        client=client,
        body=models.PrescriptionInputRequest(
            prescribed_by=therapist.username,
            patient=newcomer.id,
            items=[models.ItemInputRequest(exercise="prone-press-up", repetitions=8)],
            activate=True,
        ),
    )
    assert program.status_code == 201, program.content
    read = generated("api.prescriptions.prescriptions_retrieve").sync_detailed(
        client=client, id=program.parsed.id
    )
    assert read.status_code == 200
    assert read.parsed.patient == newcomer.id
    item = read.parsed.items[0]

    logged = generated("api.symptom_logs.symptom_logs_create").sync_detailed(
        client=client,
        body=models.SymptomLogInputRequest(
            item=item.id,
            sets_done=1,
            repetitions_done=8,
            pain=5,
            location=models.LocationEnum("thigh"),
            during=models.DuringEnum("increase"),
            after=models.AfterEnum("worse"),
            client_id=uuid.uuid4(),
        ),
    )
    assert logged.status_code == 201, logged.content
    assert logged.parsed.stop_exercise is True
    assert SymptomLog.objects.filter(patient_id=newcomer.id).count() == 1

    alerts = generated("api.alerts.alerts_list").sync_detailed(client=client)
    assert alerts.status_code == 200
    assert {row.id for row in alerts.parsed.results} == set(
        Alert.objects.filter(patient_id=newcomer.id).values_list("pk", flat=True)
    )
    assert alerts.parsed.results

    handout = generated("api.prescriptions.prescriptions_handout_pdf_retrieve").sync_detailed(
        client=client,
        id=program.parsed.id,
        size=models.PrescriptionsHandoutPdfRetrieveSize("large"),
    )
    assert handout.status_code == 200
    assert handout.headers["Content-Type"] == "application/pdf"
    assert "Lucía" in PdfReader(io.BytesIO(handout.content)).pages[0].extract_text()

    everyone = patients_api.sync_detailed(client=client, page_size=100)
    assert {row.id for row in everyone.parsed.results} == {patient.pk, newcomer.id}
