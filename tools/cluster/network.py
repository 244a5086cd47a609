# ruff: noqa: S603, S607  (it runs ip: a fixed program, no outside input)
"""The hosts' network: a bridge and one namespace per host, a relay to the machine's
PostgreSQL and Redis, and the sweep of what a killed run left behind."""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import re
import subprocess
import threading
from pathlib import Path

from . import HOSTS

# Everything a run makes is named after its process id: ct<pid>...
RUN_NAME = re.compile(r"^ct(\d+)")


def run_is_alive(pid: int) -> bool:
    """True while the run of this process id is still going (on this machine)."""
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    return b"cluster_test" in command


def sweep_leftovers() -> list[str]:
    """The namespaces and bridges of runs that were killed before they could clean up
    (SIGKILL, a lost machine): removed, so they pile up neither here nor in CI. Their
    databases are dropped by the caller (`stale_databases`)."""
    removed = []
    spaces = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
    for line in spaces.splitlines():
        name = line.split()[0] if line.split() else ""
        found = RUN_NAME.match(name)
        if found and not run_is_alive(int(found.group(1))):
            subprocess.run(["ip", "netns", "del", name], capture_output=True)
            removed.append(name)
    links = subprocess.run(["ip", "-o", "link", "show"], capture_output=True, text=True).stdout
    for name in re.findall(r"^\d+: (ct\d+br)[:@]", links, re.MULTILINE):
        if not run_is_alive(int(RUN_NAME.match(name).group(1))):
            subprocess.run(["ip", "link", "del", name], capture_output=True)
            removed.append(name)
    return removed


class Network:
    """A bridge and one namespace per host, each joined to the bridge by a veth pair.
    Names carry this run's number, so two runs on one machine do not collide."""

    def __init__(self) -> None:
        run = os.getpid()
        # Interface names hold 15 characters: ct<pid>o6 fits a pid of up to 7 digits.
        self.tag = f"ct{run}"
        self.bridge = f"{self.tag}br"
        # A /24 no interface of the machine uses.
        used = subprocess.run(["ip", "-4", "-o", "addr"], capture_output=True, text=True).stdout
        rng = random.Random(run)
        while True:
            prefix = f"10.{rng.randint(100, 250)}.{rng.randint(0, 255)}"
            if f" {prefix}." not in used:
                break
        self.prefix = prefix
        self.gateway = f"{prefix}.1"
        self.address = {host: f"{prefix}.{10 + n}" for n, host in enumerate(HOSTS)}
        self.made: list[str] = []

    def namespace(self, host: str) -> str:
        return f"{self.tag}-{host}"

    def up(self) -> None:
        ip("link", "add", self.bridge, "type", "bridge")
        self.made.append("bridge")
        ip("addr", "add", f"{self.gateway}/24", "dev", self.bridge)
        ip("link", "set", self.bridge, "up")
        for n, host in enumerate(HOSTS):
            space, outside, inside = self.namespace(host), f"{self.tag}o{n}", f"{self.tag}i{n}"
            ip("netns", "add", space)
            self.made.append(space)
            ip("link", "add", outside, "type", "veth", "peer", "name", inside)
            ip("link", "set", inside, "netns", space)
            ip("link", "set", outside, "master", self.bridge)
            ip("link", "set", outside, "up")
            ip("-n", space, "addr", "add", f"{self.address[host]}/24", "dev", inside)
            ip("-n", space, "link", "set", inside, "up")
            ip("-n", space, "link", "set", "lo", "up")

    def down(self) -> None:
        for made in reversed(self.made):
            if made == "bridge":
                subprocess.run(["ip", "link", "del", self.bridge], capture_output=True)
            else:
                subprocess.run(["ip", "netns", "del", made], capture_output=True)
        self.made = []

    def run_in(self, host: str, command: list[str]) -> list[str]:
        return ["ip", "netns", "exec", self.namespace(host), *command]


def ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True)


class Forwarder(threading.Thread):
    """PostgreSQL and Redis listen on the machine's loopback only: a TCP relay on the
    bridge address lets the hosts reach them. It listens on a port the system picks
    (`port`, once `started` returned)."""

    def __init__(self, host: str, target: tuple[str, int]) -> None:
        super().__init__(daemon=True)
        self.host, self.target = host, target
        self.port = 0
        self.ready = threading.Event()

    def started(self) -> Forwarder:
        self.start()
        if not self.ready.wait(30) or not self.port:
            raise RuntimeError(f"the relay to {self.target} did not start")
        return self

    def run(self) -> None:
        asyncio.run(self.serve())

    async def serve(self) -> None:
        server = await asyncio.start_server(self.relay, self.host, 0)
        self.port = server.sockets[0].getsockname()[1]
        self.ready.set()
        async with server:
            await server.serve_forever()

    async def relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            target_reader, target_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.close()
            return

        async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            try:
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            except OSError:
                pass
            finally:
                with contextlib.suppress(OSError):
                    sink.close()

        await asyncio.gather(pipe(reader, target_writer), pipe(target_reader, writer))
