"""API `symptom-logs/` (a sync client's page) at two table sizes: the cost should be flat.

Each database is measured in its own process through Django's test client: the
first page, and a page deep in the table reached by its cursor. By default a
SQLite file seeded here (about 10,000 logs) is the small one; set
BENCH_SMALL_DATABASE_URL / BENCH_LARGE_DATABASE_URL to PostgreSQL databases
loaded with `seed_demo --patients N` (e.g. 65 and 6,500 patients for 10k and 1M
logs; ANALYZE after loading) to compare them. Run as
`.venv/bin/python bench/bench_api_sync.py`.
"""

import base64
import json
import os
import tempfile

from benchkit import base_env, measuring, median_ms, run_measure, seed, setup_django, sqlite_env

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "30"))


def measure() -> None:
    setup_django()
    from django.test import Client

    from api.models import create_api_key
    from clinics.models import Clinic
    from prescriptions.models import SymptomLog

    clinic = Clinic.objects.get(slug="riverside")
    _, key = create_api_key(clinic=clinic, name="bench", read_only=True)
    logs = SymptomLog.objects.count()
    ids = SymptomLog.objects.for_clinic(clinic).order_by("id").values_list("id", flat=True)
    deep = ids[max(0, int(logs * 0.9) - 1)] if logs else 0
    cursor = base64.b64encode(f"p={deep}".encode()).decode()
    client = Client(HTTP_AUTHORIZATION=f"Api-Key {key}")
    figures = {"logs": logs}
    for name, url in (
        ("first", "/api/v1/symptom-logs/?page_size=100"),
        ("deep", f"/api/v1/symptom-logs/?page_size=100&cursor={cursor}"),
    ):
        assert client.get(url).status_code == 200
        figures[name] = median_ms(lambda url=url: client.get(url), ROUNDS)
    print(json.dumps(figures))


def run(env: dict[str, str]) -> dict:
    out = run_measure(__file__, env, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    if measuring():
        measure()
        return
    env = base_env()
    results = {}
    with tempfile.TemporaryDirectory(dir="/tmp") as folder:
        small_url = os.environ.get("BENCH_SMALL_DATABASE_URL", "")
        if small_url:
            results["small"] = run({**env, "DATABASE_URL": small_url})
        else:
            sqlite = sqlite_env(folder, "bench-sync")
            seed(sqlite, patients=65, days=60)
            results["small"] = run(sqlite)
        large_url = os.environ.get("BENCH_LARGE_DATABASE_URL", "")
        if large_url:
            results["large"] = run({**env, "DATABASE_URL": large_url})
    print(f"GET /api/v1/symptom-logs/?page_size=100 (median of {ROUNDS})")
    for size, figures in results.items():
        print(
            f"  {size:5} {figures['logs']:>9,} logs: first page {figures['first']:6.1f} ms, "
            f"page at 90 % {figures['deep']:6.1f} ms"
        )
    if "large" in results:
        ratio = results["large"]["first"] / results["small"]["first"]
        print(f"  large / small, first page: {ratio:4.2f}  (goal <= 1.25)")
    else:
        print("  set BENCH_LARGE_DATABASE_URL to a database with ~1M logs for the comparison")


if __name__ == "__main__":
    main()
