"""``fullrecord serve``: the web server, the task worker and the scheduler, as one service.

Three child processes, each in a session of its own (a terminal's Ctrl-C reaches only
this supervisor, which then stops them in order) and each told by the kernel to stop
when the supervisor dies (``PR_SET_PDEATHSIG``), so a ``kill -9`` of the supervisor
leaves nothing running:

- **web**: gunicorn with ``gthread`` workers, configured from the settings
  (``FULLRECORD_BIND``, ``FULLRECORD_WEB_WORKERS``, ``FULLRECORD_WEB_THREADS``,
  ``FULLRECORD_WEB_TIMEOUT``, ``FULLRECORD_WEB_KEEPALIVE``). A request in progress holds
  one thread; a playback range holds its thread while the client reads it, its bytes
  going out by ``sendfile`` without passing through Python. gunicorn itself restarts a
  worker that dies; if gunicorn exits, the service stops (a port in use is an error to
  see, not to retry).
- **worker**: ``fullrecord worker``; **scheduler**: ``fullrecord scheduler``. Either is
  started again ``FULLRECORD_RESTART_SECONDS`` after it exits, as ``bin/keep-running``
  does.

SIGTERM stops all three gracefully (gunicorn finishes requests in progress, the worker
its running task) within ``FULLRECORD_STOP_SECONDS``, then kills what is left. SIGINT
(Ctrl-C) does the same but tells gunicorn to stop at once. A second signal kills at once.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

PR_SET_PDEATHSIG = 1
POLL_SECONDS = 0.2  # how often the supervisor looks at its children; not a wait on a result


def _die_with_parent() -> None:  # pragma: no cover - runs in the forked child
    """In the child before exec: the kernel sends SIGTERM when the supervisor dies."""
    with contextlib.suppress(OSError):
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def gunicorn_argv(
    *,
    bind: str | None = None,
    workers: int | None = None,
    threads: int | None = None,
    timeout: int | None = None,
) -> list[str]:
    """The gunicorn command line the settings (or the given overrides) describe."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "--config",
        "python:fullrecord.core.gunicorn_conf",
        "--worker-class",
        "gthread",
        "--workers",
        str(workers or settings.FULLRECORD_WEB_WORKERS),
        "--threads",
        str(threads or settings.FULLRECORD_WEB_THREADS),
        "--timeout",
        str(timeout or settings.FULLRECORD_WEB_TIMEOUT),
        "--graceful-timeout",
        str(settings.FULLRECORD_STOP_SECONDS),
        "--keep-alive",
        str(settings.FULLRECORD_WEB_KEEPALIVE),
        "--bind",
        bind or settings.FULLRECORD_BIND,
        # gunicorn 25+ opens a control socket in ~/.gunicorn by default: two servers on one
        # machine would share it. Nothing here uses it.
        "--no-control-socket",
        "fullrecord.wsgi:application",
    ]


def fullrecord_argv(*args: str) -> list[str]:
    return [sys.executable, "-m", "fullrecord", *args]


@dataclass
class Child:
    """One process the supervisor keeps: started again after it exits when ``restart``."""

    name: str
    argv: list[str]
    restart: bool
    process: subprocess.Popen | None = None
    restart_at: float | None = None
    starts: int = 0
    env: dict[str, str] = field(default_factory=dict)

    def start(self, say: Callable[[str], None]) -> None:
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            self.argv,
            env={**os.environ, **self.env},
            start_new_session=True,
            preexec_fn=_die_with_parent,  # noqa: PLW1509 - the supervisor starts no threads
        )
        self.starts += 1
        self.restart_at = None
        say(f"started {self.name} (pid {self.process.pid})")

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def signal(self, signum: int) -> None:
        if self.running:
            with contextlib.suppress(ProcessLookupError):
                self.process.send_signal(signum)


class Supervisor:
    def __init__(
        self,
        children: list[Child],
        *,
        stop_seconds: float,
        restart_seconds: float,
        say: Callable[[str], None],
    ) -> None:
        self.children = children
        self.stop_seconds = stop_seconds
        self.restart_seconds = restart_seconds
        self.say = say
        self.stop_signal: int | None = None
        self.signals = 0

    def _on_signal(self, signum, frame) -> None:
        self.signals += 1
        if self.stop_signal is None:
            self.stop_signal = signum
        if self.signals > 1:  # a second Ctrl-C: no more waiting
            for child in self.children:
                child.signal(signal.SIGKILL)

    def run(self) -> int:
        """Start the children and keep them until a signal or the web server's exit."""
        previous = {
            signum: signal.signal(signum, self._on_signal)
            for signum in (signal.SIGINT, signal.SIGTERM)
        }
        status = 0
        try:
            for child in self.children:
                child.start(self.say)
            while self.stop_signal is None:
                time.sleep(POLL_SECONDS)
                ended = self._look_after()
                if ended is not None:
                    status = ended
                    break
            self._stop()
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)
        self.say("stopped")
        return status

    def _look_after(self) -> int | None:
        """Restart what may be restarted; the exit status if a child that may not ended."""
        now = time.monotonic()
        for child in self.children:
            if child.process is None or child.running:
                if child.restart_at is not None and now >= child.restart_at:
                    child.start(self.say)
                continue
            code = child.process.returncode
            if not child.restart:
                self.say(f"{child.name} exited with status {code}; stopping")
                return code or 1
            if child.restart_at is None:
                self.say(
                    f"{child.name} exited with status {code}; "
                    f"starting it again in {self.restart_seconds:g}s"
                )
                child.restart_at = now + self.restart_seconds
            elif now >= child.restart_at:
                child.start(self.say)
        return None

    def _stop(self) -> None:
        """SIGTERM (SIGINT to gunicorn on Ctrl-C), a wait, a second SIGTERM, then SIGKILL."""
        for child in self.children:
            child.restart_at = None
            quick = self.stop_signal == signal.SIGINT and child.name == "web"
            child.signal(signal.SIGINT if quick else signal.SIGTERM)
        if not self._wait(self.stop_seconds):
            for child in self.children:
                child.signal(signal.SIGTERM)  # the worker: stop the running task now
            if not self._wait(5):
                for child in self.children:
                    if child.running:
                        self.say(f"{child.name} did not stop; killing it")
                    child.signal(signal.SIGKILL)
                self._wait(30)

    def _wait(self, seconds: float) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if not any(child.running for child in self.children):
                return True
            time.sleep(POLL_SECONDS)
        return not any(child.running for child in self.children)


def children(
    *,
    web: bool = True,
    worker: bool = True,
    scheduler: bool = True,
    env: dict[str, str] | None = None,
    **web_options,
) -> list[Child]:
    found = []
    if web:
        web_env = {**(env or {}), "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir(web_options))}
        found.append(Child("web", gunicorn_argv(**web_options), restart=False, env=web_env))
    if worker:
        found.append(Child("worker", fullrecord_argv("worker"), restart=True, env=env or {}))
    if scheduler:
        found.append(Child("scheduler", fullrecord_argv("scheduler"), restart=True, env=env or {}))
    return found


def run_dir() -> Path:
    """Per-start scratch (Prometheus' multiprocess files): under the data dir."""
    path = Path(settings.DATA_DIR) / "run"
    path.mkdir(parents=True, exist_ok=True)
    return path


def metrics_dir(web_options: dict) -> Path:
    """prometheus-client's multiprocess files for this server (one per bind address, so two
    servers on one data dir keep theirs apart), emptied at each start: the figures are
    counters since this start, as after any restart."""
    bind = web_options.get("bind") or settings.FULLRECORD_BIND
    name = "prometheus-" + "".join(c if c.isalnum() else "_" for c in bind)
    path = run_dir() / name
    path.mkdir(parents=True, exist_ok=True)
    for stale in path.glob("*.db"):
        stale.unlink(missing_ok=True)
    return path
