"""What the FHIR API costs: `Patient/{id}/$everything` for a patient with 60 days of
logs, and full pages (`_count=200`) of the busiest searches, on the large seed.

Every resource passes through the `fhir.resources` models on the way out (valid by
construction); this shows what that costs per request. Runs in-process through
Django's test client on a throwaway SQLite file. Run as
`.venv/bin/python bench/bench_fhir.py`.
"""

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PATIENTS = int(os.environ.get("BENCH_PATIENTS", "200"))
DAYS = int(os.environ.get("BENCH_DAYS", "60"))
ROUNDS = 10
WARMUP = 2


def seed(env: dict[str, str]) -> None:
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run(
        [*manage, "seed_demo", "--patients", str(PATIENTS), "--days", str(DAYS)],
        env=env,
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )


def timed(call) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(WARMUP):
        call()
    samples = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as queries:
        call()
    return statistics.median(samples), len(queries)


def measure() -> None:
    import warnings

    import django

    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()
    from django.db.models import Count
    from django.test import Client

    from api.models import create_api_key
    from clinics.models import Clinic
    from patients.models import Patient

    clinic = Clinic.objects.get(slug="riverside")
    _, key = create_api_key(clinic=clinic, name="bench", read_only=True)
    client = Client(HTTP_AUTHORIZATION=f"Api-Key {key}")
    busiest = (
        Patient.objects.for_clinic(clinic)
        .annotate(logs=Count("symptom_logs"))
        .order_by("-logs")
        .first()
    )
    print(f"FHIR API on seed --patients {PATIENTS} --days {DAYS}; median of {ROUNDS}")
    for label, url in [
        (f"$everything ({busiest.logs} logs)", f"/fhir/R4/Patient/{busiest.pk}/$everything"),
        ("Observation?_count=200", "/fhir/R4/Observation?_count=200"),
        ("CarePlan?_count=200", "/fhir/R4/CarePlan?_count=200"),
        ("Patient?_count=200", "/fhir/R4/Patient?_count=200"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, response.content[:500]
        resources = len(response.json().get("entry", []))
        seconds, queries = timed(lambda url=url: client.get(url))
        print(
            f"  {label:<32} {seconds * 1000:8.1f} ms  {resources:5d} resources  "
            f"{seconds * 1e6 / max(resources, 1):7.0f} us each  ({queries} queries)"
        )


def main() -> None:
    if os.environ.get("BENCH_FHIR_MEASURE"):
        measure()
        return
    with tempfile.TemporaryDirectory(dir="/tmp") as folder:
        env = {
            **os.environ,
            "SQLITE_PATH": str(Path(folder) / "bench-fhir.sqlite3"),
            "DATABASE_URL": "",
            "REDIS_URL": "",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "API_THROTTLE_RATE": "1000000/min",
        }
        seed(env)
        subprocess.run(
            [sys.executable, __file__], env={**env, "BENCH_FHIR_MEASURE": "1"}, check=True, cwd=ROOT
        )


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
