"""A retry with a `client_id` already stored must be the same request.

`client_id` makes a retried POST store nothing twice (the first record is answered
with 200). A different body under the same id is not a retry but a client bug (an id
used twice): it answers 409, as a reused `Idempotency-Key` does, rather than quietly
returning a record that is not what the client sent."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status

from prescriptions.models import OutcomeMeasure, PrescriptionItem, SymptomLog
from prescriptions.outcome_models import clean_answers


class ClientIdReused(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _(
        "A record with this client_id was already stored with different values. "
        "Use a new client_id for a new record."
    )
    default_code = "client_id_reused"


def check_log_replay(log: SymptomLog, item: PrescriptionItem, data: dict[str, Any]) -> None:
    """Raises ClientIdReused unless `data` (a validated log request) is `log` again.
    Left-out optional fields (`logged_at`) cannot differ."""
    sent = {name: value for name, value in data.items() if name != "client_id"}
    stored = {name: getattr(log, name) for name in sent}
    sent["item"], stored["item"] = item.pk, log.item_id
    if "new_symptoms" in sent:
        sent["new_symptoms"] = list(dict.fromkeys(sent["new_symptoms"]))
    if sent != stored:
        raise ClientIdReused()


def check_measure_replay(
    measure: OutcomeMeasure, *, instrument: str, taken_at: Any, answers: dict[str, Any]
) -> None:
    """Raises ClientIdReused unless the request names the same instrument, time (when
    given) and answers as `measure`."""
    if instrument != measure.instrument or taken_at not in (None, measure.taken_at):
        raise ClientIdReused()
    try:
        fields = clean_answers(instrument, answers)
    except ValidationError as error:
        raise ClientIdReused() from error
    if any(getattr(measure, name) != value for name, value in fields.items()):
        raise ClientIdReused()
