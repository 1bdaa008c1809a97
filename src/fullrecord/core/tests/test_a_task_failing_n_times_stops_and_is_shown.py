"""A task that keeps failing is tried FULLRECORD_TASK_MAX_ATTEMPTS times, then stops, FAILED
with its error; a task needing more memory than FULLRECORD_TASK_MEMORY_MB, or killed
outright as the out-of-memory killer would, fails the same way — and the worker lives on.

Real ``fullrecord worker`` processes on a real database.
"""

from __future__ import annotations

from pathlib import Path

from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from fullrecord.core.models import TaskLease
from fullrecord.core.testing.livetasks import (
    always_fails,
    killed_outright,
    needs_too_much_memory,
    returns_what_cannot_be_stored,
    says_hello,
)
from fullrecord.core.testing.liveworkers import poll

SETTINGS = {
    "FULLRECORD_TASK_MAX_ATTEMPTS": 3,
    "FULLRECORD_TASK_RETRY_SECONDS": 0,
    "FULLRECORD_TASK_MEMORY_MB": 600,
}


def finished(result_id):
    return DBTaskResult.objects.filter(
        pk=result_id, status__in=[TaskResultStatus.FAILED, TaskResultStatus.SUCCESSFUL]
    ).first()


def attempts(folder: Path) -> int:
    path = folder / "attempts"
    return len(path.read_text().splitlines()) if path.exists() else 0


def folder_for(tmp_path: Path, name: str) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    return folder


def test_a_failing_task_is_tried_three_times_then_failed_with_its_error(live_database, tmp_path):
    worker = live_database.start_worker("one", **SETTINGS)
    folder = folder_for(tmp_path, "fails")
    result = always_fails.enqueue(str(folder))

    row = poll(lambda: finished(result.id), "the task to stop")
    assert row.status == TaskResultStatus.FAILED
    assert row.exception_class_path == "builtins.RuntimeError"
    assert "this task always fails" in row.traceback
    assert attempts(folder) == 3
    lease = TaskLease.objects.get(task_id=result.id)
    assert lease.attempts == 3 and lease.expires_at is None
    assert "this task always fails" in lease.last_error
    assert worker.alive()


def test_a_return_value_that_cannot_be_stored_fails_the_task(live_database, tmp_path):
    live_database.start_worker("one", **SETTINGS)
    folder = folder_for(tmp_path, "unstorable")
    result = returns_what_cannot_be_stored.enqueue(str(folder))

    row = poll(lambda: finished(result.id), "the task to stop")
    assert row.status == TaskResultStatus.FAILED
    assert row.exception_class_path == "builtins.TypeError"
    assert "not JSON serializable" in row.traceback


def test_a_task_beyond_the_memory_bound_fails_cleanly_and_the_worker_lives_on(
    live_database, tmp_path
):
    worker = live_database.start_worker("bounded", **SETTINGS)
    hoarder = folder_for(tmp_path, "hoarder")
    victim = folder_for(tmp_path, "victim")
    hoarding = needs_too_much_memory.enqueue(str(hoarder))
    killed = killed_outright.enqueue(str(victim))

    row = poll(lambda: finished(hoarding.id), "the memory-hungry task to stop")
    assert row.status == TaskResultStatus.FAILED
    assert row.exception_class_path == "builtins.MemoryError"
    assert "FULLRECORD_TASK_MEMORY_MB=600" in row.traceback
    assert attempts(hoarder) == 3

    row = poll(lambda: finished(killed.id), "the killed task to stop")
    assert row.status == TaskResultStatus.FAILED
    assert row.exception_class_path == "fullrecord.core.worker.TaskProcessDied"
    assert "SIGKILL" in row.traceback
    assert attempts(victim) == 3

    hello = says_hello.enqueue(str(tmp_path))
    row = poll(lambda: finished(hello.id), "the next task")
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert (tmp_path / "hello").read_text().split() == [str(worker.pid)]
    assert worker.alive()
