"""The questionnaire as a patient meets it on a phone: plain words for a missing or
tampered answer, and one set stored however often the form is sent."""

from unittest import mock

import pytest
from django.urls import reverse

from prescriptions.models import OutcomeMeasure
from prescriptions.outcomes import measures_due
from tests.outcomes.test_portal_measures import start_answers

pytestmark = pytest.mark.django_db

URL = reverse("portal:measures")


def test_missing_and_tampered_answers_are_said_in_plain_words(patient_client, prescription):
    response = patient_client.post(URL, start_answers(pain_now="", pain_worst="11", activity_1=""))
    assert response.status_code == 400
    content = response.content.decode()
    assert "This field is required." not in content
    assert "Select a valid choice" not in content
    assert content.count("Please choose a number from 0 to 10.") >= 2
    assert "Please name this activity." in content
    assert not OutcomeMeasure.objects.exists()


def test_the_same_form_sent_twice_at_once_stores_one_set(patient_client, prescription, patient):
    # Both requests read "due" before either stored anything: a double tap, or a
    # phone retrying on a poor connection.
    patient.refresh_from_db()
    due = measures_due(patient)
    assert due is not None
    form = patient_client.get(URL).content.decode()
    token = form.split('name="form_token" value="')[1].split('"')[0]
    with mock.patch("portal.measures.measures_due", return_value=due):
        first = patient_client.post(URL, start_answers(form_token=token))
        second = patient_client.post(URL, start_answers(form_token=token))
    assert (first.status_code, second.status_code) == (302, 302)
    assert OutcomeMeasure.objects.filter(patient=patient).count() == 2  # NPRS and PSFS


def test_two_different_sittings_are_two_sets(patient_client, prescription, patient):
    patient.refresh_from_db()
    due = measures_due(patient)
    assert due is not None
    with mock.patch("portal.measures.measures_due", return_value=due):
        patient_client.post(URL, start_answers(form_token="a" * 32))
        patient_client.post(URL, start_answers(form_token="b" * 32))
    assert OutcomeMeasure.objects.filter(patient=patient).count() == 4


def test_a_rejected_form_keeps_its_token(patient_client, prescription):
    response = patient_client.post(URL, start_answers(pain_now="", form_token="c" * 32))
    assert 'name="form_token" value="' + "c" * 32 + '"' in response.content.decode()
