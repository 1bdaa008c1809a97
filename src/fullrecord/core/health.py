"""``/healthz``: is the database answering, is the data directory writable."""

from __future__ import annotations

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
    """The data directory must be writable (spool, derived files) and the store answer."""
    from fullrecord.media.store import get_store

    try:
        with tempfile.NamedTemporaryFile(dir=settings.DATA_DIR, prefix=".healthz-") as handle:
            handle.write(b"ok")
            handle.flush()
        return get_store().health()
    except Exception as exc:  # the point is to report any failure, not to raise it
        return {"ok": False, "error": getattr(exc, "strerror", None) or exc.__class__.__name__}


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _check_database(), "storage": _check_storage()}
    healthy = all(check["ok"] for check in checks.values())
    body = {"status": "ok" if healthy else "error", **checks}
    if healthy:
        # Signed heads not leaving the machine degrade, not fail: the server still serves.
        body["audit_heads"] = _check_audit_heads()
        if not body["audit_heads"]["ok"]:
            body["status"] = "degraded"
    return JsonResponse(body, status=200 if healthy else 503)


def _check_audit_heads() -> dict:
    from fullrecord.audit.sinks import health

    try:
        return health()
    except Exception as exc:  # the point is to report any failure, not to raise it
        return {"ok": False, "error": exc.__class__.__name__}
