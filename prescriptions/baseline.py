"""What a log is compared with: the facts `safety.evaluate_log` needs, read from the
patient's earlier logs.

The reference location is the most central location the patient *held* in recent
days. A day holds the furthest location any of its logs reached (the patient was
never further out that day), and it counts only when none of its logs was judged
peripheralization: a day the pain spread is a warning, not a baseline. The days are
the clinic's `reference_days` whole days before the log's day. While the latest
earlier log lay further out than its own reference, that reference stays in force
(`persisting`), so pain that stays out keeps being peripheralization day after day.
Without either, the starting location the therapist recorded is the reference, and
without that the previous log. See docs/clinical-rules.md.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.utils import timezone

from patients.models import LOCATION_RANK, Patient

from . import safety
from .models import SymptomLog


def lay_further_out(row: dict[str, Any]) -> bool:
    """Whether a stored log (a dict with `location`, `reference_location` and `findings`)
    lay further out than its reference: peripheralization the data showed. Logs judged
    before safety v3 carry no `further_out` mark; their location and reference decide."""
    for finding in row["findings"] or []:
        if finding.get("kind") != safety.PERIPHERALIZATION:
            continue
        if finding.get("further_out"):
            return True
        reference = row["reference_location"]
        if reference and LOCATION_RANK[row["location"]] > LOCATION_RANK[reference]:
            return True
    return False


def _peripheral(row: dict[str, Any]) -> bool:
    return any(f.get("kind") == safety.PERIPHERALIZATION for f in row["findings"] or [])


def _start_of(day: Any) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _held(rows: list[dict[str, Any]], before: datetime) -> tuple[str, ...]:
    day = timezone.localdate(before)
    days: dict[Any, list[dict[str, Any]]] = {}
    for row in rows:
        days.setdefault(timezone.localdate(row["logged_at"]), []).append(row)
    held = []
    for _day, day_rows in sorted(days.items(), key=lambda pair: pair[0]):
        if _day >= day or any(_peripheral(row) for row in day_rows):
            continue
        held.append(max((row["location"] for row in day_rows), key=LOCATION_RANK.__getitem__))
    return tuple(held)


def held_locations(patient: Patient, before: datetime) -> tuple[str, ...]:
    """The location held on each of the clinic's recent whole days before `before`'s day
    that had logs and no peripheralization, oldest day first."""
    day = timezone.localdate(before)
    rows = SymptomLog.objects.filter(
        patient=patient,
        logged_at__gte=_start_of(day - timedelta(days=patient.clinic.reference_days)),
        logged_at__lt=_start_of(day),
    ).values("logged_at", "location", "findings")
    return _held(list(rows), before)


# What the rules read of each earlier log.
_EARLIER = (
    "id",
    "logged_at",
    "pain",
    "back_pain",
    "leg_pain",
    "location",
    "reference_location",
    "findings",
)


def _history(patient: Patient, logged_at: datetime) -> dict[str, Any]:
    """The fields of `LogFacts` that come from the patient's logs before `logged_at`:
    one query for the days the rules look back over (the held days and the recent
    days), and one more for the previous log only when none lies in them."""
    day = timezone.localdate(logged_at)
    held_since = _start_of(day - timedelta(days=patient.clinic.reference_days))
    recent_since = logged_at - timedelta(days=safety.RECENT_DAYS)
    earlier = SymptomLog.objects.filter(patient=patient, logged_at__lt=logged_at)
    rows = list(
        earlier.filter(logged_at__gte=min(held_since, recent_since)).order_by().values(*_EARLIER)
    )
    if rows:
        previous = max(rows, key=lambda row: (row["logged_at"], row["id"]))
    else:
        previous = (
            earlier.order_by("-logged_at", "-id")
            .values("location", "reference_location", "findings")
            .first()
        )
    by_day: dict[Any, list[int]] = {}
    back_by_day: dict[Any, list[int]] = {}
    leg_by_day: dict[Any, list[int]] = {}
    for row in rows:
        if row["logged_at"] < recent_since:
            continue
        when = timezone.localdate(row["logged_at"])
        by_day.setdefault(when, []).append(row["pain"])
        back, leg = safety.back_and_leg(
            pain=row["pain"],
            back_pain=row["back_pain"],
            leg_pain=row["leg_pain"],
            location=row["location"],
        )
        if back is not None:
            back_by_day.setdefault(when, []).append(back)
        if leg is not None:
            leg_by_day.setdefault(when, []).append(leg)
    return {
        "held": _held([row for row in rows if row["logged_at"] >= held_since], logged_at),
        "persisting": (
            previous["reference_location"] if previous and lay_further_out(previous) else None
        ),
        "starting_location": patient.starting_location or None,
        "previous_location": previous["location"] if previous else None,
        "recent_levels": tuple(safety.day_level(pains) for pains in by_day.values()),
        "pain_rise_threshold": patient.clinic.pain_rise_threshold,
        "recent_back_levels": tuple(safety.day_level(pains) for pains in back_by_day.values()),
        "recent_leg_levels": tuple(safety.day_level(pains) for pains in leg_by_day.values()),
    }


def log_facts(log: SymptomLog, patient: Patient) -> safety.LogFacts:
    """The facts the rules judge `log` by (not yet saved), from the patient's earlier logs."""
    return logs_facts([log], patient)[0]


def logs_facts(logs: list[SymptomLog], patient: Patient) -> list[safety.LogFacts]:
    """`log_facts` of several logs not yet saved (a session's, all of one moment): the
    patient's earlier logs are read once per moment, not once per log."""
    histories: dict[datetime, dict[str, Any]] = {}
    facts = []
    for log in logs:
        if log.logged_at not in histories:
            histories[log.logged_at] = _history(patient, log.logged_at)
        session = log.session
        facts.append(
            safety.LogFacts(
                pain=log.pain,
                location=log.location,
                during=log.during,
                after=log.after,
                new_symptoms=tuple(log.new_symptoms),
                back_pain=log.back_pain,
                leg_pain=log.leg_pain,
                before_back_pain=session.before_back_pain if session else None,
                before_leg_pain=session.before_leg_pain if session else None,
                before_location=(session.before_location or None) if session else None,
                **histories[log.logged_at],
            )
        )
    return facts


def spread_recently(patient_id: int, *, now: datetime | None = None) -> bool:
    """Whether any log of the patient's last `RECENT_DAYS` days lay further out than its
    reference: no progression forward is suggested, or left open, meanwhile (going back a
    step stays possible)."""
    since = (now or timezone.now()) - timedelta(days=safety.RECENT_DAYS)
    rows = SymptomLog.objects.filter(patient_id=patient_id, logged_at__gte=since).values(
        "location", "reference_location", "findings"
    )
    return any(lay_further_out(row) for row in rows)
