"""A request id on every request and log line, one log line per request, and its latency.

The id comes from the proxy's ``X-Request-ID`` when it sends a sane one (so nginx's
``$request_id`` and the application's lines match), else a new one; it goes back in
the answer's ``X-Request-ID`` and onto every log record made while the request runs
(:class:`RequestIdFilter`), including the SQL errors and tracebacks Django logs.
``FULLRECORD_LOG_FORMAT=json`` (the default) writes each record as one JSON object
(python-json-logger), so the lines of one request are found by its id.
"""

from __future__ import annotations

import contextvars
import logging
import re
import time
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from . import metrics

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
logger = logging.getLogger("fullrecord.request")
_SANE = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")


def new_id(offered: str | None = None) -> str:
    """The proxy's id when it looks like one (no spaces, no control characters), else ours."""
    if offered and _SANE.match(offered):
        return offered
    return uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Puts the running request's id (or "") on every record, as ``request_id``."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id.get()
        return True


class RequestLogMiddleware:
    """Outermost: sees every answer, including those other middleware make."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        rid = new_id(request.headers.get("X-Request-ID"))
        token = request_id.set(rid)
        request.request_id = rid
        started = time.perf_counter()
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        seconds = time.perf_counter() - started
        response.headers["X-Request-ID"] = rid
        match = getattr(request, "resolver_match", None)
        view = match.view_name if match is not None else "unmatched"
        metrics.observe_request(request.method, view, response.status_code, seconds)
        if request.method == "PATCH" and view.startswith("api:tus") and response.status_code == 204:
            metrics.UPLOAD_BYTES.inc(_length(request))
        user = getattr(request, "user", None)
        logger.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "request_id": rid,
                "method": request.method,
                "path": request.path,
                "view": view,
                "status": response.status_code,
                "duration_ms": round(seconds * 1000, 2),
                "user_id": getattr(user, "pk", None) if user is not None else None,
                "client": request.META.get("REMOTE_ADDR", ""),
            },
        )
        return response


def _length(request: HttpRequest) -> int:
    try:
        return max(0, int(request.headers.get("Content-Length") or 0))
    except ValueError:
        return 0
