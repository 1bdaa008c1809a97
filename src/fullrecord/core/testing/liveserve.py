"""A real ``fullrecord serve`` (gunicorn, worker, scheduler) on a ``live_database``.

Every wait polls a condition with a generous bound (``liveworkers.poll``); nothing
sleeps "long enough".
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from .liveworkers import PROCESS_BOUND, LiveDatabase, poll

STARTED = re.compile(r"serve: started (\w+) \(pid (\d+)\)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Served:
    popen: subprocess.Popen
    port: int
    log_path: Path
    marker: str

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def started(self) -> dict[str, list[int]]:
        """Pids the supervisor said it started, by child name, in order."""
        found: dict[str, list[int]] = {}
        for name, pid in STARTED.findall(self.log()):
            found.setdefault(name, []).append(int(pid))
        return found

    def request(self, method: str, path: str, headers: dict | None = None, body=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            conn.close()

    def answers(self, path: str = "/healthz") -> bool:
        try:
            return self.request("GET", path)[0] in (200, 503)
        except OSError:
            return False

    def processes(self) -> list[int]:
        """Every process on the machine started with this site's environment (gunicorn's
        workers included): found by the marker in /proc/<pid>/environ."""
        found = []
        needle = self.marker.encode()
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                environ = (entry / "environ").read_bytes()
                state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
            except OSError:
                continue
            if needle in environ and state != "Z":
                found.append(int(entry.name))
        return found

    def stop(self, signum: int = signal.SIGTERM) -> int:
        if self.popen.poll() is None:
            self.popen.send_signal(signum)
        return self.popen.wait(timeout=PROCESS_BOUND)


def start_serve(live: LiveDatabase, *args: str, **extra_env) -> Served:
    """``fullrecord serve`` on a free loopback port; returns once /healthz answers."""
    port = free_port()
    marker = f"serve-{port}-{os.getpid()}"
    env = dict(
        live.env,
        FULLRECORD_BIND=f"127.0.0.1:{port}",
        FULLRECORD_SERVE_TEST_MARKER=marker,
        FULLRECORD_RESTART_SECONDS="0",
        **{key: str(value) for key, value in extra_env.items()},
    )
    log = live.data_dir / f"serve-{port}.log"
    with open(log, "wb") as output:
        popen = subprocess.Popen(  # noqa: S603 - our own interpreter and command
            [sys.executable, "-m", "fullrecord", "serve", *args],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    served = Served(popen, port, log, marker)

    def up() -> bool:
        if popen.poll() is not None:
            raise AssertionError(f"serve exited with {popen.returncode}: {served.log()[-3000:]}")
        return served.answers()

    poll(up, "fullrecord serve to answer /healthz")
    return served
