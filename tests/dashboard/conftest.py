"""Dashboard fixtures: the first exercise of Paula's program, a way to add logs
through the one real path, and a signed-in therapist of another clinic."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from prescriptions.models import SymptomLog
from prescriptions.services import record_symptom_log


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Every persona's password is hashed at setup; a fast hasher keeps the suite quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def add_log():
    """Store a log through record_symptom_log, `days_ago` days back."""

    def add(patient, item, *, days_ago: float = 0, **answers):
        values = {
            "pain": 4,
            "location": "buttock",
            "during": "centralize",
            "after": "better",
            "sets_done": 1,
            "repetitions_done": 10,
            "source": SymptomLog.Source.PORTAL,
        }
        values.update(answers)
        logged_at = timezone.now() - timedelta(days=days_ago)
        return record_symptom_log(patient=patient, item=item, logged_at=logged_at, **values)

    return add


@pytest.fixture
def stranger_client(client, other_clinic_therapist):
    """A therapist of another clinic, signed in."""
    client.force_login(other_clinic_therapist)
    return client
