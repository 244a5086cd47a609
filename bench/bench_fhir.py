"""What the FHIR API costs: `Patient/{id}/$everything` for a patient with 60 days of
logs, and full pages (`_count=200`) of the busiest searches, on the large seed.

Every resource passes through the `fhir.resources` models on the way out (valid by
construction); this shows what that costs per request. Runs in-process through
Django's test client on a throwaway SQLite file. Run as
`.venv/bin/python bench/bench_fhir.py`.
"""

import os
import tempfile

from benchkit import measuring, run_measure, seed, setup_django, sqlite_env, timed

PATIENTS = int(os.environ.get("BENCH_PATIENTS", "200"))
DAYS = int(os.environ.get("BENCH_DAYS", "60"))
ROUNDS = 10
WARMUP = 2


def measure() -> None:
    setup_django()
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
        seconds, queries = timed(lambda url=url: client.get(url), rounds=ROUNDS, warmup=WARMUP)
        print(
            f"  {label:<32} {seconds * 1000:8.1f} ms  {resources:5d} resources  "
            f"{seconds * 1e6 / max(resources, 1):7.0f} us each  ({queries} queries)"
        )


def main() -> None:
    if measuring():
        measure()
        return
    with tempfile.TemporaryDirectory(dir="/tmp") as folder:
        env = sqlite_env(folder, "bench-fhir")
        seed(env, patients=PATIENTS, days=DAYS)
        run_measure(__file__, env)


if __name__ == "__main__":
    main()
