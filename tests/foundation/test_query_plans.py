"""On PostgreSQL at a realistic size, the main lists read indexes, never a whole table."""

import random
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from patients.models import Patient
from prescriptions.models import SymptomLog
from tests.factories import make_clinic, make_prescription

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="query plans are PostgreSQL's"
)

BIG_TABLES = ("patients_patient", "prescriptions_symptomlog")


@pytest.fixture
def realistic(clinic, other_clinic, patient, therapist):
    """A network of ten clinics, 4,500 patients and 45,000 logs, analysed as after a
    bulk load."""
    rng = random.Random(7)
    now = timezone.now()
    item = make_prescription(patient, therapist).items.first()
    clinics = [clinic, other_clinic] + [make_clinic(f"Clinic {n}", f"c{n}") for n in range(8)]
    patients = Patient.objects.bulk_create(
        Patient(
            clinic=clinics[n % len(clinics)],
            first_name=f"First{n}",
            last_name=f"Last{n:05d}",
            external_id=f"EXT-{n}",
            archived=n % 10 == 0,
            attention=rng.choice([0, 1, 2, 2, 2, 2]),
            last_log=now - timedelta(hours=rng.randint(0, 2000)) if n % 4 else None,
        )
        for n in range(4500)
    )
    SymptomLog.objects.bulk_create(
        SymptomLog(
            patient=patients[n % len(patients)],
            item=item,
            pain=3,
            location="central",
            during="decrease",
            after="better",
            sets_done=1,
            repetitions_done=10,
            logged_at=now - timedelta(minutes=n),
        )
        for n in range(45000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return patient


def _seq_scans(captured) -> list[str]:
    found = []
    with connection.cursor() as cursor:
        for query in captured:
            sql = query["sql"]
            if not sql.startswith("SELECT") or not any(t in sql for t in BIG_TABLES):
                continue
            cursor.execute("EXPLAIN " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            found += [
                f"{table} in: {sql[:300]}" for table in BIG_TABLES if f"Seq Scan on {table}" in plan
            ]
    return found


LIST_QUERIES = [
    {},
    {"sort": "recent_log"},
    {"sort": "no_recent_log"},
    {"sort": "newest"},
    {"archived": "on"},
    {"q": "Last00042"},
    {"q": "ext-42"},
]
API_URLS = [
    "/api/v1/symptom-logs/",
    "/api/v1/symptom-logs/?page_size=100",
    "/api/v1/alerts/",
    "/api/v1/patients/?updated_since=2000-01-01T00:00:00Z",
    "/api/v1/patients/?external_id=EXT-42",
]


# One test for all the pages: the data set takes a while to make.
def test_the_lists_read_indexes_not_whole_tables(realistic, therapist_client):
    with CaptureQueriesContext(connection) as captured:
        for query in LIST_QUERIES:
            assert therapist_client.get("/patients/", query).status_code == 200
        # A deep page, by keyset, in two sorts and backwards.
        for query in ({"after": realistic.pk}, {"before": realistic.pk, "sort": "recent_log"}):
            assert therapist_client.get("/patients/", query).status_code == 200
        assert therapist_client.get(f"/patients/{realistic.pk}/").status_code == 200
        for url in API_URLS:
            assert therapist_client.get(url).status_code == 200
    assert _seq_scans(captured) == []
