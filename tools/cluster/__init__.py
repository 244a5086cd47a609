"""`make cluster-test` (tools/cluster_test.py): Centra on several hosts, in network
namespaces of one machine. What the parts share: the shape of the run and its names."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
SCRIPT = ROOT / "tools" / "cluster_test.py"
PYTHON = sys.executable
# The benches' HTTP client and helpers (bench/benchkit.py) serve here too.
if str(ROOT / "bench") not in sys.path:
    sys.path.insert(0, str(ROOT / "bench"))

POSTGRES = os.environ.get("CLUSTER_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
REDIS = os.environ.get("CLUSTER_REDIS", "127.0.0.1:6379")

BUSY_SECONDS = int(os.environ.get("CLUSTER_BUSY_SECONDS", "60"))
KILL_APP_AT, KILL_WORKER_AT, REVIVE_APP_AT = 0.3, 0.45, 0.7  # shares of the busy hour
THERAPISTS, PORTAL_PATIENTS, SYNC_CLIENTS = 2, 3, 1
REMINDER_PATIENTS = 30
LOGIN_FAILURE_LIMIT = 4
APP_PORT, EDGE_PORT = 8000, 8080
HOSTS = ["app1", "app2", "worker1", "worker2", "edge", "office", "home"]
PASSWORD = "cluster-test-password-2026"
# A killed worker's task goes back to the queue after this long (see reminders/schedule.py).
TASK_ABANDONED_SECONDS = 15


def say(message: str) -> None:
    print(f"[cluster] {message}", flush=True)
