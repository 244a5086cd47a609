"""What the REST API costs over plain Django for its busiest list.

Times `GET /api/v1/prescriptions/?page_size=100` (items included, through the
whole stack: key check, throttle, DRF serializers, audit event) on the large
seed, beside a plain Django view that returns the same 100 rows as JsonResponse
with hand-built dicts. Both run in-process through Django's test client on a
throwaway SQLite file, so the ratio is the API layer's overhead, not the
network's. Run as `.venv/bin/python bench/bench_api.py`.
"""

import os
import tempfile

from benchkit import measuring, run_measure, seed, setup_django, sqlite_env, timed

PATIENTS = int(os.environ.get("BENCH_PATIENTS", "1000"))
DAYS = int(os.environ.get("BENCH_DAYS", "60"))
ROUNDS = 30
WARMUP = 3


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


def measure() -> None:
    setup_django()
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
            ),
            rounds=ROUNDS,
            warmup=WARMUP,
        )
        plain_time, plain_queries = timed(
            lambda: client.get("/bench/plain/"), rounds=ROUNDS, warmup=WARMUP
        )

    items = sum(len(r["items"]) for r in api_rows)
    print(
        f"GET /api/v1/prescriptions/?page_size=100 ({len(api_rows)} of {total} prescriptions, "
        f"{items} items; seed --patients {PATIENTS} --days {DAYS}; median of {ROUNDS})"
    )
    print(f"  REST API:           {api_time * 1000:7.1f} ms  ({api_queries} queries)")
    print(f"  plain JsonResponse: {plain_time * 1000:7.1f} ms  ({plain_queries} queries)")
    print(f"  ratio API / plain:  {api_time / plain_time:7.2f}x")


def main() -> None:
    if measuring():
        measure()
        return
    with tempfile.TemporaryDirectory(dir="/tmp") as folder:
        env = sqlite_env(folder, "bench-api")
        seed(env, patients=PATIENTS, days=DAYS)
        run_measure(__file__, env)


if __name__ == "__main__":
    main()
