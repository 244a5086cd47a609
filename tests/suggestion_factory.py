"""A patient whose logs meet the rule of their step: the state every suggestion test
starts from."""

from datetime import timedelta

from django.utils import timezone

from prescriptions.models import Prescription, ProgressionSuggestion
from prescriptions.services import record_symptom_log
from tests.factories import make_prescription

GOOD_DAY = {"pain": 2, "location": "central", "during": "centralize", "after": "better"}


def make_ready_to_progress(patient, therapist) -> ProgressionSuggestion:
    """Prone lying and prone props for a week, and two good days at prone props: the
    extension progression's rule suggests the prone press-up."""
    program = make_prescription(patient, therapist, first=2)
    Prescription.objects.filter(pk=program.pk).update(
        activated_at=timezone.now() - timedelta(days=7)
    )
    program.refresh_from_db()
    props = program.items.get(exercise__slug="prone-props")
    for days_ago in (2, 1):
        record_symptom_log(
            patient=patient,
            item=props,
            sets_done=1,
            repetitions_done=10,
            logged_at=timezone.now() - timedelta(days=days_ago),
            **GOOD_DAY,
        )
    return ProgressionSuggestion.objects.open().get(patient=patient)
