"""A worker killed mid-task, over and over: does every task still finish exactly once?

Reproduce:  .venv/bin/python bench/bench_worker_recovery.py      (or: make bench)
Options:    --runs 100  --lease 2  --postgres (also on PostgreSQL, FULLRECORD_BENCH_PG)

Figures (one line each, ``name: value``):

* ``worker_recovery_failures``: out of ``--runs`` kills, how many tasks did not
  finish exactly once. Each run: two real ``fullrecord worker`` processes share a
  fresh SQLite database; a task (``core/testing/livetasks.wait_at_gate``) starts
  and blocks on a FIFO; the worker holding it is killed with SIGKILL and a new
  worker is started in its place; the task must be taken again by the other
  worker when its lease (``--lease`` seconds) runs out, pass the gate and be
  recorded SUCCESSFUL once, with one "finished" line. Goal: 0.
* ``worker_recovery_s_p50`` / ``_p95``: seconds from the kill to the second start
  of the task (a lease plus at most a quarter of one, plus a database round).
* ``_postgres`` variants of both with ``--postgres``.

Everything lives in a fresh directory under /tmp, removed afterwards.
"""

from __future__ import annotations

import argparse
import errno
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import PYTHON, percentile, pg_admin, pg_reachable, pg_url  # noqa: E402

BOUND = 120.0


def wait(predicate, bound: float = BOUND):
    deadline = time.monotonic() + bound
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.02)
    return None


def lines(path: Path) -> list[str]:
    return path.read_text().splitlines() if path.exists() else []


def start_worker(env: dict, log: Path) -> subprocess.Popen:
    with open(log, "ab") as handle:
        return subprocess.Popen(
            [PYTHON, "-m", "fullrecord", "worker", "--no-startup-delay", "--interval", "0.1"],
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
        )


def open_gate(gate: Path) -> bool:
    def writer():
        try:
            return os.open(gate, os.O_WRONLY | os.O_NONBLOCK)
        except OSError as exc:
            if exc.errno == errno.ENXIO:
                return None
            raise

    fd = wait(writer)
    if fd is None:
        return False
    os.write(fd, b"go")
    os.close(fd)
    return True


def run_series(label: str, env: dict, work: Path, runs: int) -> None:
    subprocess.run(
        [PYTHON, "-m", "fullrecord", "migrate", "--no-input", "-v0"], env=env, check=True
    )
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connections
    from django_tasks_db.models import DBTaskResult

    from fullrecord.core.testing.livetasks import wait_at_gate

    workers = [start_worker(env, work / "worker.log") for _ in range(2)]
    failures = 0
    recoveries = []
    try:
        for run in range(runs):
            folder = work / f"run-{run}"
            folder.mkdir()
            os.mkfifo(folder / "gate")
            result = wait_at_gate.enqueue(str(folder))
            started = wait(lambda f=folder: lines(f / "started"))
            if not started:
                failures += 1
                print(f"# run {run}: the task never started")
                continue
            holder_pid = int(started[0].split()[0])
            holder = next((w for w in workers if w.pid == holder_pid), None)
            if holder is None:
                failures += 1
                print(f"# run {run}: started by an unknown process {holder_pid}")
                continue
            holder.kill()
            holder.wait()
            killed_at = time.monotonic()
            workers.remove(holder)
            workers.append(start_worker(env, work / "worker.log"))
            again = wait(lambda f=folder: len(lines(f / "started")) >= 2)
            if not again:
                failures += 1
                print(f"# run {run}: the task was not taken again")
                continue
            recoveries.append(time.monotonic() - killed_at)
            ok = open_gate(folder / "gate") and wait(
                lambda r=result: DBTaskResult.objects.filter(pk=r.id, status="SUCCESSFUL").exists()
            )
            if not ok or len(lines(folder / "finished")) != 1:
                failures += 1
                print(f"# run {run}: finished {len(lines(folder / 'finished'))} times")
            connections.close_all()
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
    print(f"worker_recovery_failures{label}: {failures}")
    if recoveries:
        print(f"worker_recovery_s_p50{label}: {percentile(recoveries, 0.5):.2f}")
        print(f"worker_recovery_s_p95{label}: {percentile(recoveries, 0.95):.2f}")
    print(f"# {runs} runs, lease {env['FULLRECORD_TASK_LEASE_SECONDS']} s, load {os.getloadavg()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--lease", type=int, default=2)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    print(f"# {' '.join([Path(sys.argv[0]).name, *sys.argv[1:]])}")
    work = Path(tempfile.mkdtemp(prefix="fullrecord-bench-worker-"))
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="fullrecord.settings",
        FULLRECORD_DATA_DIR=str(work / "data"),
        FULLRECORD_TASK_BACKEND="django_tasks_db.DatabaseBackend",
        FULLRECORD_TASK_LEASE_SECONDS=str(args.lease),
        FULLRECORD_TASK_RETRY_SECONDS="0",
        FULLRECORD_LOG_LEVEL="WARNING",
        PYTHONPATH=os.pathsep.join(p for p in sys.path if p),
    )
    env.pop("DATABASE_URL", None)
    label = ""
    dbname = None
    if args.postgres:
        if not pg_reachable():
            print("# PostgreSQL unreachable: skipped")
            return
        dbname = f"fullrecord_bench_worker_{os.getpid()}"
        pg_admin(f'CREATE DATABASE "{dbname}"')
        env["DATABASE_URL"] = pg_url(dbname)
        label = "_postgres"
    try:
        run_series(label, env, work, args.runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if dbname:
            pg_admin(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')


if __name__ == "__main__":
    main()
