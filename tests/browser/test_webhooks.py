"""A clinic administrator adds a webhook endpoint in Chromium, the clinic system's
receiver gets a signed event, and the administrator resends it from the delivery log."""

import pytest
from playwright.sync_api import expect
from standardwebhooks.webhooks import Webhook

from integrations.models import Delivery
from prescriptions.services import record_symptom_log
from tests.browser.conftest import assert_accessible, login
from tests.integrations.conftest import Receiver


@pytest.fixture
def local_receiver(settings):
    settings.WEBHOOK_ALLOW_PRIVATE = True
    settings.WEBHOOK_TIMEOUT_SECONDS = 2
    receiver = Receiver()
    yield receiver
    receiver.close()


def test_an_administrator_adds_an_endpoint_and_resends_an_event(
    page, therapist, password, patient, item, local_receiver
):
    login(page, "tess", password)
    page.goto("/clinic/settings/")
    page.get_by_role("link", name="Webhooks: events sent to clinic systems").click()
    page.get_by_label("URL").fill(local_receiver.url)
    page.get_by_label("Description").fill("EHR sync")
    page.get_by_label("Symptom log recorded").check()
    page.get_by_role("button", name="Add endpoint").click()

    expect(page.get_by_role("heading", name="Copy the signing secret now")).to_be_visible()
    secret = page.get_by_role("textbox", name="Signing secret").input_value()
    assert secret.startswith("whsec_")
    assert_accessible(page)

    record_symptom_log(
        patient=patient,
        item=item,
        pain=3,
        location="central",
        during="no_effect",
        after="no_effect",
        sets_done=1,
        repetitions_done=10,
    )
    (first,) = local_receiver.requests
    body = Webhook(secret).verify(first["body"], first["headers"])
    assert body["type"] == "log.recorded"

    page.reload()
    expect(page.get_by_role("heading", name="Copy the signing secret now")).to_have_count(0)
    row = page.get_by_role("row").filter(has_text="Symptom log recorded")
    expect(row.get_by_text("Delivered")).to_be_visible()
    row.get_by_role("button", name=f"Resend the event {body['id']}").click()

    expect(page.get_by_text("The event is queued to be sent again.")).to_be_visible()
    assert len(local_receiver.requests) == 2
    assert local_receiver.requests[1]["headers"]["webhook-id"] == body["id"]
    assert Delivery.objects.get().status == "delivered"
