"""What the REST API costs over plain Django for its busiest list.

Times `GET /api/v1/prescriptions/?page_size=100` (items included, through the
whole stack: key check, throttle, DRF serializers, audit event) on the large
seed, beside a plain Django view that returns the same 100 rows as JsonResponse
with hand-built dicts. Both run in-process through Django's test client on a
throwaway SQLite file, so the ratio is the API layer's overhead, not the
network's. Run as `.venv/bin/python bench/bench_api.py`.
"""

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PATIENTS = int(os.environ.get("BENCH_PATIENTS", "1000"))
DAYS = int(os.environ.get("BENCH_DAYS", "60"))
ROUNDS = 30
WARMUP = 3


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


def plain_prescriptions(request):
    """The same page of the same rows as the API, without DRF: the baseline."""
    from django.db.models import Prefetch
    from django.http import JsonResponse
    from django.urls import reverse

    from prescriptions.models import Prescription, PrescriptionItem

    clinic = request.bench_clinic
    rows = (
        Prescription.objects.for_clinic(clinic)
        .select_related("prescribed_by", "progression")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=PrescriptionItem.objects.select_related("exercise").order_by("position"),
            )
        )
        .order_by("pk")
    )
    count = rows.count()
    results = [
        {
            "id": p.pk,
            "patient": p.patient_id,
            "version": p.version,
            "status": p.status,
            "prescribed_by": p.prescribed_by.username,
            "progression": p.progression.slug if p.progression else None,
            "replaces": p.replaces_id,
            "change_note": p.change_note,
            "created_at": p.created_at,
            "activated_at": p.activated_at,
            "ended_at": p.ended_at,
            "handout_url": request.build_absolute_uri(
                reverse("api:prescription-handout", kwargs={"pk": p.pk})
            ),
            "items": [
                {
                    "id": i.pk,
                    "position": i.position,
                    "exercise": i.exercise.slug,
                    "exercise_name": i.exercise.name,
                    "sets": i.sets,
                    "repetitions": i.repetitions,
                    "hold_seconds": i.hold_seconds,
                    "times_per_day": i.times_per_day,
                    "every_hours": i.every_hours,
                    "note": i.note,
                    "dosage_text": i.dosage_text,
                }
                for i in p.items.all()
            ],
        }
        for p in rows[:100]
    ]
    return JsonResponse({"count": count, "results": results})


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

    # Whitenoise warns that collectstatic has not run; irrelevant to an API bench.
    warnings.filterwarnings("ignore", message="No directory at")

    django.setup()
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import include, path

    from api.models import create_api_key
    from clinics.models import Clinic
    from prescriptions.models import Prescription

    clinic = Clinic.objects.get(slug="riverside")
    _, key = create_api_key(clinic=clinic, name="bench", read_only=True)
    total = Prescription.objects.for_clinic(clinic).count()

    def plain(request):
        request.bench_clinic = clinic
        return plain_prescriptions(request)

    urlconf = type(
        "BenchUrls",
        (),
        {"urlpatterns": [path("bench/plain/", plain), path("", include("config.urls"))]},
    )
    client = Client()
    with override_settings(ROOT_URLCONF=urlconf):
        api_response = client.get(
            "/api/v1/prescriptions/?page_size=100", HTTP_AUTHORIZATION=f"Api-Key {key}"
        )
        plain_response = client.get("/bench/plain/")
        assert api_response.status_code == 200, api_response.content[:500]
        assert plain_response.status_code == 200
        api_rows, plain_rows = api_response.json()["results"], plain_response.json()["results"]
        assert [r["id"] for r in api_rows] == [r["id"] for r in plain_rows]
        assert sum(len(r["items"]) for r in api_rows) == sum(len(r["items"]) for r in plain_rows)

        api_time, api_queries = timed(
            lambda: client.get(
                "/api/v1/prescriptions/?page_size=100", HTTP_AUTHORIZATION=f"Api-Key {key}"
            )
        )
        plain_time, plain_queries = timed(lambda: client.get("/bench/plain/"))

    items = sum(len(r["items"]) for r in api_rows)
    print(
        f"GET /api/v1/prescriptions/?page_size=100 ({len(api_rows)} of {total} prescriptions, "
        f"{items} items; seed --patients {PATIENTS} --days {DAYS}; median of {ROUNDS})"
    )
    print(f"  REST API:           {api_time * 1000:7.1f} ms  ({api_queries} queries)")
    print(f"  plain JsonResponse: {plain_time * 1000:7.1f} ms  ({plain_queries} queries)")
    print(f"  ratio API / plain:  {api_time / plain_time:7.2f}x")


def main() -> None:
    if os.environ.get("BENCH_API_MEASURE"):
        measure()
        return
    with tempfile.TemporaryDirectory(dir="/tmp") as folder:
        env = {
            **os.environ,
            "SQLITE_PATH": str(Path(folder) / "bench-api.sqlite3"),
            "DATABASE_URL": "",
            "REDIS_URL": "",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            # The bench measures speed, not the request budget of a key.
            "API_THROTTLE_RATE": "1000000/min",
        }
        seed(env)
        # A fresh interpreter with the throwaway database in its settings.
        subprocess.run(
            [sys.executable, __file__], env={**env, "BENCH_API_MEASURE": "1"}, check=True, cwd=ROOT
        )


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
