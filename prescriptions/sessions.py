"""Recording a whole exercise session: the symptoms once before and once after, and
how each exercise went.

Every exercise done becomes a symptom log checked and judged as every other path's
(`checked_log` and `store_logs`, services.py), so the safety rules are the ones every
other path meets; the session adds what only it knows: back and leg pain apart, and the
symptoms before it to compare the after with (safety.py, "like with like"). A session
costs the same queries whatever its number of exercises: the patient's earlier logs are
read once, the logs inserted together, their alerts raised together, and the derived
state (overview, adherence, suggestion) refreshed once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from patients.models import Location, Patient

from . import safety
from .models import (
    AfterResponse,
    Alert,
    DuringResponse,
    ExerciseSession,
    NeuroSymptom,
    Prescription,
    PrescriptionItem,
    SymptomLog,
)
from .progression import refresh_suggestion
from .services import LogOutcome, _lock_patient, checked_log, store_logs
from .summary import refresh_summary

MAX_SETS, MAX_REPETITIONS = 50, 500


@dataclass(frozen=True)
class Symptoms:
    """Back pain and leg pain (0 to 10) and where the pain reaches, at one moment."""

    back_pain: int
    leg_pain: int
    location: str

    @property
    def pain(self) -> int:
        return max(self.back_pain, self.leg_pain)


@dataclass(frozen=True)
class ExerciseAnswer:
    """How one exercise of the session went: done or not, and if done, the amount and
    the response during and after it."""

    item: PrescriptionItem
    done: bool
    during: str = ""
    after: str = ""
    sets_done: int | None = None
    repetitions_done: int | None = None
    note: str = ""


@dataclass
class SessionOutcome:
    session: ExerciseSession
    created: bool
    logs: list[LogOutcome] = field(default_factory=list)

    @property
    def alerts(self) -> list[Alert]:
        seen: dict[int, Alert] = {}
        for outcome in self.logs:
            for alert in outcome.alerts:
                seen.setdefault(alert.pk, alert)
        return list(seen.values())

    @property
    def urgent(self) -> bool:
        return any(outcome.urgent for outcome in self.logs)

    @property
    def stop_exercise(self) -> bool:
        return any(outcome.stop_exercise for outcome in self.logs)


def _symptom_errors(prefix: str, symptoms: Symptoms) -> dict[str, str]:
    errors = {}
    for name in ("back_pain", "leg_pain"):
        value = getattr(symptoms, name)
        if not isinstance(value, int) or not 0 <= value <= 10:
            errors[f"{prefix}.{name}"] = _("Give a number from 0 to 10.")
    if symptoms.location not in Location.values:
        errors[f"{prefix}.location"] = _("Choose where the pain reaches.")
    if errors:
        return errors
    problem = safety.parts_contradiction(
        back_pain=symptoms.back_pain, leg_pain=symptoms.leg_pain, location=symptoms.location
    )
    if problem is not None:
        errors[f"{prefix}.{problem[0]}"] = problem[1]
    return errors


def _exercise_errors(index: int, answer: ExerciseAnswer) -> dict[str, str]:
    if not answer.done:
        return {}
    errors = {}
    where = f"exercises.{index}"
    if answer.during not in DuringResponse.values:
        errors[f"{where}.during"] = _("Choose what happened to the pain during the exercise.")
    if answer.after not in AfterResponse.values:
        errors[f"{where}.after"] = _("Choose how the pain was after the exercise.")
    for name, most in (("sets_done", MAX_SETS), ("repetitions_done", MAX_REPETITIONS)):
        value = getattr(answer, name)
        if not isinstance(value, int) or not 0 <= value <= most:
            errors[f"{where}.{name}"] = _("Give a number from 0 to %(most)d.") % {"most": most}
    return errors


def check_session(
    *,
    patient: Patient,
    exercises: Sequence[ExerciseAnswer],
    after: Symptoms,
    before: Symptoms | None,
    new_symptoms: Iterable[str],
) -> Prescription:
    """The program the session belongs to, or ValidationError with a message per field
    (`before.leg_pain`, `exercises.1.during`, ...) for answers that cannot be stored."""
    errors: dict[str, str] = {}
    if before is not None:
        errors.update(_symptom_errors("before", before))
    errors.update(_symptom_errors("after", after))
    for index, answer in enumerate(exercises):
        errors.update(_exercise_errors(index, answer))
    if set(new_symptoms) - set(NeuroSymptom.values):
        errors["new_symptoms"] = _("Unknown nerve symptom.")
    programs = {answer.item.prescription_id for answer in exercises}
    items = [answer.item.pk for answer in exercises]
    if not any(answer.done for answer in exercises):
        errors["exercises"] = _("Log at least one exercise done.")
    elif len(programs) > 1:
        errors["exercises"] = _("The exercises of one session come from one program.")
    elif len(set(items)) < len(items):
        errors["exercises"] = _("Each exercise appears once in a session.")
    if errors:
        raise ValidationError(errors)
    prescription = exercises[0].item.prescription
    if prescription.patient_id != patient.pk:
        raise ValidationError({"exercises": _("This exercise is not in this patient's program.")})
    if prescription.status == Prescription.Status.DRAFT:
        raise ValidationError({"exercises": _("This program has not been started yet.")})
    return prescription


def _replayed(patient: Patient, client_id: Any, client_token: str) -> SessionOutcome | None:
    sessions = ExerciseSession.objects.filter(patient=patient)
    session = None
    if client_id:
        session = sessions.filter(client_id=client_id).first()
    if session is None and client_token:
        session = sessions.filter(client_token=client_token).first()
    if session is None:
        return None
    logs = session.logs.select_related("item__exercise").prefetch_related("grouped_alerts")
    outcomes = [LogOutcome(log, False, alerts=list(log.grouped_alerts.all())) for log in logs]
    return SessionOutcome(session, created=False, logs=outcomes)


def record_session(
    *,
    patient: Patient,
    exercises: Sequence[ExerciseAnswer],
    after: Symptoms,
    before: Symptoms | None = None,
    new_symptoms: Iterable[str] = (),
    logged_at: datetime | None = None,
    source: str = SymptomLog.Source.PORTAL,
    entered_by: Any = None,
    client_token: str = "",
    client_id: Any = None,
) -> SessionOutcome:
    """Store a session and a log per exercise done, with every safety rule; all or nothing.

    `before` may be left out (a paper sheet that did not ask); the rules then compare the
    after with the reference location and recent levels only. `new_symptoms` are the
    nerve answers of the session, asked once at its end. A repeated `client_id` or
    `client_token` of the same patient returns the session stored the first time.
    """
    replay = _replayed(patient, client_id, client_token)
    if replay is not None:
        return replay
    symptoms = list(dict.fromkeys(new_symptoms))
    prescription = check_session(
        patient=patient, exercises=exercises, after=after, before=before, new_symptoms=symptoms
    )
    when = logged_at or timezone.now()
    if when > timezone.now() + timedelta(minutes=5):
        raise ValidationError({"logged_at": _("A session cannot be in the future.")})
    response = safety.session_response(
        before_back_pain=before.back_pain if before else None,
        before_leg_pain=before.leg_pain if before else None,
        before_location=before.location if before else None,
        after_back_pain=after.back_pain,
        after_leg_pain=after.leg_pain,
        after_location=after.location,
    )
    try:
        with transaction.atomic():
            _lock_patient(patient.pk)
            replay = _replayed(patient, client_id, client_token)
            if replay is not None:
                return replay
            session = ExerciseSession.objects.create(
                patient=patient,
                prescription=prescription,
                logged_at=when,
                before_back_pain=before.back_pain if before else None,
                before_leg_pain=before.leg_pain if before else None,
                before_location=before.location if before else "",
                after_pain=after.pain,
                after_back_pain=after.back_pain,
                after_leg_pain=after.leg_pain,
                after_location=after.location,
                response=response,
                new_symptoms=symptoms,
                source=source,
                entered_by=entered_by,
                client_token=client_token,
                client_id=client_id,
            )
            skipped = [answer.item for answer in exercises if not answer.done]
            if skipped:
                session.skipped.set(skipped)
            logs = store_logs(
                patient,
                [
                    checked_log(
                        patient=patient,
                        item=answer.item,
                        pain=after.pain,
                        location=after.location,
                        during=answer.during,
                        after=answer.after,
                        sets_done=answer.sets_done,
                        repetitions_done=answer.repetitions_done,
                        note=answer.note,
                        new_symptoms=symptoms,
                        logged_at=when,
                        source=source,
                        entered_by=entered_by,
                        client_token=f"{client_token}-{answer.item.pk}" if client_token else "",
                        session=session,
                        back_pain=after.back_pain,
                        leg_pain=after.leg_pain,
                    )
                    for answer in exercises
                    if answer.done
                ],
            )
            refresh_summary(patient.pk, logged_at=when, locked=True)
            refresh_suggestion(patient.pk)
    except IntegrityError:
        replay = _replayed(patient, client_id, client_token)
        if replay is None:
            raise
        return replay
    return SessionOutcome(session, created=True, logs=logs)
