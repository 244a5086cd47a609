"""The patient fills the outcome measures that are due in the portal."""

from datetime import timedelta

import pytest
from django.urls import reverse

from prescriptions.models import OutcomeMeasure
from prescriptions.outcomes import record_outcome_measure

pytestmark = pytest.mark.django_db

URL = reverse("portal:measures")
TODAY = reverse("portal:today")


def start_answers(**overrides):
    data = {
        "pain_now": "6",
        "pain_best": "3",
        "pain_worst": "9",
        "activity_1": "Sitting through a film",
        "score_1": "3",
        "activity_2": "Putting on socks",
        "score_2": "4",
        "activity_3": "Lifting my grandson",
        "score_3": "2",
    }
    data.update(overrides)
    return data


def test_today_shows_the_card_when_the_start_set_is_due(patient_client, prescription):
    response = patient_client.get(TODAY)
    assert "A short questionnaire for your therapist" in response.text
    assert URL in response.text


def test_the_form_asks_pain_and_activities_with_nothing_chosen(patient_client, prescription):
    response = patient_client.get(URL)
    assert response.status_code == 200
    assert "Your pain right now" in response.text
    assert "Activity 5" in response.text
    assert "how has your back changed" not in response.text
    assert "checked" not in response.text


def test_the_patient_sends_the_start_set_and_the_card_goes(patient_client, prescription, patient):
    response = patient_client.post(URL, start_answers())
    assert response.status_code == 302
    scores = dict(OutcomeMeasure.objects.filter(patient=patient).values_list("instrument", "score"))
    assert {k: str(v) for k, v in scores.items()} == {"nprs": "6.0", "psfs": "3.0"}
    assert set(OutcomeMeasure.objects.values_list("occasion", flat=True)) == {"start"}
    assert "A short questionnaire" not in patient_client.get(TODAY).text


def test_missing_answers_are_marked_and_nothing_is_saved(patient_client, prescription):
    response = patient_client.post(
        URL, start_answers(pain_worst="", score_2="", activity_3="", score_3="")
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert {"pain_worst", "score_2", "activity_3"} <= set(errors)
    assert 'value="Sitting through a film"' in response.text
    assert not OutcomeMeasure.objects.exists()


def test_least_pain_above_worst_is_refused_with_the_other_missing_answers(
    patient_client, prescription
):
    response = patient_client.post(URL, start_answers(pain_best="8", pain_worst="2", score_2=""))
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"pain_best", "score_2"}
    assert "Your least pain cannot be higher than your worst pain." in response.text
    assert not OutcomeMeasure.objects.exists()


def test_a_later_questionnaire_rates_the_activities_named_at_the_start(
    patient_client, prescription, patient, frozen_clock
):
    assert patient_client.post(URL, start_answers()).status_code == 302
    frozen_clock.shift(timedelta(days=14))
    patient_client.force_login(patient.user)  # the session has lapsed meanwhile
    page = patient_client.get(URL).text
    # The three activities are shown by name; nothing asks to name them again.
    for n, name in enumerate(
        ["Sitting through a film", "Putting on socks", "Lifting my grandson"], start=1
    ):
        assert f"Activity {n}: {name}" in page
    assert 'name="activity_1"' not in page
    assert "Activity 4" not in page
    # Names posted anyway (a stale page, a crafted request) do not replace them.
    response = patient_client.post(
        URL,
        {
            "pain_now": "3",
            "pain_best": "1",
            "pain_worst": "4",
            "activity_1": "Watching a movie",
            "score_1": "8",
            "score_2": "7",
            "score_3": "6",
            "change": "4",
        },
    )
    assert response.status_code == 302
    later = OutcomeMeasure.objects.filter(instrument="psfs").order_by("taken_at").last()
    assert [row["activity"] for row in later.activities] == [
        "Sitting through a film",
        "Putting on socks",
        "Lifting my grandson",
    ]
    assert str(later.score) == "7.0"


def test_the_review_asks_the_global_rating_too(patient_client, prescription, patient, frozen_clock):
    record_outcome_measure(
        patient=patient,
        instrument="nprs",
        answers={"pain_now": 6, "pain_best": 3, "pain_worst": 9},
        source="portal",
    )
    frozen_clock.shift(timedelta(days=14))
    patient_client.force_login(patient.user)  # the session has lapsed meanwhile
    assert "how has your back changed" in patient_client.get(URL).text
    response = patient_client.post(URL, start_answers(change="3"))
    assert response.status_code == 302
    groc = OutcomeMeasure.objects.get(instrument="groc")
    assert (groc.change, groc.occasion) == (3, "review")


def test_with_nothing_due_the_form_sends_the_patient_back(patient_client, patient):
    response = patient_client.get(URL)
    assert response.status_code == 302
    assert response.url == TODAY


def test_a_therapist_is_sent_to_the_dashboard_and_anonymous_to_login(client, therapist):
    assert "login" in client.get(URL).url
    client.force_login(therapist)
    assert client.get(URL).status_code == 302
