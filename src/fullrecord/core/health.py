"""``/healthz``: is the database answering, is the data directory writable, is work done.

HTTP 503 means *this web process* cannot serve (database or storage failing): a
load balancer should take it out. ``"status": "degraded"`` with HTTP 200 means the
site serves but background work is not being done (no worker heartbeat within a
lease, or a task waiting longer than ``FULLRECORD_HEALTH_QUEUE_SECONDS``): taking
web nodes out would not help, so the balancer keeps them and monitoring alerts.
"""

from __future__ import annotations

import tempfile
import time
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def _check_database() -> dict:
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # the point is to report any failure, not to raise it
        return {"ok": False, "error": exc.__class__.__name__}
    return {
        "ok": True,
        "vendor": connection.vendor,
        "ms": round((time.perf_counter() - started) * 1000, 2),
    }


def _check_storage() -> dict:
    """The data directory must be writable (spool, derived files) and the store answer."""
    from fullrecord.media.store import get_store

    try:
        with tempfile.NamedTemporaryFile(dir=settings.DATA_DIR, prefix=".healthz-") as handle:
            handle.write(b"ok")
            handle.flush()
        return get_store().health()
    except Exception as exc:  # the point is to report any failure, not to raise it
        return {"ok": False, "error": getattr(exc, "strerror", None) or exc.__class__.__name__}


def _check_workers() -> dict:
    """The newest worker heartbeat and the longest-waiting task (database task backend only)."""
    from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult, get_date_max

    from .models import WorkerHeartbeat

    if not isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend):
        return {"ok": True, "needed": False}  # tasks run in the web process itself
    try:
        now = timezone.now()
        lease = timedelta(seconds=settings.FULLRECORD_TASK_LEASE_SECONDS)
        seen = list(WorkerHeartbeat.objects.values_list("seen_at", flat=True))
        oldest = (
            DBTaskResult.objects.ready()
            .order_by("enqueued_at")
            .values_list("enqueued_at", "run_after")
            .first()
        )
    except Exception as exc:  # the point is to report any failure, not to raise it
        return {"ok": False, "error": exc.__class__.__name__}
    newest = max(seen, default=None)
    waiting = None
    if oldest is not None:
        enqueued_at, run_after = oldest
        since = enqueued_at if run_after == get_date_max() else max(enqueued_at, run_after)
        waiting = max(0.0, (now - since).total_seconds())
    heartbeat_age = None if newest is None else max(0.0, (now - newest).total_seconds())
    alive = sum(1 for at in seen if now - at <= lease)
    problems = []
    if alive == 0:
        problems.append("no worker heartbeat" if newest is None else "worker heartbeat stale")
    if waiting is not None and waiting > settings.FULLRECORD_HEALTH_QUEUE_SECONDS:
        problems.append("tasks waiting too long")
    return {
        "ok": not problems,
        "workers_alive": alive,
        "last_heartbeat_seconds": None if heartbeat_age is None else round(heartbeat_age, 1),
        "oldest_waiting_task_seconds": None if waiting is None else round(waiting, 1),
        "problems": problems,
    }


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _check_database(), "storage": _check_storage()}
    healthy = all(check["ok"] for check in checks.values())
    workers = _check_workers()
    body = {"status": "ok" if healthy else "error", **checks, "workers": workers}
    if healthy:
        # Signed heads not leaving the machine degrade, not fail: the server still serves.
        body["audit_heads"] = _check_audit_heads()
        if not (workers["ok"] and body["audit_heads"]["ok"]):
            body["status"] = "degraded"
    return JsonResponse(body, status=200 if healthy else 503)


def _check_audit_heads() -> dict:
    from fullrecord.audit.sinks import health

    try:
        return health()
    except Exception as exc:  # the point is to report any failure, not to raise it
        return {"ok": False, "error": exc.__class__.__name__}


_migrated = False  # once every migration is applied, this process's code stays migrated


def _check_migrations() -> dict:
    """Whether every migration this code has is applied (after an upgrade, until
    ``fullrecord migrate`` has run, a new process is not ready)."""
    global _migrated
    if _migrated:
        return {"ok": True}
    from django.db.migrations.executor import MigrationExecutor

    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as exc:  # the point is to report any failure, not to raise it
        return {"ok": False, "error": exc.__class__.__name__}
    if plan:
        return {"ok": False, "unapplied": len(plan)}
    _migrated = True
    return {"ok": True}


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """For a load balancer: may this process take requests now? The database answers, its
    schema is this code's, and the store is writable. 200 or 503; nothing about workers
    (a missing worker is /healthz's "degraded", and no reason to stop serving)."""
    checks = {"database": _check_database()}
    if checks["database"]["ok"]:
        checks["migrations"] = _check_migrations()
    checks["storage"] = _check_storage()
    ready = all(check["ok"] for check in checks.values())
    return JsonResponse({"ready": ready, **checks}, status=200 if ready else 503)
