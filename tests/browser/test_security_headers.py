"""The Content-Security-Policy breaks nothing: pages the team uses every day load
without a single refused script, style or image."""

import pytest

from tests.browser.conftest import login


def watch_refusals(page) -> list[str]:
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text)
            if "Content Security Policy" in message.text or "Refused to" in message.text
            else None
        ),
    )
    return refused


@pytest.mark.django_db(transaction=True)
def test_the_dashboard_api_docs_and_admin_load_without_a_refused_resource(
    page, therapist, patient, prescription, password
):
    therapist.is_staff = True
    therapist.is_superuser = True
    therapist.save()
    refused = watch_refusals(page)
    login(page, "tess", password)
    for url in [
        "/patients/",
        f"/patients/{patient.pk}/",
        f"/programs/{prescription.pk}/edit/",
        "/api-keys/",
        "/api/docs/",
        "/admin/",
        f"/admin/patients/patient/{patient.pk}/change/",
    ]:
        page.goto(url)
        page.wait_for_load_state("networkidle")
    assert refused == []


@pytest.mark.django_db(transaction=True)
def test_the_api_docs_render_under_the_policy(page, password, therapist):
    refused = watch_refusals(page)
    page.goto("/api/docs/")
    page.get_by_text("Centra API").first.wait_for()
    assert refused == []
    assert page.evaluate("Object.keys(window.localStorage)") == []
