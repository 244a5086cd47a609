"""Each answer the log forms refuse gets one message, in plain words: never Django's
"Ensure this value is less than or equal to 50." and never two at once."""

import re

import pytest
from django.urls import reverse

from prescriptions.models import SymptomLog
from tests.portal.test_session import URL, item_answers, session

SETS = "Please enter a number of sets from 0 to 50."
TIMES = "Please enter a number of times from 0 to 500."


def field_errors(page: str, field_id: str) -> list[str]:
    found = re.search(rf'<ul class="errorlist" id="{field_id}_error">(.*?)</ul>', page, re.S)
    return re.findall(r"<li>(.*?)</li>", found.group(1)) if found else []


BAD_ANSWERS = [
    ("sets_done", "999", SETS),
    ("sets_done", "-1", SETS),
    ("sets_done", "two", SETS),
    ("sets_done", "", "Please enter how many sets you did (0 if none)."),
    ("repetitions_done", "501", TIMES),
    ("repetitions_done", "1.5", TIMES),
    ("pain", "11", "Please choose a number from 0 to 10."),
    ("location", "knee", "Please choose how far your pain reaches."),
]


@pytest.mark.parametrize(("field", "value", "message"), BAD_ANSWERS)
def test_the_session_form_gives_one_clear_message_per_field(
    patient_client, prescription, checked_today, field, value, message
):
    first, *rest = prescription.items.order_by("position")
    if field in ("pain", "location"):
        # The pain and where it reaches are the session's, asked before and after.
        name = {"pain": "back_pain", "location": "location"}[field]
        data = session([first, *rest], **{"1": item_answers(first)})
        data[f"after-{name}"] = value
        field_id = f"id_after-{name}"
    else:
        data = session([first, *rest], **{"1": item_answers(first, **{field: value})})
        field_id = f"id_item-{first.pk}-{field}"
    response = patient_client.post(URL, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert field_errors(page, field_id) == [message]
    assert "Ensure this value" not in page
    assert not SymptomLog.objects.exists()


@pytest.mark.parametrize(("field", "value", "message"), BAD_ANSWERS)
def test_the_one_exercise_form_gives_the_same_message(
    patient_client, item, answers, checked_today, field, value, message
):
    response = patient_client.post(reverse("portal:log", args=[item.pk]), answers(**{field: value}))
    assert response.status_code == 400
    page = response.content.decode()
    assert field_errors(page, f"id_{field}") == [message]
    assert "Ensure this value" not in page
    assert not SymptomLog.objects.exists()
