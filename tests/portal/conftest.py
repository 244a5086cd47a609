"""Portal fixtures: a patient who has answered today's safety questions, and
valid answers for the log form."""

import uuid

import pytest

from prescriptions.models import NeuroSymptom
from prescriptions.services import record_red_flag_check


@pytest.fixture
def checked_today(patient):
    """Paula has answered no to every red-flag question today."""
    check, _alert = record_red_flag_check(patient=patient, answered_yes=[])
    return check


@pytest.fixture
def answers():
    """Make the form data of one log; override any answer by keyword."""

    def make(**overrides):
        data = {
            "sets_done": "1",
            "repetitions_done": "10",
            "pain": "4",
            "location": "central",
            "during": "no_effect",
            "after": "no_effect",
            "note": "",
            "client_token": uuid.uuid4().hex,
            **{f"neuro_{code}": "no" for code in NeuroSymptom.values},
        }
        data.update(overrides)
        return data

    return make
