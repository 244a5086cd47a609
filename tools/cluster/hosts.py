# ruff: noqa: S603  (it runs fixed programs, no outside input)
"""The hosts' processes: started each in its own process group, killed a whole host at
a time, waited for until they answer; and the proxy's configuration."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

from . import APP_PORT, EDGE_PORT, PYTHON, ROOT
from .database import wait_for
from .network import Network

GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
# How long a host may take to start, or the queue to move, on a slow machine before
# the run gives up on it (each sign of progress grants this again).
STALL_SECONDS = 120


class Processes:
    """Every process the run starts, each in its own process group, so that killing a
    host kills all of it (gunicorn's workers with their master)."""

    def __init__(self, logs: Path) -> None:
        self.logs = logs
        self.running: dict[str, subprocess.Popen] = {}

    def start(
        self, name: str, command: list[str], env: dict[str, str], *, output: bool = False
    ) -> subprocess.Popen:
        """Its output goes to <name>.log, or to a pipe with `output` (stderr still to
        the log)."""
        log = open(self.logs / f"{name}.log", "ab")  # noqa: SIM115 (kept open for the process)
        process = subprocess.Popen(
            command,
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE if output else log,
            stderr=log if output else subprocess.STDOUT,
            text=output,
            start_new_session=True,
        )
        self.running[name] = process
        return process

    def kill(self, name: str) -> None:
        process = self.running.pop(name, None)
        if process is not None and process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)

    def stop_all(self) -> None:
        """SIGTERM to all at once, then SIGKILL to what still runs 5 s later (a whole
        group each: a process group outlives its leader)."""
        for process in self.running.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 5
        for process in self.running.values():
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
        for process in self.running.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=10)
        self.running = {}


def answers(url: str, processes: Processes, host: str) -> int:
    """0 once `url` answers 200 (asked from the machine, which is on the bridge); 1
    while not. Fails at once if the host's process has died."""
    process = processes.running.get(host)
    if process is not None and process.poll() is not None:
        raise RuntimeError(f"{host} exited ({process.returncode}): see {host}.log")
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (this run's hosts)
            return 0 if response.status == 200 else 1
    except OSError:
        return 1


def wait_answering(url: str, processes: Processes, host: str) -> None:
    wait_for(
        f"{host} ({url})",
        lambda: answers(url, processes, host),
        first_deadline=time.monotonic() + STALL_SECONDS,
        stall=STALL_SECONDS,
    )


def nginx_config(network: Network, folder: Path) -> Path:
    upstreams = "\n".join(
        f"    server {network.address[host]}:{APP_PORT} max_fails=2 fail_timeout=3s;"
        for host in ("app1", "app2")
    )
    config = folder / "nginx.conf"
    config.write_text(
        f"""
daemon off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/nginx-error.log;
events {{ worker_connections 256; }}
http {{
  access_log off;
  client_body_temp_path {folder}/body;
  proxy_temp_path {folder}/proxy;
  fastcgi_temp_path {folder}/fastcgi;
  uwsgi_temp_path {folder}/uwsgi;
  scgi_temp_path {folder}/scgi;
  client_max_body_size 3m;
  upstream app {{
{upstreams}
  }}
  server {{
    listen {network.address["edge"]}:{EDGE_PORT};
    location / {{
      proxy_pass http://app;
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_connect_timeout 2s;
      proxy_read_timeout 120s;
      # A host that died: the request goes to the other one. A POST too, even when
      # it reached the dead host: logs carry their own key (client_token,
      # Idempotency-Key), so a write that did commit is not stored twice. An answer
      # of the app itself (a 503 included) is the answer, not a dead host.
      proxy_next_upstream error timeout non_idempotent;
      proxy_next_upstream_tries 2;
    }}
  }}
}}
"""
    )
    return config


def free_port(host: str) -> int:
    import socket

    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def listening(host: str, port: int) -> int:
    import socket

    try:
        socket.create_connection((host, port), timeout=5).close()
    except OSError:
        return 1
    return 0
