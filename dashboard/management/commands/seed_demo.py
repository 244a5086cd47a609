"""A demo clinic to click through, and optionally a large data set for benchmarks.

Idempotent: a second run finds what the first made and adds nothing.
"""

from __future__ import annotations

import json
import random
from dataclasses import replace
from datetime import datetime, time, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction
from django.utils import timezone

from clinics.models import Clinic, Therapist
from exercises.models import Progression
from patients.models import Classification, DirectionalPreference, Patient
from prescriptions.adherence import sessions_per_day, slot_of, waking_minutes
from prescriptions.models import Prescription, PrescriptionItem, SymptomLog
from prescriptions.services import (
    create_prescription,
    progression_items,
    raise_inactivity_alerts,
    record_symptom_log,
)
from prescriptions.sessions import ExerciseAnswer, Symptoms, record_session
from prescriptions.summary import rebuild_adherence, rebuild_summaries

from ...demo_assessments import seed_assessments
from ...demo_outcomes import seed_outcomes

DEMO_PASSWORD = "centra-demo-2026"

THERAPISTS = [
    # username, first, last, clinic slug, clinic admin
    ("anna", "Anna", "Lindqvist", "riverside", True),
    ("ben", "Ben", "Okafor", "riverside", False),
    ("nora", "Nora", "Haugen", "northgate", True),
]

CLINICS = {
    "riverside": {"name": "Riverside Physiotherapy", "phone": "+1 555 0100"},
    "northgate": {"name": "Northgate Spine Clinic", "phone": "+1 555 0199"},
}

# Where Maria's pain reached on each of her 14 days: it moves back towards the spine.
CENTRALIZING = ["thigh"] * 3 + ["buttock"] * 4 + ["one_side"] * 4 + ["central"] * 3
CENTRALIZING_PAIN = [7, 7, 6, 6, 5, 5, 5, 4, 4, 3, 3, 2, 2, 1]
# Maria's and Lucia's programs are three times a day: morning, midday and evening
# sessions, one in each third of the default waking hours (08:00-20:00).
SESSION_TIMES = (time(9, 30), time(13, 30), time(18, 30))


def _demo_symptoms(location: str, pain: int) -> Symptoms:
    """Back and leg pain for a demo session: the leg carries the pain while it reaches the
    buttock or further, with a milder ache in the back."""
    if location in ("central", "one_side"):
        return Symptoms(pain, 0, location)
    return Symptoms(min(2, pain), pain, location)


class Command(BaseCommand):
    help = "Load the demo clinics, therapists and patients; print the demo logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--patients", type=int, default=0, help="Also make this many extra patients."
        )
        parser.add_argument(
            "--days", type=int, default=60, help="Days of logs for the extra patients."
        )

    def handle(self, *args: Any, patients: int, days: int, **options: Any) -> None:
        with transaction.atomic():
            clinics = {slug: self._clinic(slug, **fields) for slug, fields in CLINICS.items()}
            users = {
                username: self._therapist(username, first, last, clinics[slug], admin)
                for username, first, last, slug, admin in THERAPISTS
            }
            self._demo_patients(clinics, users)
        if patients:
            made = self._bulk(clinics["riverside"], users["anna"], patients, days)
            if made and connection.vendor == "postgresql":
                # Statistics for the new size now, not when autovacuum comes by: until
                # then the planner may pick plans made for empty tables.
                with connection.cursor() as cursor:
                    for model in (Patient, Prescription, PrescriptionItem, SymptomLog):
                        cursor.execute(f"ANALYZE {model._meta.db_table}")
            self.stdout.write(f"Large data set: {made} new patients, {patients} wanted.")
        # The demo programs' start dates are moved back after they are made; the stored
        # overview of the demo patients is worked out once more from what they hold now.
        demo = Patient.objects.filter(clinic__in=clinics.values()).exclude(
            external_id__startswith="BULK-"
        )
        rebuild_summaries(demo)
        rebuild_adherence(demo)
        # The demo patients only: the bulk set is load for benchmarks, not clinical data.
        raise_inactivity_alerts(patients=demo)
        self._print_logins()

    def _clinic(self, slug: str, *, name: str, phone: str) -> Clinic:
        clinic, _ = Clinic.objects.get_or_create(slug=slug, defaults={"name": name, "phone": phone})
        return clinic

    def _user(self, username: str, first: str, last: str, email: str = ""):
        user, created = get_user_model().objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": email},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        elif not user.is_active:
            # A demo login switched off while trying "Revoke portal access": the logins
            # `make run` prints work again after the next run.
            user.is_active = True
            user.save(update_fields=["is_active"])
        return user

    def _therapist(self, username: str, first: str, last: str, clinic: Clinic, admin: bool):
        user = self._user(username, first, last, f"{username}@{clinic.slug}.example")
        Therapist.objects.get_or_create(
            user=user, defaults={"clinic": clinic, "is_clinic_admin": admin}
        )
        return user

    def _patient(self, clinic: Clinic, external_id: str, **fields: Any) -> Patient:
        patient, _ = Patient.objects.get_or_create(
            clinic=clinic, external_id=external_id, defaults=fields
        )
        return patient

    def _program(
        self,
        patient: Patient,
        by,
        slug: str,
        first: int,
        started_days_ago: int,
        times_per_day: int | None = None,
    ):
        existing = patient.prescriptions.filter(status=Prescription.Status.ACTIVE).first()
        if existing is not None:
            return existing
        progression = Progression.objects.builtin().get(slug=slug)
        items = progression_items(progression, first=first)
        if times_per_day:
            # The therapist's own dosage rather than the catalog's every 2 hours.
            items = [replace(item, times_per_day=times_per_day, every_hours=None) for item in items]
        prescription = create_prescription(
            patient=patient,
            by=by,
            items=items,
            progression=progression,
            activate=True,
        )
        started = timezone.now() - timedelta(days=started_days_ago, hours=2)
        Prescription.objects.filter(pk=prescription.pk).update(
            created_at=started, activated_at=started
        )
        prescription.refresh_from_db()
        return prescription

    def _demo_patients(self, clinics: dict[str, Clinic], users: dict[str, Any]) -> None:
        riverside, northgate = clinics["riverside"], clinics["northgate"]
        anna, ben, nora = users["anna"], users["ben"], users["nora"]
        today = timezone.localdate()

        maria = self._patient(
            riverside,
            "RV-1001",
            first_name="Maria",
            last_name="Gonzalez",
            date_of_birth=today.replace(year=today.year - 46),
            email="maria@example.com",
            classification=Classification.DERANGEMENT,
            directional_preference=DirectionalPreference.EXTENSION,
            created_by=anna,
        )
        if maria.user is None or not maria.user.is_active:
            maria.user = self._user("maria", "Maria", "Gonzalez", "maria@example.com")
            maria.save(update_fields=["user"])
        program = self._program(
            maria, anna, "extension", first=3, started_days_ago=15, times_per_day=3
        )
        if not maria.symptom_logs.exists():
            items = list(program.items.order_by("position"))
            for day, (location, pain) in enumerate(
                zip(CENTRALIZING, CENTRALIZING_PAIN, strict=True)
            ):
                # Three sessions a day, the evening one missed now and then: she keeps up.
                sessions = SESSION_TIMES[:2] if day % 5 == 3 else SESSION_TIMES
                for moment in sessions:
                    when = timezone.make_aware(
                        datetime.combine(today - timedelta(days=14 - day), moment)
                    )
                    # A whole session: the pain before it is where the day before left
                    # it, and after it where the day's exercises brought it.
                    before = CENTRALIZING[max(day - 1, 0)], CENTRALIZING_PAIN[max(day - 1, 0)]
                    record_session(
                        patient=maria,
                        exercises=[
                            ExerciseAnswer(
                                item=item,
                                done=True,
                                during="centralize" if day > 2 else "no_effect",
                                after="better" if day > 2 else "no_worse",
                                sets_done=item.sets,
                                repetitions_done=item.repetitions,
                            )
                            for item in items
                        ],
                        before=_demo_symptoms(*before),
                        after=_demo_symptoms(location, pain),
                        logged_at=when + timedelta(minutes=15),
                        source=SymptomLog.Source.PORTAL,
                    )

        james = self._patient(
            riverside,
            "RV-1002",
            first_name="James",
            last_name="Whitfield",
            date_of_birth=today.replace(year=today.year - 68),
            classification=Classification.OTHER,
            directional_preference=DirectionalPreference.FLEXION,
            created_by=ben,
        )
        program = self._program(james, ben, "flexion", first=3, started_days_ago=6)
        if not james.symptom_logs.exists():
            item = program.items.order_by("position").first()
            for days_ago, pain, location, after in [
                (5, 4, "buttock", "no_worse"),
                (3, 4, "buttock", "no_better"),
                (1, 5, "thigh", "worse"),
            ]:
                record_symptom_log(
                    patient=james,
                    item=item,
                    pain=pain,
                    location=location,
                    during="increase" if after == "worse" else "no_effect",
                    after=after,
                    sets_done=1,
                    repetitions_done=10,
                    logged_at=timezone.now() - timedelta(days=days_ago),
                    source=SymptomLog.Source.PORTAL,
                )

        tom = self._patient(
            riverside,
            "RV-1003",
            first_name="Tom",
            last_name="Becker",
            date_of_birth=today.replace(year=today.year - 35),
            email="tom@example.com",
            classification=Classification.DERANGEMENT,
            directional_preference=DirectionalPreference.EXTENSION,
            created_by=anna,
        )
        self._program(tom, anna, "extension", first=4, started_days_ago=8)

        # Ready to progress: four days of press-ups that change nothing, no warning sign.
        # More force in the same plane first: the press-up with sag and breath out.
        lucia = self._patient(
            riverside,
            "RV-1005",
            first_name="Lucia",
            last_name="Ferreira",
            date_of_birth=today.replace(year=today.year - 41),
            email="lucia@example.com",
            classification=Classification.DERANGEMENT,
            directional_preference=DirectionalPreference.EXTENSION,
            starting_location="one_side",
            created_by=anna,
        )
        program = self._program(
            lucia, anna, "extension", first=3, started_days_ago=6, times_per_day=3
        )
        if not lucia.symptom_logs.exists():
            items = list(program.items.order_by("position"))
            for days_ago in (4, 3, 2, 1):
                for moment in SESSION_TIMES:
                    when = timezone.make_aware(
                        datetime.combine(today - timedelta(days=days_ago), moment)
                    )
                    for offset, item in enumerate(items):
                        record_symptom_log(
                            patient=lucia,
                            item=item,
                            pain=4,
                            location="one_side",
                            during="no_effect",
                            after="no_better",
                            sets_done=item.sets,
                            repetitions_done=item.repetitions,
                            logged_at=when + timedelta(minutes=5 * offset),
                            source=SymptomLog.Source.PORTAL,
                        )

        self._patient(
            riverside,
            "RV-1004",
            first_name="Aisha",
            last_name="Rahman",
            date_of_birth=today.replace(year=today.year - 29),
            email="aisha@example.com",
            preferred_language="es",
            created_by=anna,
        )

        henrik = self._patient(
            northgate,
            "NG-2001",
            first_name="Henrik",
            last_name="Dahl",
            date_of_birth=today.replace(year=today.year - 52),
            classification=Classification.DERANGEMENT,
            directional_preference=DirectionalPreference.EXTENSION,
            created_by=nora,
        )
        self._program(henrik, nora, "extension", first=3, started_days_ago=2)

        seed_outcomes(maria=maria, clinic=riverside, by=anna, program=self._program)
        seed_assessments(clinics=clinics, users=users)

    def _bulk(self, clinic: Clinic, by, count: int, days: int) -> int:
        """Many patients with a 3-exercise program and `days` days of logs, inserted in
        bulk. Logs go straight in (no alerts): it is load, not clinical data."""
        rng = random.Random(42)  # the same data on every machine
        wanted = [f"BULK-{n:05d}" for n in range(1, count + 1)]
        have = set(
            Patient.objects.filter(clinic=clinic, external_id__in=wanted).values_list(
                "external_id", flat=True
            )
        )
        new_ids = [external_id for external_id in wanted if external_id not in have]
        if not new_ids:
            return 0
        first_names = ["Alex", "Sam", "Jo", "Kim", "Lee", "Robin", "Chris", "Pat", "Noor", "Eli"]
        last_names = ["Smith", "Garcia", "Müller", "Kowalski", "Nguyen", "Silva", "Cohen", "Ito"]
        exercises = list(
            Progression.objects.builtin()
            .get(slug="extension")
            .steps.select_related("exercise")
            .order_by("position")[:3]
        )
        now = timezone.now()
        started = now - timedelta(days=days + 1)
        with transaction.atomic():
            patients = Patient.objects.bulk_create(
                [
                    Patient(
                        clinic=clinic,
                        external_id=external_id,
                        first_name=rng.choice(first_names),
                        last_name=f"{rng.choice(last_names)} {external_id[-5:]}",
                        classification=Classification.DERANGEMENT,
                        directional_preference=DirectionalPreference.EXTENSION,
                        created_by=by,
                        # The overview of a program in use since `started`; the log
                        # columns are filled in below, once the logs are made.
                        active_version=1,
                        active_progression=exercises[0].progression.name,
                        active_since=started,
                        first_activated=started,
                    )
                    for external_id in new_ids
                ],
                batch_size=2000,
            )
            if patients[0].pk is None:  # backends without RETURNING on bulk insert
                patients = list(Patient.objects.filter(clinic=clinic, external_id__in=new_ids))
            prescriptions = Prescription.objects.bulk_create(
                [
                    Prescription(
                        patient=patient,
                        prescribed_by=by,
                        progression=exercises[0].progression,
                        status=Prescription.Status.ACTIVE,
                        version=1,
                        activated_at=started,
                    )
                    for patient in patients
                ],
                batch_size=2000,
            )
            items = PrescriptionItem.objects.bulk_create(
                [
                    PrescriptionItem(
                        prescription=prescription,
                        exercise=step.exercise,
                        position=step.position,
                        sets=step.exercise.default_sets,
                        repetitions=step.exercise.default_repetitions,
                        hold_seconds=step.exercise.default_hold_seconds,
                        times_per_day=step.exercise.default_times_per_day,
                        every_hours=step.exercise.default_every_hours,
                    )
                    for prescription in prescriptions
                    for step in exercises
                ],
                batch_size=5000,
            )
            if connection.vendor == "postgresql":
                _insert_logs_in_sql([patient.pk for patient in patients], days=days, now=now)
            else:
                self._logs_in_python(patients, items, len(exercises), days, now, rng)
            _store_bulk_adherence(patients, items[: len(exercises)], started)
        return len(patients)

    def _logs_in_python(self, patients, items, per_patient: int, days: int, now, rng) -> None:
        """The bulk logs made row by row, for databases without the SQL path below."""
        locations = ["thigh", "buttock", "one_side", "central", "none"]
        batch: list[tuple] = []
        created = timezone.now()
        for index, patient in enumerate(patients):
            patient_items = items[index * per_patient : (index + 1) * per_patient]
            for day in range(days):
                if rng.random() > 0.85:  # some days are missed
                    continue
                progress = day / max(days - 1, 1)
                location = locations[min(int(progress * 4 + rng.random()), 4)]
                pain = max(0, round(7 - 6 * progress + rng.uniform(-1, 1)))
                when = now - timedelta(days=days - day, hours=rng.uniform(0, 10))
                during, after = (
                    ("centralize", "better") if progress > 0.2 else ("no_effect", "no_worse")
                )
                # Rows in LOG_COLUMNS order: millions of model instances would be
                # most of the load's time.
                batch.extend(
                    (
                        patient.pk,
                        item.pk,
                        when + timedelta(minutes=4 * n),
                        item.sets,
                        item.repetitions,
                        pain,
                        location,
                        during,
                        after,
                        "",
                        SymptomLog.Source.PORTAL,
                        "",
                        created,
                    )
                    for n, item in enumerate(patient_items)
                )
                # Logs are made in time order: the first sets where the pain
                # reached at the start, each later one the last log and now.
                patient.first_location = patient.first_location or location
                patient.latest_location = location
                patient.last_log = batch[-1][2]
            if len(batch) >= 20000:
                _insert_logs(batch)
                batch = []
        _insert_logs(batch)
        Patient.objects.bulk_update(
            patients, ["last_log", "first_location", "latest_location"], batch_size=2000
        )

    def _print_logins(self) -> None:
        self.stdout.write(self.style.SUCCESS(f"\nDemo logins (password for all: {DEMO_PASSWORD})"))
        rows = [
            ("anna", "therapist, clinic admin", "Riverside Physiotherapy"),
            ("ben", "therapist", "Riverside Physiotherapy"),
            ("maria", "patient (portal)", "Riverside Physiotherapy"),
            ("nora", "therapist, clinic admin", "Northgate Spine Clinic (another clinic)"),
        ]
        for username, role, clinic in rows:
            self.stdout.write(f"  {username:<7} {role:<25} {clinic}")
        self.stdout.write("")


LOG_COLUMNS = [
    "patient_id",
    "item_id",
    "logged_at",
    "sets_done",
    "repetitions_done",
    "pain",
    "location",
    "during",
    "after",
    "note",
    "source",
    "client_token",
    "created_at",
]


def _store_bulk_adherence(patients: list[Patient], program_items: list, started) -> None:
    """The stored adherence of the bulk patients, from their logs as loaded. They share
    one program period, so only each day's mask of logged slots differs. PostgreSQL
    works the masks out itself; elsewhere the logs are read in chunks of patients rather
    than through the services one patient at a time."""
    start, end = patients[0].wake_start, patients[0].wake_end
    sessions = sessions_per_day(program_items, start, end)
    period = [[started.isoformat(), None, sessions]]
    if connection.vendor == "postgresql":
        _store_bulk_adherence_in_sql(
            [patient.pk for patient in patients], period, sessions, start, end
        )
        return
    for offset in range(0, len(patients), 2000):
        chunk = patients[offset : offset + 2000]
        masks: dict[int, dict[str, int]] = {patient.pk: {} for patient in chunk}
        logs = SymptomLog.objects.filter(patient_id__in=list(masks)).values_list(
            "patient_id", "logged_at"
        )
        for patient_id, logged_at in logs.iterator(chunk_size=20000):
            day = timezone.localdate(logged_at).isoformat()
            days = masks[patient_id]
            days[day] = days.get(day, 0) | 1 << slot_of(logged_at, sessions, start, end)
        for patient in chunk:
            patient.adherence = {"periods": period, "days": dict(sorted(masks[patient.pk].items()))}
        Patient.objects.bulk_update(chunk, ["adherence"], batch_size=2000)


# `_store_bulk_adherence` in one statement: reading millions of logs back into Python
# took most of a 50,000-patient load. The slot is `adherence.slot_of` in whole seconds
# (it ignores fractions of a second too), so the integer division is exact where
# Python's float division could only agree with it; negative offsets (logs before
# waking hours) are slot 0 there as here.
BULK_ADHERENCE_SQL = """
UPDATE patients_patient patient
SET adherence = jsonb_build_object(
    'periods', %(periods)s::jsonb, 'days', COALESCE(logged.days, '{}'::jsonb))
FROM unnest(%(patients)s::bigint[]) AS bulk(id)
LEFT JOIN (
    SELECT patient_id, jsonb_object_agg(day, mask) AS days
    FROM (
        SELECT patient_id, to_char(local, 'YYYY-MM-DD') AS day,
               bit_or(1 << LEAST(
                   %(sessions)s - 1,
                   GREATEST(0, floor(extract(epoch FROM local::time))::int - %(wake_start)s)
                       * %(sessions)s / %(waking)s
               )) AS mask
        FROM (
            SELECT log.patient_id, log.logged_at AT TIME ZONE %(zone)s AS local
            FROM prescriptions_symptomlog log
            JOIN unnest(%(patients)s::bigint[]) AS bulk(id) ON bulk.id = log.patient_id
        ) log
        GROUP BY patient_id, day
    ) day
    GROUP BY patient_id
) logged ON logged.patient_id = bulk.id
WHERE patient.id = bulk.id
"""


def _store_bulk_adherence_in_sql(
    patient_ids: list[int], period: list, sessions: int, start: time, end: time
) -> None:
    """Run BULK_ADHERENCE_SQL: the days of the app's time zone, and the waking hours
    in seconds of the day."""
    with connection.cursor() as cursor:
        cursor.execute(
            BULK_ADHERENCE_SQL,
            {
                "patients": patient_ids,
                "periods": json.dumps(period),
                "sessions": sessions,
                "wake_start": (start.hour * 60 + start.minute) * 60,
                "waking": waking_minutes(start, end) * 60,
                "zone": timezone.get_current_timezone_name(),
            },
        )


def _insert_logs(rows: list[tuple]) -> None:
    """Insert many logs (tuples in LOG_COLUMNS order) in large batches."""
    if rows:
        SymptomLog.objects.bulk_create(
            [SymptomLog(**dict(zip(LOG_COLUMNS, row, strict=True))) for row in rows],
            batch_size=5000,
        )


# The logs of the bulk patients and their stored overview, made by PostgreSQL in one
# statement: a row per patient and day (about 15 % of days missed), then a log per
# exercise of that day.
# Python handing over millions of rows was most of a 50,000-patient load. The
# "random" numbers are hashes of the patient and the day, so a load is repeatable.
BULK_LOGS_SQL = """
WITH item AS (
    SELECT prescription.patient_id, item.id, item.sets, item.repetitions,
           row_number() OVER (PARTITION BY item.prescription_id ORDER BY item.position) - 1 AS n
    FROM prescriptions_prescriptionitem item
    JOIN prescriptions_prescription prescription ON prescription.id = item.prescription_id
    WHERE prescription.patient_id = ANY(%(patients)s)
), draw AS (
    SELECT patient.id AS patient_id, day,
           day::float / GREATEST(%(days)s - 1, 1) AS progress,
           (hashint8extended(patient.id * 4096 + day, 1) & 65535) / 65536.0 AS missed,
           (hashint8extended(patient.id * 4096 + day, 2) & 65535) / 65536.0 AS spread,
           (hashint8extended(patient.id * 4096 + day, 3) & 65535) / 65536.0 AS pain,
           (hashint8extended(patient.id * 4096 + day, 4) & 65535) / 65536.0 AS hour
    FROM unnest(%(patients)s::bigint[]) AS patient(id)
    CROSS JOIN generate_series(0, %(days)s - 1) AS day
), patient_day AS (
    SELECT patient_id,
           %(now)s - make_interval(days => %(days)s - day) - make_interval(secs => hour * 36000)
               AS logged_at,
           (ARRAY['thigh', 'buttock', 'one_side', 'central', 'none'])[
               LEAST(floor(progress * 4 + spread)::int, 4) + 1] AS location,
           GREATEST(0, round(7 - 6 * progress + (pain * 2 - 1)))::smallint AS pain,
           CASE WHEN progress > 0.2 THEN 'centralize' ELSE 'no_effect' END AS during,
           CASE WHEN progress > 0.2 THEN 'better' ELSE 'no_worse' END AS after
    FROM draw
    WHERE missed <= 0.85
), logs AS (
    INSERT INTO prescriptions_symptomlog (
        patient_id, item_id, logged_at, sets_done, repetitions_done, pain, location, during,
        after, note, source, client_token, created_at, new_symptoms, reference_location,
        reference_source, findings, stop_exercise
    )
    SELECT patient_day.patient_id, item.id,
           patient_day.logged_at + item.n * interval '4 minutes', item.sets, item.repetitions,
           patient_day.pain, patient_day.location, patient_day.during, patient_day.after,
           '', 'portal', '', %(now)s, '[]', '', '', '[]', false
    FROM patient_day JOIN item ON item.patient_id = patient_day.patient_id
    ORDER BY patient_day.patient_id, patient_day.logged_at, item.n
)
-- The stored overview from the same days: a day's exercises share where the pain
-- reached, and its last exercise is the patient's last log.
UPDATE patients_patient patient
SET last_log = day.last_day + items.last_n * interval '4 minutes',
    first_location = day.first_location,
    latest_location = day.latest_location
FROM (
    SELECT patient_day.patient_id,
           max(patient_day.logged_at) AS last_day,
           (array_agg(patient_day.location ORDER BY patient_day.logged_at))[1] AS first_location,
           (array_agg(patient_day.location ORDER BY patient_day.logged_at DESC))[1]
               AS latest_location
    FROM patient_day
    GROUP BY patient_day.patient_id
) day
JOIN (SELECT patient_id, max(n) AS last_n FROM item GROUP BY patient_id) items
    ON items.patient_id = day.patient_id
WHERE patient.id = day.patient_id
"""


def _insert_logs_in_sql(patient_ids: list[int], *, days: int, now: datetime) -> None:
    """Run BULK_LOGS_SQL with the log table's foreign keys and secondary indexes
    taken off and put back afterwards, as PostgreSQL's "Populating a Database"
    advises: one check of each key and one build of each index over the whole table
    cost a fraction of millions of row-by-row checks and index insertions. Call it
    inside a transaction: nobody sees the table without them."""
    table = SymptomLog._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = 'f'",
            [table],
        )
        foreign_keys = cursor.fetchall()
        cursor.execute(
            "SELECT index.indexrelid::regclass::text, pg_get_indexdef(index.indexrelid) "
            "FROM pg_index index WHERE index.indrelid = %s::regclass "
            "AND NOT index.indisprimary",
            [table],
        )
        indexes = cursor.fetchall()
        # Memory for the sorts of the load and of the index builds, for this
        # transaction only: fewer passes over temporary files.
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        # A table with checks still pending in this transaction cannot be altered:
        # run them now (they are the patients' and programs' just made).
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for name, _definition in foreign_keys:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
        cursor.execute(BULK_LOGS_SQL, {"patients": patient_ids, "days": days, "now": now})
        for _name, definition in indexes:
            cursor.execute(definition)
        for name, definition in foreign_keys:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
