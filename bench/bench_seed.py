"""How long `seed_demo --patients 1000 --days 60` takes on a fresh SQLite file."""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            "SQLITE_PATH": str(Path(folder) / "bench.sqlite3"),
            "DATABASE_URL": "",
            "DJANGO_SETTINGS_MODULE": "config.settings",
        }
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
        started = time.perf_counter()
        subprocess.run(
            [*manage, "seed_demo", "--patients", "1000", "--days", "60"],
            env=env,
            check=True,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
        elapsed = time.perf_counter() - started
    print(f"seed_demo --patients 1000 --days 60 on SQLite: {elapsed:.1f} s (target < 60 s)")


if __name__ == "__main__":
    main()
