"""Real ``fullrecord worker`` processes on a real database (a SQLite file or PostgreSQL).

pytest-django's SQLite test database lives in memory, where no other process can
see it; ``live_database`` therefore migrates a database of its own with the real
``fullrecord migrate`` once per session (a file in a fresh data directory, or a
PostgreSQL database named after the test database), copies it for each test,
gives this process a default connection to the copy for the test, and drops it
afterwards. ``start_worker`` runs the real command.
"""

from __future__ import annotations

import copy
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.db import DEFAULT_DB_ALIAS, connections
from django.test.utils import override_settings

# A real process is awaited: poll with a generous bound, never sleep "enough".
PROCESS_BOUND = 180.0


def poll(predicate: Callable, what: str, timeout: float = PROCESS_BOUND):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


@dataclass
class LiveDatabase:
    data_dir: Path
    env: dict[str, str]
    workers: list[WorkerProcess] = field(default_factory=list)

    def start_worker(self, name: str, **extra_env: str) -> WorkerProcess:
        env = dict(self.env, **{k: str(v) for k, v in extra_env.items()})
        log = self.data_dir / f"worker-{name}.log"
        handle = open(log, "wb")  # noqa: SIM115 - closed when the worker is stopped
        popen = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "fullrecord",
                "worker",
                "--no-startup-delay",
                "--interval",
                "0.1",
            ],
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
        worker = WorkerProcess(name, popen, log, handle)
        self.workers.append(worker)
        return worker


@dataclass
class WorkerProcess:
    name: str
    popen: subprocess.Popen
    log_path: Path
    handle: object

    @property
    def pid(self) -> int:
        return self.popen.pid

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def alive(self) -> bool:
        return self.popen.poll() is None

    def kill(self) -> None:
        """``kill -9``: no handler runs, no lease is given back."""
        os.kill(self.popen.pid, signal.SIGKILL)
        self.popen.wait(timeout=PROCESS_BOUND)

    def stop(self) -> None:
        if self.alive():
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()
        self.handle.close()


def _postgres_admin(settings_dict: dict):
    import psycopg

    return psycopg.connect(
        dbname="postgres",
        user=settings_dict.get("USER") or None,
        password=settings_dict.get("PASSWORD") or None,
        host=settings_dict.get("HOST") or None,
        port=settings_dict.get("PORT") or None,
        autocommit=True,
    )


def _base_env(data_dir: Path) -> dict[str, str]:
    env = dict(
        os.environ,
        FULLRECORD_DATA_DIR=str(data_dir),
        FULLRECORD_TASK_BACKEND="django_tasks_db.DatabaseBackend",
        FULLRECORD_LOG_LEVEL="WARNING",
    )
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    return env


def _postgres_url(settings_dict: dict, name: str) -> str:
    user = settings_dict.get("USER") or ""
    password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{name}"


def _live_name(settings_dict: dict) -> str:
    base = (settings_dict.get("TEST") or {}).get("NAME") or f"test_{settings_dict['NAME']}"
    return f"{base}_live{os.environ.get('PYTEST_XDIST_WORKER', '')}"


def _recreate(admin, name: str, template: str | None = None) -> None:
    from psycopg import sql

    admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    if template:
        admin.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(template)
            )
        )
    else:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


@pytest.fixture(scope="session")
def _live_template(tmp_path_factory) -> Iterator[str]:
    """One database migrated by the real ``fullrecord migrate``; each test gets a copy."""
    connection = connections["default"]
    data_dir = tmp_path_factory.mktemp("live-template")
    env = _base_env(data_dir)
    if connection.vendor == "postgresql":
        name = _live_name(connection.settings_dict) + "_tpl"
        with _postgres_admin(connection.settings_dict) as admin:
            _recreate(admin, name)
        env["DATABASE_URL"] = _postgres_url(connection.settings_dict, name)
    else:
        env.pop("DATABASE_URL", None)
        name = str(data_dir / "fullrecord.sqlite3")
    subprocess.run(
        [sys.executable, "-m", "fullrecord", "migrate", "--no-input", "-v0"],
        env=env,
        check=True,
        timeout=600,
    )
    yield name
    if connection.vendor == "postgresql":
        with _postgres_admin(connection.settings_dict) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def live_database(tmp_path, django_db_blocker, _live_template) -> Iterator[LiveDatabase]:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    env = _base_env(data_dir)
    connection = connections["default"]
    postgres = connection.vendor == "postgresql"
    if postgres:
        name = _live_name(connection.settings_dict)
        with _postgres_admin(connection.settings_dict) as admin:
            _recreate(admin, name, template=_live_template)
        env["DATABASE_URL"] = _postgres_url(connection.settings_dict, name)
    else:
        env.pop("DATABASE_URL", None)
        name = str(data_dir / "fullrecord.sqlite3")
        shutil.copyfile(_live_template, name)
        if Path(f"{_live_template}-wal").exists():  # not yet checkpointed into the file
            shutil.copyfile(f"{_live_template}-wal", f"{name}-wal")
    live = LiveDatabase(data_dir, env)
    # A connection of its own in place of the default one (put back afterwards): the
    # test database's connection stays as it was (SQLite's in-memory one must not close).
    settings_dict = copy.deepcopy(connection.settings_dict)
    settings_dict["NAME"] = name
    swapped = connection.__class__(settings_dict, alias=DEFAULT_DB_ALIAS)
    setattr(connections._connections, DEFAULT_DB_ALIAS, swapped)
    with django_db_blocker.unblock():
        try:
            with override_settings(
                TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
            ):
                yield live
        finally:
            for worker in live.workers:
                worker.stop()
            swapped.close()
            setattr(connections._connections, DEFAULT_DB_ALIAS, connection)
            if postgres:
                with _postgres_admin(connection.settings_dict) as admin:
                    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
