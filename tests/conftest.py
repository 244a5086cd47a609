"""The standing personas: a therapist, a colleague in the same clinic, a
therapist of another clinic, a patient with a portal login and another patient."""

import pytest

from tests.factories import (
    PASSWORD,
    make_clinic,
    make_patient,
    make_prescription,
    make_therapist,
)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Every persona's password is hashed at setup; a fast hasher keeps the suite
    quick. Production keeps Django's default hashers."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_attempt_counts():
    """Reset and activation limits count in the cache, which outlives a test's database."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def clinic(db):
    return make_clinic("Harbour Physio", "harbour")


@pytest.fixture
def other_clinic(db):
    return make_clinic("Hillside Spine Care", "hillside")


@pytest.fixture
def therapist(clinic):
    return make_therapist(clinic, "tess", admin=True)


@pytest.fixture
def colleague(clinic):
    return make_therapist(clinic, "colin")


@pytest.fixture
def other_clinic_therapist(other_clinic):
    return make_therapist(other_clinic, "olga", admin=True)


@pytest.fixture
def patient(clinic):
    return make_patient(clinic, login="paula", first_name="Paula", last_name="Jones")


@pytest.fixture
def other_patient(clinic):
    return make_patient(clinic, login="oscar", first_name="Oscar", last_name="Brown")


@pytest.fixture
def other_clinic_patient(other_clinic):
    return make_patient(other_clinic, first_name="Hilda", last_name="Stone")


@pytest.fixture
def prescription(patient, therapist):
    """Paula's active extension progression."""
    return make_prescription(patient, therapist)


@pytest.fixture
def therapist_client(client, therapist):
    client.force_login(therapist)
    return client


@pytest.fixture
def patient_client(client, patient):
    client.force_login(patient.user)
    return client
