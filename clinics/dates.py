"""Dates as the patient reads them: a named long form inside a sentence ("14 December
2026", "14 de diciembre de 2026") and the short form of the language's DATE_FORMAT in
tables, lists and labels ("14 Dec 2026", "14 dic 2026")."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import pgettext


def long_date(value: datetime.date | datetime.datetime | None) -> str:
    """`value` for a sentence, in the active language; a moment is read on the local clock."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    # Translators: a date inside a sentence, in Django's date format letters
    # (j: day, F: month name, Y: year; a letter meant literally takes a backslash).
    return date_format(value, pgettext("date in a sentence", "j F Y"))
