"""``fullrecord worker``: django-tasks-db's worker with a lease, retries and a memory bound.

django-tasks-db (kept: one table, works on SQLite and PostgreSQL, no broker to run)
claims a task by marking it RUNNING and nothing more. A worker killed mid-task
leaves it RUNNING for ever, and any ``OperationalError`` outside its claim ends the
worker. This module adds, around the same table and the same claim:

- **A lease.** The claim writes a :class:`~fullrecord.core.models.TaskLease` that
  expires ``FULLRECORD_TASK_LEASE_SECONDS`` later; the worker renews it while the
  task runs. Any worker puts a RUNNING task whose lease ran out (or that has none
  and started longer than a lease ago: claimed by a plain ``db_worker``) back in
  the queue, or fails it when it has used up its attempts.
- **Attempts.** A task that raises, or whose process dies, is run again after
  ``FULLRECORD_TASK_RETRY_SECONDS`` × 2ⁿ, at most ``FULLRECORD_TASK_MAX_ATTEMPTS``
  times in all; then it is FAILED with its error and listed in the admin
  (后台任务). Every result is written only by the holder of the current lease, so a
  worker presumed dead that comes back cannot record a second outcome.
- **One process per task.** Each task runs in a forked child with its address
  space limited to ``FULLRECORD_TASK_MEMORY_MB``: a task that needs more gets a
  ``MemoryError`` (or is killed) and is recorded as failed; the worker lives on. The
  child dies with the worker (``PR_SET_PDEATHSIG``), so ``kill -9`` of the worker
  stops its task too and nothing runs behind the lease's back.
- **Database errors are waited out.** Any ``DatabaseError`` in the worker's own
  loop (disk full, a lock held past the busy timeout, a dropped connection) is
  logged and retried with exponential back-off, up to a minute between tries.
- **A heartbeat.** :class:`~fullrecord.core.models.WorkerHeartbeat` says when each
  worker was last seen; ``/healthz`` reads it.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import logging
import os
import random
import resource
import select
import signal
import socket
import time
from dataclasses import dataclass
from datetime import timedelta
from traceback import format_exception

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connections, transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks_db.compat import TaskContext, TaskResultStatus, task_finished, task_started
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from .models import TaskLease, WorkerHeartbeat

logger = logging.getLogger("fullrecord.worker")

BACKOFF_MAX_SECONDS = 60.0
HEARTBEAT_KEPT = timedelta(days=1)
PR_SET_PDEATHSIG = 1
M_ARENA_MAX = -8


class TaskProcessDied(RuntimeError):
    """The process running a task ended without recording an outcome (killed, out of memory)."""


class WorkerLost(RuntimeError):
    """The worker holding a task stopped renewing its lease (killed, machine lost)."""


@dataclass(frozen=True)
class Claim:
    task: DBTaskResult
    attempt: int


class Backoff:
    """1, 2, 4 … seconds between tries, at most ``BACKOFF_MAX_SECONDS``, with jitter."""

    def __init__(self) -> None:
        self.failures = 0

    def next(self) -> float:
        self.failures += 1
        delay = min(BACKOFF_MAX_SECONDS, 2.0 ** (self.failures - 1))
        return delay * (0.75 + random.random() / 2)  # noqa: S311 - jitter, not a secret

    def reset(self) -> None:
        self.failures = 0


def lease_seconds() -> int:
    return settings.FULLRECORD_TASK_LEASE_SECONDS


def renew_every() -> float:
    """Renew four times per lease, so two missed renewals still leave it held."""
    return lease_seconds() / 4


def retry_delay(attempts: int) -> timedelta:
    return timedelta(seconds=settings.FULLRECORD_TASK_RETRY_SECONDS * 2 ** max(attempts - 1, 0))


class LeasedWorker(Worker):
    """django-tasks-db's :class:`Worker` (queues, signals, graceful stop) with leases."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.hostname = socket.gethostname()[:255]
        self.backoff = Backoff()
        self._last_beat: float | None = None

    # ------------------------------------------------------------------ the loop

    def run(self) -> None:
        logger.info(
            "worker %s started (pid %s, queues %s, lease %ss, %s attempts, memory %s MiB)",
            self.worker_id,
            os.getpid(),
            ",".join(self.queue_names),
            lease_seconds(),
            settings.FULLRECORD_TASK_MAX_ATTEMPTS,
            settings.FULLRECORD_TASK_MEMORY_MB or "unlimited",
        )
        if self.startup_delay and self.interval:
            self._sleep(random.random())  # noqa: S311 - workers started together spread out
        try:
            while self.running:
                try:
                    claim, looked = self._step()
                except DatabaseError as exc:
                    self._wait_out(exc)
                    continue
                self.backoff.reset()
                if claim is not None:
                    self._run_in_child(claim)
                if self.batch and looked and claim is None:
                    return
                if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                    return
                if self.running and claim is None:
                    self._sleep(self.interval)
        finally:
            self._forget_heartbeat()

    def _step(self) -> tuple[Claim | None, bool]:
        """Beat, put expired tasks back, and claim one. Raises DatabaseError to be waited out."""
        close_old_connections()
        now = timezone.now()
        if self._last_beat is None or time.monotonic() - self._last_beat >= renew_every():
            self._beat(now)
            reclaim_expired(now)
            # Workers killed outright leave their row; a day later it is only noise.
            WorkerHeartbeat.objects.filter(seen_at__lt=now - HEARTBEAT_KEPT).delete()
        return self._claim(now), True

    def _wait_out(self, exc: DatabaseError) -> None:
        delay = self.backoff.next()
        logger.warning(
            "database error in worker %s (%s: %s); retrying in %.1fs",
            self.worker_id,
            type(exc).__name__,
            str(exc).strip().splitlines()[0] if str(exc).strip() else "",
            delay,
        )
        with contextlib.suppress(Exception):
            connections.close_all()
        self._sleep(delay)

    def _sleep(self, seconds: float) -> None:
        # A signal (SIGTERM) interrupts the wait through ``shutdown``'s sys.exit.
        select.select([], [], [], seconds)

    # ------------------------------------------------------------------ claiming

    def _ready(self):
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        return tasks

    def _claim(self, now) -> Claim | None:
        tasks = self._ready()
        with exclusive_transaction(tasks.db):
            task = tasks.get_locked()
            if task is None:
                return None
            task.claim(self.worker_id)
            lease, _created = TaskLease.objects.get_or_create(
                task_id=task.pk, defaults={"worker_id": self.worker_id}
            )
            lease.worker_id = self.worker_id
            lease.attempts += 1
            lease.expires_at = now + timedelta(seconds=lease_seconds())
            lease.save(update_fields=["worker_id", "attempts", "expires_at"])
            return Claim(task, lease.attempts)

    # ------------------------------------------------------------------ heartbeat

    def _beat(self, now) -> None:
        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={"hostname": self.hostname, "pid": os.getpid(), "seen_at": now},
        )
        self._last_beat = time.monotonic()

    def _forget_heartbeat(self) -> None:
        """A worker that stops on purpose leaves no heartbeat for /healthz to call stale."""
        with contextlib.suppress(Exception):
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()
            connections.close_all()

    def _renew(self, claim: Claim) -> bool:
        """Extend the lease; False when it is no longer ours (another worker took the task)."""
        now = timezone.now()
        renewed = _held(claim, self.worker_id).update(
            expires_at=now + timedelta(seconds=lease_seconds())
        )
        if renewed:
            self._beat(now)
        return bool(renewed)

    # ------------------------------------------------------------------ running

    def _run_in_child(self, claim: Claim) -> None:
        """Run the task in a forked child while this process renews its lease."""
        self.running_task = True
        connections.close_all()  # the child opens its own; a shared socket would corrupt both
        read_end, write_end = os.pipe()
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # the child
            os.close(read_end)
            code = 70
            try:
                _become_task_process(parent)
                code = run_claimed(claim, self.worker_id)
            except BaseException:  # reported through the exit code, recorded by the worker
                logger.exception("task process for %s failed", claim.task.pk)
            finally:
                with contextlib.suppress(Exception):
                    connections.close_all()
                os._exit(code)
        os.close(write_end)
        try:
            status = self._watch(claim, pid, read_end)
        finally:
            os.close(read_end)
            self.running_task = False
            self._run_tasks += 1
        if status != 0:
            self._record_death(claim, status)

    def _watch(self, claim: Claim, pid: int, read_end: int) -> int:
        """Renew the lease until the child ends (its pipe end closes); its wait status."""
        while True:
            ready, _w, _x = select.select([read_end], [], [], renew_every())
            if ready:
                break
            try:
                if not self._renew(claim):
                    logger.warning(
                        "worker %s lost the lease of task %s; stopping it",
                        self.worker_id,
                        claim.task.pk,
                    )
                    os.kill(pid, signal.SIGKILL)
            except DatabaseError as exc:
                logger.warning(
                    "could not renew the lease of task %s (%s); the task keeps running",
                    claim.task.pk,
                    exc,
                )
                with contextlib.suppress(Exception):
                    connections.close_all()
        _pid, status, usage = os.wait4(pid, 0)
        logger.info(
            "task %s (%s) attempt %s ended: peak memory %d MiB",
            claim.task.pk,
            claim.task.task_path.rsplit(".", 1)[-1],
            claim.attempt,
            usage.ru_maxrss // 1024,
        )
        return status

    def _record_death(self, claim: Claim, status: int) -> None:
        if os.WIFSIGNALED(status):
            signame = signal.Signals(os.WTERMSIG(status)).name
            reason = f"the task's process was killed by {signame} (out of memory?)"
        else:
            reason = f"the task's process ended with exit status {os.WEXITSTATUS(status)}"
        logger.error("task %s: %s", claim.task.pk, reason)
        for _try in range(5):
            try:
                record_failure(claim, self.worker_id, TaskProcessDied(reason))
                return
            except DatabaseError as exc:
                self._wait_out(exc)
        # Not recorded: the lease runs out and another worker (or this one) takes it.


def _held(claim: Claim, worker_id: str):
    """The lease row, if ``worker_id`` still holds it for this attempt."""
    return TaskLease.objects.filter(
        task_id=claim.task.pk,
        worker_id=worker_id,
        attempts=claim.attempt,
        expires_at__isnull=False,
        task__status=TaskResultStatus.RUNNING,
    )


def _become_task_process(parent: int) -> None:
    """In the forked child: die with the worker, ignore its stop signals, bound memory."""
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT):
        signal.signal(signum, signal.SIG_IGN)  # the worker decides when its task stops
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        libc.mallopt(M_ARENA_MAX, 2)  # fewer malloc arenas: address space near real use
    if os.getppid() != parent:  # the worker died before the line above
        os._exit(71)
    limit_mb = settings.FULLRECORD_TASK_MEMORY_MB
    if limit_mb:
        limit = limit_mb * 1024 * 1024
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def run_claimed(claim: Claim, worker_id: str) -> int:
    """Run the task and record its outcome under the lease; the process exit code."""
    db_task = claim.task
    try:
        task = db_task.task
        result = db_task.task_result
        task_started.send(sender=type(task.get_backend()), task_result=result)
        if task.takes_context:
            value = task.call(TaskContext(task_result=result), *result.args, **result.kwargs)
        else:
            value = task.call(*result.args, **result.kwargs)
    except BaseException as exc:
        if isinstance(exc, MemoryError):
            exc = MemoryError(
                f"the task needed more than FULLRECORD_TASK_MEMORY_MB="
                f"{settings.FULLRECORD_TASK_MEMORY_MB} MiB"
            )
        record_failure(claim, worker_id, exc)
        return 0
    try:
        json.dumps(value)  # what the return_value JSONField will do, before any database
    except (TypeError, ValueError) as exc:  # the value cannot be stored: the task's own error
        record_failure(claim, worker_id, exc)
        return 0
    record_success(claim, worker_id, value)
    return 0


def _lock_held(claim: Claim, worker_id: str) -> TaskLease | None:
    """Lock the task row, then its lease (the order ``reclaim_expired`` takes them in)."""
    DBTaskResult.objects.select_for_update().filter(pk=claim.task.pk).first()
    return _held(claim, worker_id).select_for_update(of=("self",)).first()


def record_success(claim: Claim, worker_id: str, value) -> bool:
    with transaction.atomic():
        lease = _lock_held(claim, worker_id)
        if lease is None:
            logger.warning("task %s finished after its lease was lost; not recorded", claim.task.pk)
            return False
        claim.task.set_successful(value)
        lease.expires_at = None
        lease.save(update_fields=["expires_at"])
    task_finished.send(
        sender=type(claim.task.task.get_backend()), task_result=claim.task.task_result
    )
    return True


def record_failure(claim: Claim, worker_id: str, exc: BaseException) -> bool:
    """Queue the task again after a pause, or fail it for good after its last attempt."""
    text = "".join(format_exception(exc))
    with transaction.atomic():
        lease = _lock_held(claim, worker_id)
        if lease is None:
            logger.warning("task %s failed after its lease was lost; not recorded", claim.task.pk)
            return False
        final = _fail_or_requeue(claim.task, lease, exc, text)
    logger.warning(
        "task %s attempt %s failed%s: %s",
        claim.task.pk,
        claim.attempt,
        " for the last time" if final else "; it will run again",
        text.strip().splitlines()[-1],
    )
    if final:
        with contextlib.suppress(Exception):
            task_finished.send(
                sender=type(claim.task.task.get_backend()), task_result=claim.task.task_result
            )
    return True


def _fail_or_requeue(
    db_task: DBTaskResult, lease: TaskLease, exc: BaseException, text: str
) -> bool:
    lease.expires_at = None
    lease.last_error = text[-20000:]
    lease.save(update_fields=["expires_at", "last_error"])
    if lease.attempts >= settings.FULLRECORD_TASK_MAX_ATTEMPTS:
        db_task.set_failed(exc)
        return True
    DBTaskResult.objects.filter(pk=db_task.pk).update(
        status=TaskResultStatus.READY,
        run_after=timezone.now() + retry_delay(lease.attempts),
    )
    return False


def reclaim_expired(now=None) -> int:
    """Put back (or fail, after the last attempt) RUNNING tasks nobody holds; how many.

    A lease that ran out means its worker stopped renewing: killed, frozen, or its
    machine lost. A RUNNING task with no lease was claimed by a plain ``db_worker``
    (or before this upgrade); it counts as expired one lease after it started.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=lease_seconds())
    count = 0
    with transaction.atomic():
        stale = (
            DBTaskResult.objects.running()
            .filter(Q(lease__expires_at__lt=now) | Q(lease__isnull=True, started_at__lt=cutoff))
            .select_for_update(skip_locked=True, of=("self",))
        )
        for db_task in stale:
            lease, _created = TaskLease.objects.get_or_create(
                task_id=db_task.pk,
                defaults={
                    "worker_id": (db_task.worker_ids or ["db_worker"])[-1][:64],
                    "attempts": 1,
                },
            )
            holder = lease.worker_id
            error = WorkerLost(
                f"worker {holder} stopped renewing the lease of this task (attempt {lease.attempts})"
            )
            final = _fail_or_requeue(db_task, lease, error, f"{error}\n")
            logger.warning(
                "task %s: %s; %s", db_task.pk, error, "failed" if final else "queued again"
            )
            count += 1
    return count
