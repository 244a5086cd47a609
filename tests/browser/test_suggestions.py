"""A therapist sees who is ready to progress and confirms it, in a real Chromium."""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from prescriptions.models import Prescription, ProgressionSuggestion
from prescriptions.services import record_symptom_log
from tests.browser.conftest import assert_accessible, login
from tests.factories import make_patient, make_prescription
from tests.suggestion_factory import make_ready_to_progress


def test_a_therapist_finds_a_patient_ready_to_progress_and_confirms(
    page, clinic, therapist, password
):
    ready = make_patient(clinic, first_name="Lucia", last_name="Ferreira")
    suggestion = make_ready_to_progress(ready, therapist)
    make_patient(clinic, first_name="Carl", last_name="Quiet")

    login(page, "tess", password)
    page.get_by_label("Progression").select_option("forward")
    page.get_by_role("button", name="Search").click()
    rows = page.locator("table.patient-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Ferreira, Lucia")
    rows.first.get_by_role("link", name=re.compile("Ready to progress")).click()

    section = page.locator("#suggestion")
    expect(section).to_contain_text("Ready to progress: consider Prone press-up")
    expect(section).to_contain_text("The 2 logs behind it")
    assert_accessible(page)
    section.get_by_role("button", name="Confirm: new version with Prone press-up").click()

    expect(page.get_by_text("Version 2 is in use, with Prone press-up.")).to_be_visible()
    active = Prescription.objects.active().get(patient=ready)
    assert active.version == 2
    assert [i.exercise.slug for i in active.items.order_by("position")] == [
        "prone-lying",
        "prone-press-up",
    ]
    suggestion.refresh_from_db()
    assert suggestion.status == ProgressionSuggestion.Status.ACCEPTED
    expect(page.locator("#suggestion")).to_contain_text("accepted by")


def test_a_therapist_dismisses_with_a_reason(page, clinic, therapist, password):
    ready = make_patient(clinic, first_name="Lucia", last_name="Ferreira")
    suggestion = make_ready_to_progress(ready, therapist)

    login(page, "tess", password)
    page.goto(f"/patients/{ready.pk}/")
    section = page.locator("#suggestion")
    section.get_by_text("Dismiss…").click()
    section.get_by_label("Why not now?").fill("Wants another week at this step")
    section.get_by_role("button", name="Dismiss the suggestion").click()

    expect(page.get_by_text("Suggestion dismissed; the program stays as it is.")).to_be_visible()
    expect(page.locator("#suggestion")).to_contain_text("“Wants another week at this step”")
    suggestion.refresh_from_db()
    assert suggestion.dismiss_reason == "Wants another week at this step"
    assert Prescription.objects.filter(patient=ready).count() == 1


def test_unchanged_central_pain_asks_for_a_reassessment_with_nothing_to_confirm(
    page, clinic, therapist, password
):
    patient = make_patient(clinic, first_name="Rita", last_name="Central")
    program = make_prescription(patient, therapist)
    Prescription.objects.filter(pk=program.pk).update(
        activated_at=timezone.now() - timedelta(days=10)
    )
    item = program.items.get(exercise__slug="prone-press-up-sustained")
    for days_ago in (3, 2, 1):
        record_symptom_log(
            patient=patient,
            item=item,
            pain=4,
            location="central",
            during="no_effect",
            after="no_better",
            sets_done=1,
            repetitions_done=10,
            logged_at=timezone.now() - timedelta(days=days_ago),
        )

    login(page, "tess", password)
    page.get_by_label("Progression").select_option("reassess")
    page.get_by_role("button", name="Search").click()
    rows = page.locator("table.patient-table tbody tr")
    expect(rows).to_have_count(1)
    rows.first.get_by_role("link", name=re.compile("Reassess")).click()

    section = page.locator("#suggestion")
    expect(section).to_contain_text(
        "Reassess: Press-up with sag and breath out is not changing the symptoms"
    )
    expect(section).to_contain_text("a sideways movement is for one-sided pain only")
    expect(section.get_by_role("button", name=re.compile("Confirm"))).to_have_count(0)
    assert_accessible(page)
    section.get_by_text("Dismiss…").click()
    section.get_by_label("Why not now?").fill("Reassessed: stenosis, flexion program next")
    section.get_by_role("button", name="Dismiss the suggestion").click()

    expect(page.get_by_text("Suggestion dismissed; the program stays as it is.")).to_be_visible()
    assert not ProgressionSuggestion.objects.open().filter(patient=patient).exists()
