"""API personas: a read-write key and a read-only key of the therapist's clinic,
a key of another clinic, and clients that send them."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from api.models import create_api_key


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The personas' passwords are hashed once per test; the real hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    # Throttle counts live in the cache, which outlives a test's database.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_key(clinic, therapist):
    return create_api_key(clinic=clinic, name="EHR sync", created_by=therapist)


@pytest.fixture
def read_only_key(clinic):
    return create_api_key(clinic=clinic, name="Reports", read_only=True)


@pytest.fixture
def other_clinic_key(other_clinic):
    return create_api_key(clinic=other_clinic, name="Hillside EHR")


def client_with(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    return client


@pytest.fixture
def api(api_key):
    return client_with(api_key[1])


@pytest.fixture
def read_only_api(read_only_key):
    return client_with(read_only_key[1])


@pytest.fixture
def other_api(other_clinic_key):
    return client_with(other_clinic_key[1])


@pytest.fixture
def anonymous_api():
    return APIClient()


@pytest.fixture
def client_with_revoked_key(clinic):
    key, raw = create_api_key(clinic=clinic, name="Old")
    key.revoke()
    return client_with(raw)
