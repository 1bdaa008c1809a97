"""``/healthz``: is the database answering, is the data directory writable."""

from __future__ import annotations

import os
import tempfile
import time

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
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
    directory = settings.DATA_DIR
    try:
        with tempfile.NamedTemporaryFile(dir=directory, prefix=".healthz-", delete=True) as handle:
            handle.write(b"ok")
            handle.flush()
        stats = os.statvfs(directory)
    except OSError as exc:
        return {"ok": False, "error": exc.strerror or exc.__class__.__name__}
    return {"ok": True, "backend": "local", "free_bytes": stats.f_bavail * stats.f_frsize}


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _check_database(), "storage": _check_storage()}
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )
