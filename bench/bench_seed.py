"""How long `seed_demo --patients N --days 60` takes on a fresh database.

On a fresh SQLite file with 1,000 patients (goal < 60 s), and on PostgreSQL when a
server is known (BENCH_POSTGRES_URL, or DATABASE_URL when it is PostgreSQL): there a
throwaway database gets BENCH_SEED_PATIENTS patients (5,000 unless set; the goal is
50,000 in under 5 minutes) and is dropped afterwards.
Run as `.venv/bin/python bench/bench_seed.py`.
"""

import os
import tempfile

from benchkit import base_env, postgres_url, seed, sqlite_env, throwaway_postgres

DAYS = 60
SQLITE_PATIENTS = 1000
POSTGRES_PATIENTS = int(os.environ.get("BENCH_SEED_PATIENTS", "5000"))


def main() -> None:
    with tempfile.TemporaryDirectory(dir="/tmp") as folder:
        seconds = seed(sqlite_env(folder, "bench-seed"), patients=SQLITE_PATIENTS, days=DAYS)
    print(f"seed_demo --patients {SQLITE_PATIENTS} --days {DAYS} on SQLite: {seconds:.1f} s")
    print("  goal < 60 s")
    server = postgres_url()
    if not server:
        print("  PostgreSQL: set BENCH_POSTGRES_URL to measure the load there")
        return
    with throwaway_postgres(server, "bench_seed") as url:
        seconds = seed(base_env(DATABASE_URL=url), patients=POSTGRES_PATIENTS, days=DAYS)
    print(f"seed_demo --patients {POSTGRES_PATIENTS} --days {DAYS} on PostgreSQL: {seconds:.1f} s")
    print(f"  {seconds / POSTGRES_PATIENTS * 50000:.0f} s for 50,000 at this rate; goal < 300 s")


if __name__ == "__main__":
    main()
