"""FHIR personas: a key of the therapist's clinic (read-write and read-only), a key
of another clinic, clients that send them, and a patient with a program, logs and
alerts to read."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from api.models import create_api_key
from exercises.models import Exercise, Progression
from fhir_r4.clients import register_client
from prescriptions.services import ItemSpec, record_symptom_log, revise_prescription
from tests.factories import make_prescription
from tests.fhir.smart import TOKEN_PATH, assertion, new_key, public_jwks, token_form


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    # Throttle counts live in the cache, which outlives a test's database.
    cache.clear()
    yield
    cache.clear()


def client_with(raw_key: str, scheme: str = "Api-Key") -> Client:
    return Client(HTTP_AUTHORIZATION=f"{scheme} {raw_key}")


@pytest.fixture
def catalog_before_now(db):
    """The built-in catalog was loaded when the test database was made, at the wall
    clock's time, after the tests' frozen instant: put it a day before that instant,
    as it would be on a server, so that a search run's snapshot covers it."""
    day_before = timezone.now() - timedelta(days=1)
    Exercise.objects.update(updated_at=day_before)
    Progression.objects.update(updated_at=day_before)


@pytest.fixture
def fhir_key(clinic, therapist):
    return create_api_key(clinic=clinic, name="EHR sync", created_by=therapist)


@pytest.fixture
def fhir(fhir_key):
    return client_with(fhir_key[1])


@pytest.fixture
def read_only_fhir(clinic):
    return client_with(create_api_key(clinic=clinic, name="Reports", read_only=True)[1])


@pytest.fixture
def other_fhir(other_clinic):
    return client_with(create_api_key(clinic=other_clinic, name="Hillside EHR")[1])


def log(patient, item, *, days_ago: float = 0, pain: int = 3, location: str = "buttock", **answers):
    values = {"during": "centralize", "after": "better", "sets_done": 1, "repetitions_done": 10}
    values.update(answers)
    return record_symptom_log(
        patient=patient,
        item=item,
        pain=pain,
        location=location,
        logged_at=timezone.now() - timedelta(days=days_ago),
        **values,
    ).log


@pytest.fixture
def history(patient, therapist):
    """Paula: version 1 (ended, replaced by version 2, active), logs on both,
    an open alert and an acknowledged one."""
    patient.external_id = "HB-42"
    patient.classification = "derangement"
    patient.directional_preference = "extension"
    patient.save()
    first = make_prescription(patient, therapist, first=2)
    first_item = first.items.order_by("position").first()
    log(patient, first_item, days_ago=3, pain=6, location="thigh")
    worse = log(patient, first_item, days_ago=2, pain=5, after="worse", during="increase")
    worse.alerts.get().acknowledge(by=therapist)
    items = [ItemSpec.from_item(item) for item in first.items.order_by("position")]
    items[0] = ItemSpec.from_exercise(items[0].exercise, repetitions=8, hold_seconds=5)
    second = revise_prescription(prescription=first, items=items, by=therapist)
    second_item = second.items.order_by("position").first()
    log(patient, second_item, days_ago=1, pain=2, location="one_side")
    spreading = log(patient, second_item, pain=4, location="thigh", during="peripheralize")
    first.refresh_from_db()
    return {"first": first, "second": second, "open_alert": spreading.alerts.get()}


@pytest.fixture(scope="session")
def smart_key():
    return new_key("ES384")


@pytest.fixture
def smart_client(clinic, therapist, smart_key):
    """A SMART backend client of the therapist's clinic that may read everything."""
    return register_client(
        clinic=clinic,
        name="Data warehouse",
        scopes=["system/*.read"],
        jwks=public_jwks(smart_key),
        created_by=therapist,
    )


@pytest.fixture
def smart_token(client, smart_client, smart_key):
    """A live access token of `smart_client`, got from the token endpoint."""
    signed = assertion(smart_key, smart_client.client_id, f"http://testserver{TOKEN_PATH}")
    response = client.post(TOKEN_PATH, token_form(signed))
    assert response.status_code == 200, response.content
    return response.json()["access_token"]


@pytest.fixture
def export_store(settings, tmp_path):
    """The private folder exports are written to, under tmp_path."""
    settings.STORAGES = {
        **settings.STORAGES,
        "exports": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
    }
    return tmp_path / "private" / "exports"
