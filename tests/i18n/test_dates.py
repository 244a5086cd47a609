"""Dates in the patient's language: the month named in full inside a sentence, the
short form in tables and labels."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.formats import date_format

from clinics.dates import long_date
from handouts.handout import handout_context
from prescriptions.models import Prescription

DAY = datetime.date(2026, 12, 14)


@pytest.mark.parametrize(
    ("language", "sentence", "table"),
    [("en", "14 December 2026", "14 Dec 2026"), ("es", "14 de diciembre de 2026", "14 dic 2026")],
)
def test_a_sentence_names_the_month_and_a_table_keeps_it_short(language, sentence, table):
    with translation.override(language):
        assert long_date(DAY) == sentence
        assert date_format(DAY, "DATE_FORMAT") == table


def test_templates_write_a_moment_on_the_local_clock_as_a_sentence_date(settings):
    # 23:30 in UTC on the 13th is already the 14th in Madrid.
    settings.TIME_ZONE = "Europe/Madrid"
    moment = datetime.datetime(2026, 12, 13, 23, 30, tzinfo=datetime.UTC)
    template = Template("{% load dates %}{{ moment|long_date }}")
    with translation.override("es"):
        assert template.render(Context({"moment": moment})) == "14 de diciembre de 2026"


def test_the_handout_says_when_an_ended_program_ended_in_a_sentence(patient, prescription):
    patient.preferred_language = "es"
    patient.save()
    prescription.status = Prescription.Status.ENDED
    prescription.ended_at = datetime.datetime(2026, 12, 14, 10, tzinfo=datetime.UTC)
    prescription.save()
    prescription.refresh_from_db()
    context = handout_context(prescription)
    assert context["ended_on"] == "14 de diciembre de 2026"
