"""After a whole session, each exercise to stop gets the advice the page after one
exercise gives for the same answers: the same reasons, the clinic's call button, and
urgent care where the answers call for it."""

import html
import re

import pytest
from django.urls import reverse

from prescriptions.models import SymptomLog
from prescriptions.services import record_symptom_log
from tests.portal.test_session import URL, item_answers, session, symptoms
from tests.shown import shown


@pytest.fixture
def clinic_with_phone(clinic):
    clinic.phone = "020 7946 0000"
    clinic.emergency_number = "999"
    clinic.save()
    return clinic


def reasons(page: str) -> list[str]:
    found = re.findall(r'<p class="[^"]*stop-now__reason[^"]*">(.*?)</p>', page, re.S)
    return [html.unescape(text) for text in found]


def phone_links(page: str) -> list[str]:
    return re.findall(r'href="(tel:[^"]*)"', page)


def log_a_session(client, items, nerves=(), **per_item):
    response = client.post(URL, session(items, nerves=nerves, **per_item))
    assert response.status_code == 302, response.content.decode()
    return shown(client.get(response.url).content.decode())


def single_page(client, log):
    return shown(client.get(reverse("portal:logged", args=[log.pk])).content.decode())


SPREAD = "You told us the pain spread further from your spine during this exercise."
WORSE = "You told us your pain is worse after this exercise and has stayed worse."
CASES = {
    "the pain spread": ({"during": "peripheralize"}, [SPREAD], False),
    "worse afterwards": ({"after": "worse"}, [WORSE], False),
    "new numbness": (
        {"neuro_numbness": "yes"},
        ["You told us about new numbness in a leg or foot."],
        False,
    ),
    "new pins and needles": (
        {"neuro_pins_needles": "yes"},
        ["You told us about new pins and needles in a leg or foot."],
        False,
    ),
    "both legs": (
        {"neuro_both_legs": "yes"},
        ["You told us you have symptoms in both legs."],
        True,
    ),
    "spread, worse and new weakness": (
        {
            "pain": "7",
            "location": "below_knee",
            "during": "peripheralize",
            "after": "worse",
            "neuro_weakness": "yes",
        },
        [
            SPREAD,
            WORSE,
            "You told us about new weakness in a leg or foot.",
        ],
        True,
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_a_stop_in_a_session_says_what_the_one_exercise_page_says(
    case, patient_client, patient, prescription, checked_today, clinic_with_phone
):
    answers, expected, urgent = CASES[case]
    nerves = [key.removeprefix("neuro_") for key in answers if key.startswith("neuro_")]
    answers = {key: value for key, value in answers.items() if not key.startswith("neuro_")}
    first, *rest = prescription.items.select_related("exercise").order_by("position")
    page = log_a_session(
        patient_client, [first, *rest], nerves=nerves, **{"1": item_answers(first, **answers)}
    )
    log = SymptomLog.objects.get(patient=patient)
    single = single_page(patient_client, log)

    assert reasons(page) == reasons(single) == expected
    assert phone_links(page) == phone_links(single)
    assert "tel:02079460000" in phone_links(page)
    assert f"Stop doing {first.exercise.name}" in page
    assert ("Seek urgent medical care now" in page) is urgent
    assert ("tel:999" in phone_links(page)) is urgent
    assert "The pain spread or got worse" not in page


def test_pain_further_out_than_last_time_is_explained_in_a_session_too(
    patient_client, patient, prescription, checked_today, clinic_with_phone
):
    first, *rest = prescription.items.select_related("exercise").order_by("position")
    record_symptom_log(
        patient=patient,
        item=first,
        pain=4,
        location="thigh",
        during="no_effect",
        after="no_effect",
        sets_done=1,
        repetitions_done=10,
    )
    answers = item_answers(first, during="decrease", after="better")
    page = log_a_session(
        patient_client,
        [first, *rest],
        before=symptoms("before", back_pain="2", leg_pain="4", location="below_knee"),
        after=symptoms("after", back_pain="2", leg_pain="4", location="below_knee"),
        **{"1": answers},
    )
    log = SymptomLog.objects.filter(patient=patient).latest("logged_at", "id")

    assert reasons(page) == reasons(single_page(patient_client, log))
    assert reasons(page) == [
        "Your pain now reaches below your knee. In recent days, it reached no further than your "
        "thigh. Pain spreading away from your spine is a sign to stop."
    ]


def test_each_exercise_to_stop_gets_its_own_reasons_and_urgent_care_is_said_once(
    patient_client, patient, prescription, checked_today, clinic_with_phone
):
    first, second, *rest = prescription.items.select_related("exercise").order_by("position")
    urgent_answers = item_answers(
        first,
        pain="7",
        location="below_knee",
        during="peripheralize",
        after="worse",
    )
    numb_answers = item_answers(second, during="decrease", after="better")
    # The nerve answers are the session's: both exercises done share them.
    page = log_a_session(
        patient_client,
        [first, second, *rest],
        nerves=["weakness"],
        **{"1": urgent_answers, "2": numb_answers},
    )

    logs = SymptomLog.objects.filter(patient=patient).order_by("item__position")
    singles = [single_page(patient_client, log) for log in logs]
    assert reasons(page) == reasons(singles[0]) + reasons(singles[1])
    assert page.count("Seek urgent medical care now") == 1
    assert f"Stop doing {first.exercise.name}" in page
    assert f"Stop doing {second.exercise.name}" in page
    # The session's new weakness is in each exercise's reasons, urgent care said once.
    assert reasons(page).count("You told us about new weakness in a leg or foot.") == 2


def test_a_sharp_pain_rise_is_reported_after_a_session_as_after_one_exercise(
    patient_client, patient, prescription, checked_today, clinic_with_phone
):
    first, *rest = prescription.items.select_related("exercise").order_by("position")
    record_symptom_log(
        patient=patient,
        item=first,
        pain=1,
        location="central",
        during="no_effect",
        after="no_effect",
        sets_done=1,
        repetitions_done=10,
    )
    # Back pain 6 after the session: no higher than before it (5), but 5 points above
    # its recent level (1).
    page = log_a_session(
        patient_client,
        [first, *rest],
        before=symptoms("before", back_pain="5"),
        after=symptoms("after", back_pain="6"),
        **{"1": item_answers(first)},
    )
    log = SymptomLog.objects.filter(patient=patient).latest("logged_at", "id")

    warning = "Your pain is higher than it was in the last few days"
    assert warning in page and warning in single_page(patient_client, log)
    assert "Stop doing" not in page


def test_the_saved_page_shows_only_the_patients_own_logs(
    client, patient, other_patient, prescription, checked_today
):
    first = prescription.items.order_by("position").first()
    log = record_symptom_log(
        patient=patient,
        item=first,
        pain=4,
        location="central",
        during="peripheralize",
        after="no_effect",
        sets_done=1,
        repetitions_done=10,
    ).log
    client.force_login(other_patient.user)
    url = f"{reverse('portal:session_logged')}?session={log.session_id}"
    page = client.get(url).content.decode()
    assert "Stop doing" not in page
    assert SPREAD not in page
