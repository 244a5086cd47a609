"""A demo clinic to click through, and optionally a large data set for benchmarks.

Idempotent: a second run finds what the first made and adds nothing.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction
from django.utils import timezone

from clinics.models import Clinic, Therapist
from exercises.models import Progression
from patients.models import Classification, DirectionalPreference, Patient
from prescriptions.adherence import sessions_per_day, slot_of
from prescriptions.models import Prescription, PrescriptionItem, SymptomLog
from prescriptions.services import (
    create_prescription,
    progression_items,
    raise_inactivity_alerts,
    record_symptom_log,
)
from prescriptions.summary import rebuild_adherence, rebuild_summaries

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
            self.stdout.write(f"Large data set: {made} new patients, {patients} wanted.")
        # The demo programs' start dates are moved back after they are made; the stored
        # overview of the demo patients is worked out once more from what they hold now.
        demo = Patient.objects.filter(clinic__in=clinics.values()).exclude(
            external_id__startswith="BULK-"
        )
        rebuild_summaries(demo)
        rebuild_adherence(demo)
        raise_inactivity_alerts()
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

    def _program(self, patient: Patient, by, slug: str, first: int, started_days_ago: int):
        existing = patient.prescriptions.filter(status=Prescription.Status.ACTIVE).first()
        if existing is not None:
            return existing
        progression = Progression.objects.builtin().get(slug=slug)
        prescription = create_prescription(
            patient=patient,
            by=by,
            items=progression_items(progression, first=first),
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
        if maria.user is None:
            maria.user = self._user("maria", "Maria", "Gonzalez", "maria@example.com")
            maria.save(update_fields=["user"])
        program = self._program(maria, anna, "extension", first=3, started_days_ago=15)
        if not maria.symptom_logs.exists():
            items = list(program.items.order_by("position"))
            for day, (location, pain) in enumerate(
                zip(CENTRALIZING, CENTRALIZING_PAIN, strict=True)
            ):
                when = timezone.make_aware(
                    datetime.combine(today - timedelta(days=14 - day), time(9, 30))
                )
                for offset, item in enumerate(items):
                    record_symptom_log(
                        patient=maria,
                        item=item,
                        pain=pain,
                        location=location,
                        during="centralize" if day > 2 else "no_effect",
                        after="better" if day > 2 else "no_worse",
                        sets_done=item.sets,
                        repetitions_done=item.repetitions,
                        logged_at=when + timedelta(minutes=5 * offset),
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
        # The extension progression's rule suggests the press-up with hips off-centre.
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
        program = self._program(lucia, anna, "extension", first=3, started_days_ago=6)
        if not lucia.symptom_logs.exists():
            items = list(program.items.order_by("position"))
            for days_ago in (4, 3, 2, 1):
                when = timezone.make_aware(
                    datetime.combine(today - timedelta(days=days_ago), time(8, 15))
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
            preferred_language="fr",
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
                batch_size=500,
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
                batch_size=500,
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
                batch_size=1000,
            )
            locations = ["thigh", "buttock", "one_side", "central", "none"]
            batch: list[tuple] = []
            created = timezone.now()
            # The stored adherence: the program's period and, per day, the slots logged.
            sessions = sessions_per_day(
                items[: len(exercises)], patients[0].wake_start, patients[0].wake_end
            )
            period = [[started.isoformat(), None, sessions]]
            for index, patient in enumerate(patients):
                patient_items = items[index * len(exercises) : (index + 1) * len(exercises)]
                masks: dict[str, int] = {}
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
                    for n in range(len(patient_items)):
                        logged_at = when + timedelta(minutes=4 * n)
                        key = timezone.localdate(logged_at).isoformat()
                        masks[key] = masks.get(key, 0) | 1 << slot_of(
                            logged_at, sessions, patient.wake_start, patient.wake_end
                        )
                patient.adherence = {"periods": period, "days": dict(sorted(masks.items()))}
                if len(batch) >= 20000:
                    _insert_logs(batch)
                    batch = []
            _insert_logs(batch)
            Patient.objects.bulk_update(
                patients,
                ["last_log", "first_location", "latest_location", "adherence"],
                batch_size=2000,
            )
        return len(patients)

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
LOG_TYPES = [
    "bigint",
    "bigint",
    "timestamptz",
    "smallint",
    "smallint",
    "smallint",
    "varchar",
    "varchar",
    "varchar",
    "text",
    "varchar",
    "varchar",
    "timestamptz",
]


def _insert_logs(rows: list[tuple]) -> None:
    """Insert many logs (tuples in LOG_COLUMNS order) at once: COPY on PostgreSQL,
    several times faster than INSERTs for millions of rows; bulk inserts elsewhere."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        SymptomLog.objects.bulk_create(
            [SymptomLog(**dict(zip(LOG_COLUMNS, row, strict=True))) for row in rows],
            batch_size=5000,
        )
        return
    from psycopg.types.json import Jsonb

    # Columns whose model default is not a database default: COPY must give them.
    extra = {
        "new_symptoms": ("jsonb", Jsonb([])),
        "reference_location": ("varchar", ""),
        "reference_source": ("varchar", ""),
        "findings": ("jsonb", Jsonb([])),
        "stop_exercise": ("bool", False),
    }
    extra_values = tuple(value for _type, value in extra.values())
    table = SymptomLog._meta.db_table
    columns = ", ".join(f'"{column}"' for column in [*LOG_COLUMNS, *extra])
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)") as copy,
    ):
        copy.set_types([*LOG_TYPES, *(kind for kind, _value in extra.values())])
        for row in rows:
            copy.write_row(row + extra_values)
