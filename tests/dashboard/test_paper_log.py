"""A therapist types in a paper log: same path, same safety rules as the portal."""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from clinics.models import AuditEvent
from prescriptions.models import Alert, NeuroSymptom, RedFlag, SymptomLog
from tests.factories import make_prescription

pytestmark = pytest.mark.any_hour


def url(patient) -> str:
    return reverse("prescriptions:log_create", kwargs={"patient_pk": patient.pk})


def answers(item, /, **overrides):
    data = {
        "item": item.pk,
        "logged_at": (timezone.localtime() - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "sets_done": 1,
        "repetitions_done": 10,
        "pain": 3,
        "location": "buttock",
        "during": "centralize",
        "after": "better",
        "note": "From the paper sheet",
        "client_token": uuid.uuid4().hex,
        **{f"neuro_{code}": "no" for code in NeuroSymptom.values},
        **{f"red_flag_{code}": "no" for code in RedFlag.values},
    }
    data.update(overrides)
    return data


def test_it_stores_the_log_as_entered_by_the_therapist(therapist_client, therapist, patient, item):
    response = therapist_client.post(url(patient), answers(item))
    assert response["Location"].endswith("#timeline")
    log = SymptomLog.objects.get()
    assert (log.source, log.entered_by, log.item) == ("therapist", therapist, item)
    assert (log.pain, log.location, log.note) == (3, "buttock", "From the paper sheet")
    assert AuditEvent.objects.filter(action="create", object_type="symptomlog").exists()


def test_a_worse_answer_raises_an_alert_and_says_so(therapist_client, patient, item):
    response = therapist_client.post(url(patient), answers(item, after="worse"), follow=True)
    content = response.content.decode()
    assert "Alert raised" in content
    assert "should stop" in content
    assert Alert.objects.get().kind == "worse"


def test_a_double_submit_stores_one_log(therapist_client, patient, item):
    data = answers(item)
    therapist_client.post(url(patient), data)
    therapist_client.post(url(patient), data)
    assert SymptomLog.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"pain": 11}, "Select a valid choice"),
        ({"location": "knee"}, "Select a valid choice"),
        ({"sets_done": -1}, "greater than or equal to 0"),
        ({"logged_at": "2999-01-01T10:00"}, "A log cannot be in the future."),
        # The year of a paper sheet typed wrong: it would stretch the chart back to 2016.
        ({"logged_at": "2016-03-10T10:00"}, "A log cannot be older than its program."),
    ],
)
def test_it_refuses_bad_answers_and_keeps_what_was_typed(
    therapist_client, patient, item, change, message
):
    response = therapist_client.post(url(patient), answers(item, **change))
    assert response.status_code == 400
    content = response.content.decode()
    assert message in content
    assert "From the paper sheet" in content
    assert not SymptomLog.objects.exists()


def test_it_refuses_an_exercise_of_another_patients_program(
    therapist_client, therapist, patient, other_patient, item
):
    other = make_prescription(other_patient, therapist).items.first()
    response = therapist_client.post(url(patient), answers(item, item=other.pk))
    assert response.status_code == 400
    assert not SymptomLog.objects.exists()


def test_it_needs_a_program_in_use(therapist_client, other_patient):
    response = therapist_client.get(url(other_patient))
    assert response["Location"] == reverse("patients:detail", kwargs={"pk": other_patient.pk})


def test_it_shows_the_form_on_its_own_page(therapist_client, patient, item):
    assert "Enter a log from paper" in therapist_client.get(url(patient)).content.decode()


def test_it_refuses_the_wrong_method(therapist_client, patient, item):
    assert therapist_client.put(url(patient)).status_code == 405


def test_it_sends_anonymous_visitors_to_the_login(client, patient, item):
    assert client.post(url(patient), answers(item))["Location"].startswith("/accounts/login/")
    assert not SymptomLog.objects.exists()


def test_another_clinic_gets_404(stranger_client, patient, item):
    assert stranger_client.post(url(patient), answers(item)).status_code == 404
    assert not SymptomLog.objects.exists()


@pytest.fixture
def week_old_item(patient, therapist, frozen_clock):
    """The first exercise of a program that began a week ago."""
    frozen_clock.shift(-7 * 86400)
    program = make_prescription(patient, therapist)
    frozen_clock.shift(7 * 86400)
    return program.items.order_by("position").first()


def test_a_back_dated_log_raises_its_alert_with_the_logs_day(
    therapist_client, patient, week_old_item
):
    item = week_old_item
    three_days_ago = timezone.localtime() - timedelta(days=3)
    therapist_client.post(
        url(patient),
        answers(item, after="worse", logged_at=three_days_ago.strftime("%Y-%m-%dT%H:%M")),
    )
    alert = Alert.objects.get()
    assert alert.first_logged_on == alert.last_logged_on == three_days_ago.date()
    assert alert.created_at.date() == timezone.now().date()  # raised when typed in
    page = therapist_client.get(reverse("patients:detail", kwargs={"pk": patient.pk}))
    assert f"Logged on {three_days_ago.day} {three_days_ago:%b %Y}" in page.content.decode()

    five_days_ago = timezone.localtime() - timedelta(days=5)
    therapist_client.post(
        url(patient),
        answers(item, after="worse", logged_at=five_days_ago.strftime("%Y-%m-%dT%H:%M")),
    )
    alert.refresh_from_db()
    assert (alert.count, alert.first_logged_on, alert.last_logged_on) == (
        2,
        five_days_ago.date(),
        three_days_ago.date(),
    )
    page = therapist_client.get(reverse("patients:detail", kwargs={"pk": patient.pk}))
    assert (
        f"Logged from {five_days_ago.day} {five_days_ago:%b %Y} "
        f"to {three_days_ago.day} {three_days_ago:%b %Y}" in page.content.decode()
    )


def test_a_red_flag_alert_carries_the_day_of_the_answers(therapist_client, patient, week_old_item):
    item = week_old_item
    two_days_ago = timezone.localtime() - timedelta(days=2)
    therapist_client.post(
        url(patient),
        answers(
            item,
            logged_at=two_days_ago.strftime("%Y-%m-%dT%H:%M"),
            **{f"red_flag_{RedFlag.values[0]}": "yes"},
        ),
    )
    alert = Alert.objects.get(kind="red_flag")
    assert alert.first_logged_on == two_days_ago.date()
