"""Outcome measures: when they are due, recording them, ending an episode of care.

Due at the start of an episode, every `clinic.outcome_interval_days` after the last
set, and when the therapist asks for the discharge set. The portal, the dashboard
and the API all record through `record_outcome_measure`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid5

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Avg, Min, Q
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from patients.models import Patient

from .models import LOCATION_RANK, Alert, Location, Prescription, SymptomLog
from .outcome_models import (
    GROC_RESPONDER,
    MCID,
    THRESHOLD_KIND,
    Episode,
    Instrument,
    Occasion,
    OutcomeMeasure,
    activity_key,
    clean_answers,
)
from .summary import lock_patient

# Turns a form's token into the client ids of the measures it sends (one per instrument).
OUTCOME_FORM_NAMESPACE = UUID("6f0c1a52-9d1e-4a4e-8f57-0b3c2f4f7e21")


@dataclass(frozen=True)
class Due:
    occasion: str
    instruments: tuple[str, ...]

    @property
    def occasion_label(self) -> str:
        return str(Occasion(self.occasion).label)


def open_episode(patient: Patient) -> Episode | None:
    return Episode.objects.filter(patient=patient, ended_at__isnull=True).first()


def _episode_start(patient: Patient) -> datetime:
    """When a new episode began: the first program put in use since the last
    discharge, or now."""
    last_end = (
        Episode.objects.filter(patient=patient, ended_at__isnull=False)
        .order_by("-ended_at")
        .values_list("ended_at", flat=True)
        .first()
    )
    programs = Prescription.objects.filter(patient=patient, activated_at__isnull=False)
    if last_end is not None:
        programs = programs.filter(activated_at__gte=last_end)
    first = programs.aggregate(first=Min("activated_at"))["first"]
    return first or timezone.now()


def ensure_episode(patient: Patient) -> Episode:
    """The patient's open episode, started now if there is none. Call under the
    patient's lock."""
    episode = open_episode(patient)
    if episode is None:
        episode = Episode.objects.create(patient=patient, started_at=_episode_start(patient))
    return episode


def measures_due(patient: Patient, *, today: date | None = None) -> Due | None:
    """What the patient should fill in today, or None.

    Only a patient with a program in use is asked. The start set has no Global
    Rating of Change: there is no change to rate before care began.
    """
    today = today or timezone.localdate()
    if not patient.active_version:  # the stored overview: no query
        return None
    latest = (
        OutcomeMeasure.objects.filter(episode__patient=patient, episode__ended_at__isnull=True)
        .order_by("-taken_at")
        .values("taken_at", "episode__discharge_requested_at")
        .first()
    )
    if latest is None:
        return due_after(patient, last_taken=None, discharge_requested=None, today=today)
    return due_after(
        patient,
        last_taken=latest["taken_at"],
        discharge_requested=latest["episode__discharge_requested_at"],
        today=today,
    )


def due_after(
    patient: Patient,
    *,
    last_taken: datetime | None,
    discharge_requested: datetime | None,
    today: date,
) -> Due | None:
    """The rule itself, from the open episode's last measure (for callers that have it)."""
    if not patient.active_version:
        return None
    if last_taken is None:
        return Due(Occasion.START, (Instrument.NPRS, Instrument.PSFS))
    every = (Instrument.NPRS, Instrument.PSFS, Instrument.GROC)
    if discharge_requested is not None and last_taken < discharge_requested:
        return Due(Occasion.DISCHARGE, every)
    interval = timedelta(days=patient.clinic.outcome_interval_days)
    if timezone.localdate(last_taken) + interval <= today:
        return Due(Occasion.REVIEW, every)
    return None


def _occasion_for(episode: Episode, instrument: str, taken_at: datetime) -> str:
    if episode.discharge_requested_at is not None and taken_at >= episode.discharge_requested_at:
        return Occasion.DISCHARGE
    # A rating of change is never the start: there is no change to rate yet.
    if (
        instrument != Instrument.GROC
        and not OutcomeMeasure.objects.filter(episode=episode, instrument=instrument).exists()
    ):
        return Occasion.START
    return Occasion.REVIEW


def baseline_activities(patient: Patient) -> list[str]:
    """The activities the first PSFS of the open episode named (none yet: empty). A
    later PSFS rates the same ones, so that its change means something."""
    episode = open_episode(patient)
    if episode is None:
        return []
    first = (
        OutcomeMeasure.objects.filter(episode=episode, instrument=Instrument.PSFS)
        .order_by("taken_at", "id")
        .values_list("activities", flat=True)
        .first()
    )
    return [row["activity"] for row in first or []]


def _same_activities(baseline: list[str], activities: list[dict[str, Any]]) -> bool:
    return [activity_key(name) for name in baseline] == [
        activity_key(row["activity"]) for row in activities
    ]


def record_outcome_measure(
    *,
    patient: Patient,
    instrument: str,
    answers: dict[str, Any],
    source: str,
    by: Any = None,
    taken_at: datetime | None = None,
    client_id: UUID | None = None,
) -> tuple[OutcomeMeasure, bool]:
    """Check and store one measure in the open episode; (measure, created).

    A `client_id` seen before for this patient returns the stored measure, so a
    clinic system's retry stores nothing new. Raises ValidationError by field.
    """
    if client_id is not None:
        existing = OutcomeMeasure.objects.filter(patient=patient, client_id=client_id).first()
        if existing is not None:
            return existing, False
    fields = clean_answers(instrument, answers)
    taken_at = taken_at or timezone.now()
    if taken_at > timezone.now() + timedelta(minutes=5):
        raise ValidationError({"taken_at": [_("This is in the future.")]})
    try:
        with transaction.atomic():
            lock_patient(patient.pk)
            episode = ensure_episode(patient)
            if taken_at < episode.started_at - timedelta(days=1):
                raise ValidationError(
                    {"taken_at": [_("This is before the current episode of care began.")]}
                )
            baseline = baseline_activities(patient) if instrument == Instrument.PSFS else []
            if baseline and not _same_activities(baseline, fields["activities"]):
                raise ValidationError(
                    {
                        "activities": [
                            _(
                                "Rate the activities named at the start of this episode, "
                                "in the same order: %(names)s."
                            )
                            % {"names": "; ".join(baseline)}
                        ]
                    }
                )
            measure = OutcomeMeasure.objects.create(
                patient=patient,
                episode=episode,
                instrument=instrument,
                occasion=_occasion_for(episode, instrument, taken_at),
                taken_at=taken_at,
                source=source,
                entered_by=by,
                client_id=client_id,
                **fields,
            )
    except IntegrityError:
        # Two retries at once: the other one stored it.
        existing = OutcomeMeasure.objects.filter(patient=patient, client_id=client_id).first()
        if client_id is None or existing is None:
            raise
        return existing, False
    return measure, True


def request_discharge_measures(*, patient: Patient) -> Episode:
    """Ask the patient for the discharge set on their next visit to the portal."""
    with transaction.atomic():
        lock_patient(patient.pk)
        episode = ensure_episode(patient)
        episode.discharge_requested_at = timezone.now()
        episode.save(update_fields=["discharge_requested_at"])
    return episode


def end_episode(
    *, patient: Patient, by: Any, summary_note: str = "", referring_doctor: str = ""
) -> Episode:
    """Discharge: the episode ends and so does the program in use, which stays readable."""
    from .services import end_prescription

    with transaction.atomic():
        lock_patient(patient.pk)
        active = Prescription.objects.filter(
            patient=patient, status=Prescription.Status.ACTIVE
        ).first()
        if active is None and open_episode(patient) is None:
            raise ValidationError(_("This patient has no episode of care in progress."))
        episode = ensure_episode(patient)
        if active is not None:
            end_prescription(prescription=active)
        episode.ended_at = timezone.now()
        episode.ended_by = by
        episode.summary_note = summary_note
        episode.referring_doctor = referring_doctor
        episode.save(update_fields=["ended_at", "ended_by", "summary_note", "referring_doctor"])
    return episode


def groc_verdict(score: Decimal) -> str:
    """A rating of change against the responder threshold (+4: a moderate change or
    more), in plain words."""
    if score >= GROC_RESPONDER:
        return _("A responder: %(threshold)+d or more (a moderate change or more).") % {
            "threshold": GROC_RESPONDER
        }
    if score <= -GROC_RESPONDER:
        return _("Worse: %(threshold)+d or less (a moderate change or more).") % {
            "threshold": -GROC_RESPONDER
        }
    return _("Below the responder threshold (%(threshold)+d).") % {"threshold": GROC_RESPONDER}


@dataclass(frozen=True)
class MeasureChange:
    """First and latest score of one instrument in an episode, against its threshold."""

    instrument: str
    first: OutcomeMeasure
    latest: OutcomeMeasure

    @property
    def label(self) -> str:
        return str(Instrument(self.instrument).label)

    @property
    def change(self) -> Decimal:
        return self.latest.score - self.first.score

    @property
    def improvement(self) -> Decimal:
        """Positive when the patient is better: less pain, more function."""
        return -self.change if self.instrument == Instrument.NPRS else self.change

    @property
    def mcid(self) -> Decimal | None:
        """The points a change must reach to count (an MCID or an MDC: see
        `threshold_kind`), or None for the rating of change."""
        return MCID.get(self.instrument)

    @property
    def threshold_kind(self) -> str:
        return THRESHOLD_KIND.get(self.instrument, "")

    @property
    def verdict(self) -> str:
        if self.instrument == Instrument.GROC:
            return groc_verdict(self.latest.score)
        if self.mcid is None or self.first.pk == self.latest.pk:
            return ""
        points = {"points": self.mcid}
        if self.threshold_kind == "mdc":
            if self.improvement >= self.mcid:
                return (
                    _(
                        "Improved by at least the minimal detectable change of the mean score "
                        "(%(points)s points)."
                    )
                    % points
                )
            if -self.improvement >= self.mcid:
                return (
                    _(
                        "Worse by at least the minimal detectable change of the mean score "
                        "(%(points)s points)."
                    )
                    % points
                )
            return (
                _(
                    "Changed less than the minimal detectable change of the mean score "
                    "(%(points)s points): within measurement error."
                )
                % points
            )
        if self.improvement >= self.mcid:
            return (
                _(
                    "Improved by at least the minimal clinically important difference "
                    "(%(points)s points)."
                )
                % points
            )
        if -self.improvement >= self.mcid:
            return (
                _(
                    "Worse by at least the minimal clinically important difference "
                    "(%(points)s points)."
                )
                % points
            )
        return (
            _("Changed less than the minimal clinically important difference (%(points)s points).")
            % points
        )

    @property
    def change_text(self) -> str:
        return f"{self.change:+.1f}"


def episode_measures(episode: Episode) -> list[OutcomeMeasure]:
    return list(episode.measures.order_by("taken_at", "id"))


def measure_changes(measures: list[OutcomeMeasure]) -> list[MeasureChange]:
    """One row per instrument with scores, in NPRS, PSFS, GROC order."""
    changes = []
    for instrument in Instrument.values:
        rows = [m for m in measures if m.instrument == instrument]
        if rows:
            # A rating of change already is a change: only the latest one counts.
            first = rows[-1] if instrument == Instrument.GROC else rows[0]
            changes.append(MeasureChange(instrument, first, rows[-1]))
    return changes


def record_outcome_set(
    *,
    patient: Patient,
    answers: dict[str, dict[str, Any]],
    source: str,
    by: Any = None,
    form_token: str = "",
) -> list[OutcomeMeasure]:
    """Store the instruments of one sitting together: all of them or none.

    `form_token`, made when the form was drawn, names the sitting: the same form
    sent again (double tap, a retry on a poor connection) returns the measures
    stored the first time and stores nothing new."""
    with transaction.atomic():
        return [
            record_outcome_measure(
                patient=patient,
                instrument=instrument,
                answers=values,
                source=source,
                by=by,
                client_id=uuid5(OUTCOME_FORM_NAMESPACE, f"{form_token}:{instrument}")
                if form_token
                else None,
            )[0]
            for instrument, values in answers.items()
        ]


@dataclass(frozen=True)
class EpisodeSummary:
    """What a discharge summary says about one episode, gathered apart from its layout."""

    episode: Episode
    start: date
    end: date
    versions: list[Prescription]
    days_logged: int
    days_in_care: int
    first_pain: float | None
    last_pain: float | None
    first_location: str
    last_location: str
    measures: list[OutcomeMeasure]
    changes: list[MeasureChange]
    # The warnings raised during the episode, most serious first; for the doctor.
    alerts: list[Alert]

    @property
    def open_alerts(self) -> list[Alert]:
        return [alert for alert in self.alerts if alert.acknowledged_at is None]

    @property
    def adherence_percent(self) -> int | None:
        # Days with at least one log against days in care. A finer figure (sessions
        # done against sessions prescribed) belongs in prescriptions/adherence.py
        # once it exists; swap it in here.
        if not self.days_in_care:
            return None
        return round(100 * min(self.days_logged, self.days_in_care) / self.days_in_care)

    @property
    def first_location_label(self) -> str:
        return str(Location(self.first_location).label) if self.first_location else ""

    @property
    def last_location_label(self) -> str:
        return str(Location(self.last_location).label) if self.last_location else ""

    @property
    def centralized(self) -> bool | None:
        if not (self.first_location and self.last_location):
            return None
        return LOCATION_RANK[self.last_location] < LOCATION_RANK[self.first_location]


SEVERITY_ORDER = {Alert.Severity.URGENT: 0, Alert.Severity.WARNING: 1}


def episode_summary(episode: Episode) -> EpisodeSummary:
    end_at = episode.ended_at or timezone.now()
    versions = list(
        Prescription.objects.filter(
            patient_id=episode.patient_id, activated_at__isnull=False, activated_at__lte=end_at
        )
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gte=episode.started_at))
        .select_related("prescribed_by", "progression")
        .prefetch_related("items__exercise")
        .order_by("version")
    )
    # The logs of the episode's programs: a log typed in from paper may be dated a
    # little before its program was activated (EARLIEST_LOG_SLACK), and is still part
    # of this care; the episode is then counted from that log's day.
    logs = SymptomLog.objects.filter(
        patient_id=episode.patient_id,
        item__prescription__in=[version.pk for version in versions],
        logged_at__lte=end_at,
    ).order_by("logged_at", "id")
    first_log = logs.values_list("logged_at", flat=True).first()
    start_at = min(episode.started_at, first_log) if first_log else episode.started_at
    days = (
        logs.annotate(day=TruncDate("logged_at"))
        .order_by("day")
        .values("day")
        .annotate(pain=Avg("pain"))
    )
    daily = list(days)
    # Where the pain reached on the first and on the last day with a log: the
    # furthest from the spine that day, so one central log does not hide a leg.
    furthest: dict[date, str] = {}
    for moment, location in logs.values_list("logged_at", "location"):
        day = timezone.localdate(moment)
        if LOCATION_RANK[location] >= LOCATION_RANK.get(furthest.get(day, ""), -1):
            furthest[day] = location
    first = furthest[min(furthest)] if furthest else ""
    last = furthest[max(furthest)] if furthest else ""
    alerts = sorted(
        Alert.objects.filter(patient_id=episode.patient_id, last_seen_at__gte=start_at)
        .filter(created_at__lte=end_at)
        .select_related("exercise"),
        key=lambda alert: (SEVERITY_ORDER.get(alert.severity, 9), alert.created_at),
    )
    measures = episode_measures(episode)
    start, end = timezone.localdate(start_at), timezone.localdate(end_at)
    return EpisodeSummary(
        episode=episode,
        start=start,
        end=end,
        versions=versions,
        days_logged=len(daily),
        days_in_care=(end - start).days + 1,
        first_pain=round(float(daily[0]["pain"]), 1) if daily else None,
        last_pain=round(float(daily[-1]["pain"]), 1) if daily else None,
        first_location=first,
        last_location=last,
        measures=measures,
        changes=measure_changes(measures),
        alerts=alerts,
    )
