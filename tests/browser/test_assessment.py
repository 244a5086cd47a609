"""A therapist records an assessment in Chromium, builds the proposed program and
later charts a reassessment; every page on the way is axe-clean."""

import re

from playwright.sync_api import expect

from assessments.models import Assessment
from prescriptions.models import Prescription
from tests.browser.conftest import assert_accessible, login


def test_a_therapist_assesses_builds_the_proposal_and_reassesses(
    page, therapist, patient, password
):
    login(page, "tess", password)
    page.goto(f"/patients/{patient.pk}/")
    page.get_by_role("link", name="Record assessment").click()
    expect(page.get_by_role("heading", name="Assessment of Paula Jones")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("How and when it began").fill("Lifting a box at work")
    page.get_by_label("Constant or intermittent").select_option("intermittent")
    page.get_by_role("group", name="Worse with").get_by_label("Sitting").check()
    page.get_by_role("group", name="Better with").get_by_label("Walking").check()
    page.get_by_label("Back pain (0 to 10)").fill("6")
    page.get_by_label("Leg pain (0 to 10)").fill("5")
    page.get_by_label("Where the pain reaches").select_option("thigh")
    page.get_by_label("Painful side").select_option("left")
    page.get_by_label("Extension in lying: during").select_option("centralize")
    # The keyboard moves along the row and answers a select by its first letter.
    page.get_by_label("Extension in lying: during").focus()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Extension in lying: after")).to_be_focused()
    page.keyboard.press("b")
    expect(page.get_by_label("Extension in lying: after")).to_have_value("better")
    page.get_by_label("Provisional classification").select_option("derangement")
    page.get_by_label("Directional preference").select_option("extension")
    page.get_by_role("button", name="Save the assessment").click()

    expect(page.get_by_text("Derangement, extension").first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Build the proposed program").click()
    expect(page.get_by_role("heading", name="Proposed by the assessment")).to_be_visible()
    expect(page.get_by_text("Extension progression, the first 3 steps.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Start from the proposal").click()
    expect(page).to_have_url(re.compile(r"/programs/\d+/edit/$"))
    assert Prescription.objects.get().status == Prescription.Status.DRAFT
    assessment = Assessment.objects.get()
    assert assessment.location == "thigh"
    assert [(t.movement, t.during, t.after) for t in assessment.tests.all()] == [
        ("extension_lying", "centralize", "better")
    ]

    page.goto(f"/patients/{patient.pk}/")
    page.get_by_role("link", name="Reassess").click()
    expect(page.get_by_label("How and when it began")).to_have_value("Lifting a box at work")
    page.get_by_label("Back pain (0 to 10)").fill("7")
    page.get_by_label("Leg pain (0 to 10)").fill("1")
    page.get_by_label("Where the pain reaches").select_option("buttock")
    page.get_by_role("button", name="Save the assessment").click()
    page.goto(f"/patients/{patient.pk}/")

    chart = page.locator("svg.assessment-chart")
    expect(chart).to_be_visible()
    assert chart.locator("title").first.text_content() == "Baseline at each assessment"
    assert "The pain has centralized." in chart.locator("desc").text_content()
    assert_accessible(page)
