"""An OperationalError does not end ``fullrecord worker``: it waits the error out and works on.

The error is real, in a real worker process: on SQLite another connection holds the
write lock past the worker's busy timeout ("database is locked"); on PostgreSQL the
worker's connection is terminated by the server while it waits for a table lock.
"""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

from django.db import connection
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from fullrecord.core.models import PeriodicRun
from fullrecord.core.periodic import JOBS
from fullrecord.core.testing.livetasks import says_hello
from fullrecord.core.testing.liveworkers import PROCESS_BOUND, poll

RETRYING = "database error in worker"


def hold_sqlite_write_lock(live_database):
    holder = sqlite3.connect(live_database.data_dir / "fullrecord.sqlite3", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    return holder, holder.rollback


def hold_postgres_table_lock(live_database, table="django_tasks_database_dbtaskresult"):
    import psycopg

    holder = psycopg.connect(live_database.env["DATABASE_URL"])
    holder.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
    return holder, holder.rollback


def kill_waiting_backend(live_database, holder) -> bool:
    """Terminate the worker's connection while it waits for our lock: an OperationalError."""
    holder.execute("SELECT pg_stat_clear_snapshot()")  # a transaction sees one snapshot else
    rows = holder.execute(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
        "AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'"
    ).fetchall()
    for (pid,) in rows:
        holder.execute("SELECT pg_terminate_backend(%s)", [pid])
    return bool(rows)


def test_a_database_error_does_not_end_the_worker(live_database, tmp_path: Path):
    worker = live_database.start_worker("patient")
    poll(lambda: "started" in worker.log(), "the worker to start")

    if connection.vendor == "postgresql":
        holder, release = hold_postgres_table_lock(live_database)
        poll(lambda: kill_waiting_backend(live_database, holder), "the worker to wait for the lock")
    else:
        holder, release = hold_sqlite_write_lock(live_database)
    poll(lambda: RETRYING in worker.log(), "the worker to meet the database error")
    assert worker.alive()
    release()
    holder.close()

    result = says_hello.enqueue(str(tmp_path))
    row = poll(
        lambda: DBTaskResult.objects.filter(
            pk=result.id, status=TaskResultStatus.SUCCESSFUL
        ).first(),
        "the worker to run a task after the error",
    )
    assert row.return_value == "hello"
    assert (tmp_path / "hello").read_text().split() == [str(worker.pid)]
    assert worker.alive()
    assert "Traceback" not in worker.log()


def test_a_database_error_does_not_end_the_scheduler(live_database):
    log = live_database.data_dir / "scheduler.log"
    with open(log, "wb") as handle:
        scheduler = subprocess.Popen(
            [sys.executable, "-m", "fullrecord", "scheduler", "--interval", "1"],
            env=live_database.env,
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
    try:
        if connection.vendor == "postgresql":
            holder, release = hold_postgres_table_lock(live_database, "core_periodicrun")
            poll(lambda: kill_waiting_backend(live_database, holder), "the scheduler to wait")
        else:
            holder, release = hold_sqlite_write_lock(live_database)
        poll(lambda: "database error" in log.read_text(), "the scheduler to meet the error")
        assert scheduler.poll() is None
        release()
        holder.close()

        poll(lambda: PeriodicRun.objects.count() == len(JOBS), "the jobs to be enqueued")
        assert scheduler.poll() is None
    finally:
        scheduler.send_signal(signal.SIGTERM)
        scheduler.wait(timeout=PROCESS_BOUND)
