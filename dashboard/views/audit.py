"""The clinic administrator's audit log export: the clinic's events as CSV."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from clinics.models import AuditEvent, Clinic, audit
from patients.models import Patient

from ..decorators import admin_clinic

COLUMNS = [
    "at",
    "actor",
    "action",
    "object_type",
    "object_id",
    "patient_id",
    "patient",
    "ip",
    "detail",
    "hash",
]
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# ...and a spreadsheet whose list separator is ";" (or tab) splits an unquoted cell
# there, so a formula may also start after any separator inside a cell.
FORMULA_AFTER_SEPARATOR = re.compile(r"(^|[;,\t])( *)(?=[=+\-@\t\r])")


class AuditExportForm(forms.Form):
    patient = forms.ModelChoiceField(
        label=gettext_lazy("Patient"),
        queryset=Patient.objects.none(),
        required=False,
        empty_label=gettext_lazy("All patients"),
    )
    # A date input reads and writes ISO dates, whatever the language.
    date_from = forms.DateField(
        label=gettext_lazy("From"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    date_to = forms.DateField(
        label=gettext_lazy("To"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        help_text=gettext_lazy("Both days are included."),
    )

    def __init__(self, *args: Any, clinic: Clinic, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["patient"].queryset = Patient.objects.for_clinic(clinic).order_by(
            "last_name", "first_name", "pk"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("Choose a day on or after the first day."))
        return data


def safe_cell(value: object) -> str:
    """The cell with a quote mark before every formula start: at its beginning and
    after each separator a spreadsheet might split it at. (Every cell is also
    written quoted, see `audit_export`.)"""
    text = "" if value is None else str(value)
    return FORMULA_AFTER_SEPARATOR.sub(r"\1\2'", text)


class _Echo:
    """A file that hands back what is written, so csv.writer can feed a stream."""

    def write(self, value: str) -> str:
        return value


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_rows(events: Iterable[AuditEvent], names: dict[int, str]) -> Iterator[list[str]]:
    yield COLUMNS
    for event in events:
        yield [
            safe_cell(value)
            for value in (
                timezone.localtime(event.at).isoformat(),
                event.actor_label,
                event.action,
                event.object_type,
                event.object_id,
                event.patient_id,
                names.get(event.patient_id, "") if event.patient_id else "",
                event.ip,
                json.dumps(event.detail, ensure_ascii=False, sort_keys=True),
                event.hash,
            )
        ]


@never_cache
@login_required
@require_GET
def audit_export(request: HttpRequest) -> HttpResponse:
    clinic = admin_clinic(request)
    # The last 30 days unless the administrator picks others.
    today = timezone.localdate()
    initial = {"date_from": today - timedelta(days=30), "date_to": today}
    form = AuditExportForm(request.GET or None, clinic=clinic, initial=initial)
    if not form.is_valid():
        return render(request, "dashboard/audit_export.html", {"form": form, "clinic": clinic})
    patient = form.cleaned_data["patient"]
    start, end = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
    events = AuditEvent.objects.for_clinic(clinic).filter(
        at__gte=_day_start(start), at__lt=_day_start(end + timedelta(days=1))
    )
    if patient is not None:
        events = events.filter(patient_id=patient.pk)
        names = {patient.pk: patient.full_name}
    else:
        names = {
            pk: f"{first} {last}".strip()
            for pk, first, last in Patient.objects.for_clinic(clinic).values_list(
                "pk", "first_name", "last_name"
            )
        }
    audit(
        action=AuditEvent.Action.EXPORT,
        request=request,
        target=patient,
        clinic=clinic,
        object_type="audit_log",
        object_id="",
        detail={"from": start.isoformat(), "to": end.isoformat()},
    )
    # Every cell quoted: a spreadsheet must not split one at a ";" or a tab inside it.
    writer = csv.writer(_Echo(), quoting=csv.QUOTE_ALL)
    # Oldest first, read in chunks: a large log streams without being held in memory.
    rows = audit_rows(events.order_by("at", "id").iterator(chunk_size=2000), names)
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in rows), content_type="text/csv; charset=utf-8"
    )
    filename = f"audit-{clinic.slug}-{start.isoformat()}-{end.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
