"""Schemathesis against the WSGI app with a valid key: whatever it sends (valid
and invalid data generated from the schema), the API never answers 5xx and
every answer matches what the schema promises (status, content type, body)."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application
from prescriptions.models import Alert
from prescriptions.services import record_symptom_log
from tests.factories import make_prescription

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


# Loaded once at collection: serving the schema touches no database.
schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


@pytest.fixture
def keep_the_test_connection():
    """Called straight through WSGI, Django closes the database connection after
    each request, which would end the test's transaction (on PostgreSQL). The test
    client avoids this the same way."""
    signals = (request_started, request_finished)
    for signal in signals:
        signal.disconnect(close_old_connections)
    yield
    for signal in signals:
        signal.connect(close_old_connections)


@pytest.fixture
def clinic_data(patient, other_patient, therapist, colleague):
    """Rows with small ids, so that generated ids sometimes hit real objects."""
    prescription = make_prescription(patient, therapist)
    make_prescription(other_patient, colleague, activate=False, first=2)
    item = prescription.items.get(position=1)
    log = record_symptom_log(
        patient=patient,
        item=item,
        pain=5,
        location="thigh",
        during="peripheralize",
        after="worse",
        sets_done=1,
        repetitions_done=10,
    ).log
    Alert.objects.create(patient=patient, kind="pain_rise", severity="warning", message="Up.")
    return log


@schema.parametrize()
@settings(
    max_examples=20,
    database=None,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_the_api_keeps_its_schema_and_never_fails(
    case, api_key, clinic_data, keep_the_test_connection
):
    case.call_and_validate(headers={"Authorization": f"Api-Key {api_key[1]}"}, checks=CHECKS)
