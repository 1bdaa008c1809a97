"""A worker killed mid-task (``kill -9``): another worker takes the task when the lease
runs out, and the task finishes exactly once.

Two real ``fullrecord worker`` processes on a real database (a SQLite file, or
PostgreSQL when DATABASE_URL is set). The task blocks on a FIFO the test opens, so
the kill lands mid-task by construction, not by timing.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from fullrecord.core.models import TaskLease
from fullrecord.core.testing.livetasks import wait_at_gate
from fullrecord.core.testing.liveworkers import poll

LEASE = {"FULLRECORD_TASK_LEASE_SECONDS": 4, "FULLRECORD_TASK_RETRY_SECONDS": 0}


def lines(path: Path) -> list[str]:
    return path.read_text().splitlines() if path.exists() else []


def open_gate(gate: Path) -> None:
    """Let the task through, once a task process is waiting at the gate."""

    def writer():
        try:
            return os.open(gate, os.O_WRONLY | os.O_NONBLOCK)
        except OSError as exc:
            if exc.errno == errno.ENXIO:  # nobody reading yet
                return None
            raise

    fd = poll(writer, "a task process waiting at the gate")
    os.write(fd, b"go")
    os.close(fd)


def test_a_task_whose_worker_is_killed_runs_again_elsewhere_and_finishes_once(
    live_database, tmp_path
):
    folder = tmp_path / "work"
    folder.mkdir()
    os.mkfifo(folder / "gate")
    first = live_database.start_worker("first", **LEASE)
    second = live_database.start_worker("second", **LEASE)

    result = wait_at_gate.enqueue(str(folder))
    started = poll(lambda: lines(folder / "started"), "the task to start")
    holder_pid = int(started[0].split()[0])
    holder, other = (first, second) if holder_pid == first.pid else (second, first)
    assert holder_pid == holder.pid
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.RUNNING

    holder.kill()

    again = poll(
        lambda: len(lines(folder / "started")) == 2 and lines(folder / "started"), "a rerun"
    )
    assert int(again[1].split()[0]) == other.pid
    open_gate(folder / "gate")

    row = poll(
        lambda: DBTaskResult.objects.filter(
            pk=result.id, status=TaskResultStatus.SUCCESSFUL
        ).first(),
        "the task to succeed",
    )
    assert row.return_value == "done"
    assert lines(folder / "finished") == [again[1]]  # once, by the second run
    assert len(row.worker_ids) == 2
    lease = TaskLease.objects.get(task_id=result.id)
    assert lease.attempts == 2
    assert lease.expires_at is None
    assert "stopped renewing the lease" in lease.last_error
    assert other.alive()
