import pytest

from tests.assessment_factory import make_assessment


@pytest.fixture
def assessment(patient, therapist):
    """Paula's first assessment: extension in lying centralizes her thigh pain."""
    return make_assessment(patient, therapist)
