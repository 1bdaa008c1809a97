"""Upgrading in place: a task a plain ``db_worker`` left RUNNING before the lease table
existed is taken again by ``fullrecord worker`` after ``fullrecord migrate``."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

from django.db import connections
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from fullrecord.core.models import TaskLease
from fullrecord.core.testing.livetasks import says_hello
from fullrecord.core.testing.liveworkers import poll


def migrate(live_database, *target: str) -> None:
    connections.close_all()
    subprocess.run(
        [sys.executable, "-m", "fullrecord", "migrate", "--no-input", "-v0", *target],
        env=live_database.env,
        check=True,
        timeout=600,
    )


def test_a_task_stuck_running_before_the_upgrade_runs_after_it(live_database, tmp_path):
    migrate(live_database, "core", "0001")  # the schema before leases
    stuck = says_hello.enqueue(str(tmp_path))
    DBTaskResult.objects.filter(pk=stuck.id).update(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - timedelta(hours=1),
        worker_ids=["old-db-worker"],
    )

    migrate(live_database)
    worker = live_database.start_worker("upgraded", FULLRECORD_TASK_LEASE_SECONDS=4)

    row = poll(
        lambda: DBTaskResult.objects.filter(
            pk=stuck.id, status=TaskResultStatus.SUCCESSFUL
        ).first(),
        "the stuck task to run",
    )
    assert row.worker_ids[0] == "old-db-worker" and len(row.worker_ids) == 2
    lease = TaskLease.objects.get(task_id=stuck.id)
    assert lease.attempts == 2  # the old worker's try counts
    assert "old-db-worker stopped renewing" in lease.last_error
    assert (tmp_path / "hello").read_text().split() == [str(worker.pid)]
