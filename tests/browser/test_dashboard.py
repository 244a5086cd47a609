"""The therapist dashboard in a real desktop Chromium: from a new patient to a
revised program, and an alert acknowledged in place."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from prescriptions.models import Alert, Prescription, SymptomLog
from prescriptions.services import record_symptom_log
from tests.browser.conftest import assert_accessible, login
from tests.factories import make_patient, make_prescription


def test_a_therapist_builds_activates_and_revises_a_program_and_acknowledges_an_alert(
    page, therapist, password
):
    login(page, "tess", password)
    expect(page.get_by_role("heading", name="Patients", exact=True)).to_be_visible()

    page.get_by_role("link", name="New patient").click()
    page.get_by_label("First name").fill("Erik")
    page.get_by_label("Last name").fill("Lund")
    page.get_by_label("Date of birth").fill("1971-06-15")
    page.get_by_label("External id").fill("EHR-42")
    page.get_by_label("MDT classification").select_option("derangement")
    page.get_by_label("Directional preference").select_option("extension")
    page.get_by_role("button", name="Register patient").click()
    expect(page.get_by_role("heading", name="Erik Lund")).to_be_visible()

    page.get_by_role("link", name="Build a program").first.click()
    extension = page.locator("form", has=page.get_by_role("heading", name="Extension progression"))
    # The picker starts with the first step only, as MDT does; here three.
    expect(extension.get_by_label("Start with")).to_have_value("1")
    extension.get_by_label("Start with").select_option("3")
    page.get_by_role("button", name=re.compile("Start from this progression.*Extension")).click()
    expect(page.get_by_role("heading", name=re.compile("Program for Erik Lund"))).to_be_visible()
    names = page.locator("[data-item] [data-name]")
    expect(names.nth(0)).to_have_text("Prone lying")
    expect(names.nth(1)).to_have_text("Prone props (lying on elbows)")

    # Reorder: the arrow moves at once in the page, keeping the keyboard on it.
    page.get_by_role("button", name="Move Prone lying down").click()
    expect(names.nth(0)).to_have_text("Prone props (lying on elbows)")
    expect(names.nth(1)).to_have_text("Prone lying")
    expect(page.get_by_role("button", name="Move Prone lying down")).to_be_focused()
    # And by drag and drop: the press-up goes to the top.
    page.locator("[data-item]").nth(2).locator("[data-handle]").drag_to(
        page.locator("[data-item]").nth(0), target_position={"x": 40, "y": 5}
    )
    expect(names.nth(0)).to_have_text("Prone press-up")

    page.get_by_label(re.compile(r"^Repetitions\W+Prone press-up$")).fill("8")
    page.get_by_role("button", name="Activate").click()
    expect(page.get_by_text("Version 1 is now the active program.")).to_be_visible()

    patient = therapist.therapist.clinic.patients.get(external_id="EHR-42")
    first = Prescription.objects.get(patient=patient, version=1)
    order = list(first.items.order_by("position").values_list("exercise__slug", "repetitions"))
    assert order[:3] == [("prone-press-up", 8), ("prone-props", 1), ("prone-lying", 1)]

    page.get_by_role("button", name="Revise program").first.click()
    expect(page.get_by_text("A revision of version 1.")).to_be_visible()
    page.get_by_label(re.compile(r"^Repetitions\W+Prone press-up$")).fill("12")
    page.get_by_label("What changed and why").fill("Tolerating press-ups well")
    page.get_by_role("button", name="Activate").click()
    expect(page.get_by_text("Version 2 is now the active program.")).to_be_visible()

    history = page.locator("#versions")
    expect(history.get_by_role("link", name="Version 2")).to_be_visible()
    expect(history.get_by_role("link", name="Version 1")).to_be_visible()
    expect(history.get_by_text("Ended")).to_be_visible()
    history.get_by_role("link", name="Version 2").click()
    expect(page.get_by_text("What changed since version 1")).to_be_visible()
    expect(page.get_by_text("8 times, hold 2 seconds, every 2 hours → 12 times")).to_be_visible()
    page.go_back()

    item = Prescription.objects.get(patient=patient, status="active").items.get(position=1)
    outcome = record_symptom_log(
        patient=patient,
        item=item,
        pain=6,
        location="thigh",
        during="peripheralize",
        after="worse",
        sets_done=1,
        repetitions_done=8,
        source=SymptomLog.Source.PORTAL,
    )
    page.reload()
    alerts = page.locator("#alerts")
    expect(
        alerts.get_by_text("Pain spread outwards (peripheralization)", exact=True)
    ).to_be_visible()
    alerts.get_by_role("button", name=re.compile("Acknowledge")).click()
    expect(alerts.get_by_text(re.compile("Acknowledged by Tess .* just now"))).to_be_visible()
    alert = Alert.objects.get(pk=outcome.alerts[0].pk)
    assert alert.acknowledged_by == therapist and alert.acknowledged_at is not None


@pytest.fixture
def followed_patient(clinic, therapist):
    """A patient a week into an extension program, with a worrying log."""
    patient = make_patient(clinic, first_name="Vera", last_name="Voss", external_id="EHR-9")
    program = make_prescription(patient, therapist, first=3)
    items = list(program.items.order_by("position"))
    for n, location in enumerate(["thigh", "thigh", "buttock", "one_side", "central"]):
        for item in items:
            record_symptom_log(
                patient=patient,
                item=item,
                pain=7 - n,
                location=location,
                during="centralize",
                after="better",
                sets_done=1,
                repetitions_done=10,
                source=SymptomLog.Source.PORTAL,
                logged_at=program.activated_at.replace(microsecond=0) - timedelta(days=5 - n),
            )
    record_symptom_log(
        patient=patient,
        item=items[2],
        pain=5,
        location="buttock",
        during="peripheralize",
        after="worse",
        sets_done=1,
        repetitions_done=10,
        source=SymptomLog.Source.PORTAL,
    )
    make_patient(clinic, first_name="Ali", last_name="Able")
    return patient


def test_the_dashboard_pages_are_accessible_and_the_chart_prints(
    page, followed_patient, therapist, password
):
    patient = followed_patient
    login(page, "tess", password)

    page.goto("/patients/")
    rows = page.locator("tbody tr")
    expect(rows.first).to_contain_text("Voss, Vera")  # open alert: first
    expect(rows.first).to_contain_text("Thigh → Buttock")
    assert_accessible(page)

    page.goto(f"/patients/{patient.pk}/")
    expect(page.locator("svg.symptom-chart")).to_be_visible()
    assert_accessible(page)
    page.emulate_media(media="print")
    expect(page.locator("svg.symptom-chart")).to_be_visible()
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_role("button", name=re.compile("Acknowledge"))).to_be_hidden()
    page.emulate_media(media="screen")

    page.goto(f"/patients/{patient.pk}/programs/new/")
    assert_accessible(page)
    page.get_by_role("button", name="Pick from the catalog").click()
    page.get_by_role("button", name="Add Knees to chest (lying on your back)").click()
    expect(page.locator("[data-item]")).to_have_count(1)
    # Choosing a filter narrows the catalog at once.
    page.get_by_label("Direction").select_option("flexion")
    expect(page.locator("[data-catalog] li:visible")).to_have_count(3)
    assert_accessible(page)

    page.goto("/exercises/")
    assert_accessible(page)
