"""``make run`` keeps the worker alive: bin/keep-running starts a real ``fullrecord worker``
again after it is killed (``kill -9``), and stops it when told to."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from fullrecord.core.models import WorkerHeartbeat
from fullrecord.core.testing.liveworkers import PROCESS_BOUND, poll

KEEP_RUNNING = Path(__file__).resolve().parents[4] / "bin" / "keep-running"


def worker_pids() -> set[int]:
    return set(WorkerHeartbeat.objects.values_list("pid", flat=True))


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_a_killed_worker_is_started_again_and_stopped_with_its_keeper(live_database):
    log = live_database.data_dir / "worker.log"
    env = dict(live_database.env, KEEP_RUNNING_DELAY="0")
    command = [sys.executable, "-m", "fullrecord", "worker", "--no-startup-delay"]
    keeper = subprocess.Popen([str(KEEP_RUNNING), str(log), *command], env=env)
    try:
        first = poll(worker_pids, "the first worker's heartbeat")
        (pid,) = first
        os.kill(pid, signal.SIGKILL)

        second = poll(lambda: worker_pids() - first, "a new worker's heartbeat")
        (new_pid,) = second
        assert "exited with status 137" in log.read_text()  # 128 + SIGKILL

        keeper.send_signal(signal.SIGTERM)
        assert keeper.wait(timeout=PROCESS_BOUND) == 0
        poll(lambda: not alive(new_pid), "the worker to stop with its keeper")
        assert new_pid not in worker_pids()  # it stopped on purpose: heartbeat removed
    finally:
        if keeper.poll() is None:
            keeper.kill()
