"""The demo clinic's assessments: one for each demo patient, Maria's reassessment
showing centralization, nothing added by a second run."""

from django.core.management import call_command

from assessments.models import Assessment
from assessments.program import findings_of
from assessments.proposal import propose
from patients.models import LOCATION_RANK, Patient


def demo_patients():
    return Patient.objects.exclude(external_id__startswith="BULK-")


def test_each_demo_patient_has_an_assessment_and_a_second_run_adds_none(db):
    call_command("seed_demo")
    count = Assessment.objects.count()
    call_command("seed_demo")

    assert Assessment.objects.count() == count
    assert all(patient.assessments.exists() for patient in demo_patients())


def test_marias_reassessment_shows_centralization(db):
    call_command("seed_demo")
    maria = Patient.objects.get(user__username="maria")

    first, latest = maria.assessments.order_by("assessed_on")

    assert LOCATION_RANK[latest.location] < LOCATION_RANK[first.location]
    assert latest.leg_pain < first.leg_pain
    maria.refresh_from_db()
    assert maria.starting_location == latest.location


def test_the_demo_assessments_propose_what_the_patients_show(db):
    call_command("seed_demo")

    proposals = {
        patient.first_name: propose(findings_of(patient.assessments.order_by("assessed_on").last()))
        for patient in demo_patients()
    }

    assert (proposals["Maria"].progression, proposals["Maria"].first) == ("extension", 3)
    assert (proposals["James"].progression, proposals["James"].first) == ("flexion", None)
    assert proposals["Tom"].progression == "lateral"
    assert proposals["Aisha"].exercises == ("sitting-lumbar-roll", "slouch-overcorrect")
