"""The therapist records the painful side, adds a one-sided exercise and reads, before
saving, the sentence the patient will read for the side chosen."""

from playwright.sync_api import expect

from exercises.models import Exercise
from prescriptions.services import ItemSpec, create_prescription
from tests.browser.conftest import assert_accessible, login


def test_the_builder_shows_the_patients_sentence_for_the_side_chosen(
    page, patient, therapist, password
):
    login(page, "tess", password)
    page.goto(f"/patients/{patient.pk}/edit/")
    page.get_by_label("Painful side").select_option("left")
    page.get_by_role("checkbox", name="Osteoporosis").check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".risk-history")).to_contain_text("Osteoporosis")

    patient.refresh_from_db()
    assert (patient.painful_side, patient.risk_factors) == ("left", ["osteoporosis"])
    rotation = Exercise.objects.builtin().get(slug="flexion-rotation")
    draft = create_prescription(
        patient=patient, by=therapist, items=[ItemSpec.from_exercise(rotation)]
    )
    page.goto(f"/programs/{draft.pk}/edit/")
    preview = page.locator("[data-side-preview]")
    expect(preview.get_by_text("Lie on your left side with both knees bent.")).to_be_visible()
    expect(preview).to_contain_text("this exercise is done on the painful side")
    page.get_by_role("combobox", name="Side").select_option("right")
    expect(preview.get_by_text("Lie on your right side with both knees bent.")).to_be_visible()
    expect(preview.get_by_text("Lie on your left side with both knees bent.")).to_be_hidden()
    assert_accessible(page)
