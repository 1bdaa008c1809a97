"""Repeat range reads of an original, answered before Django's request cycle.

A player asks for many ranges while it seeks. The first request of a playback goes
through the whole stack — authentication, the access helper, the audit entry for the
play — and leaves a short-lived note that *these credentials* may read *this
original*. Further single ranges by the same credentials within
``FULLRECORD_RANGE_GRANT_SECONDS`` (default 5; 0 turns this off) are sent straight
from the file. The price is stated: a revoked approval or a locked account stops a
stream that is already playing within those seconds, not at once.

The note lives in the worker process's memory: it is a cache of a decision the
access helper just made, never the source of one.
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
from dataclasses import dataclass
from http.cookies import CookieError, SimpleCookie
from pathlib import Path

from django.conf import settings
from django.utils.http import http_date

from fullrecord.core.middleware import CONTENT_SECURITY_POLICY

from .ranges import FileSlice, parse_range

CONTENT_PATH = re.compile(r"^/api/media/(\d+)/content/?$")
MAX_GRANTS = 10_000


@dataclass(frozen=True)
class Grant:
    expires: float
    path: Path
    size: int
    etag: str
    content_type: str
    last_modified: float


_grants: dict[tuple[int, str], Grant] = {}
_lock = threading.Lock()


def credentials(meta: dict) -> str | None:
    """A digest of what authenticated the request: its token, else its session cookie."""
    raw = meta.get("HTTP_AUTHORIZATION")
    if not raw:
        try:
            morsel = SimpleCookie(meta.get("HTTP_COOKIE", "")).get(settings.SESSION_COOKIE_NAME)
        except CookieError:
            return None
        raw = morsel.value if morsel else None
    return hashlib.sha256(raw.encode()).hexdigest() if raw else None


def remember(
    meta: dict,
    item_id: int,
    path: Path,
    *,
    size: int,
    etag: str,
    content_type: str,
    last_modified: float,
) -> None:
    """Called by the content view after it has allowed a read of a local original."""
    seconds = settings.FULLRECORD_RANGE_GRANT_SECONDS
    key = credentials(meta)
    if seconds <= 0 or key is None:
        return
    with _lock:
        if len(_grants) >= MAX_GRANTS:
            _grants.clear()
        _grants[(item_id, key)] = Grant(
            time.monotonic() + seconds, path, size, etag, content_type, last_modified
        )


def forget_all() -> None:
    with _lock:
        _grants.clear()


class RangeFastPath:
    """WSGI middleware: serve a repeat single range from a fresh grant, else pass through."""

    def __init__(self, app) -> None:
        self.app = app

    def __call__(self, environ: dict, start_response):
        served = self._serve(environ, start_response)
        return served if served is not None else self.app(environ, start_response)

    def _serve(self, environ: dict, start_response):
        if environ.get("REQUEST_METHOD") != "GET" or environ.get("QUERY_STRING"):
            return None
        match = CONTENT_PATH.match(environ.get("PATH_INFO", ""))
        header = environ.get("HTTP_RANGE")
        if not match or not header or environ.get("HTTP_IF_RANGE"):
            return None
        key = credentials(environ)
        grant = _grants.get((int(match.group(1)), key)) if key else None
        if grant is None or grant.expires < time.monotonic():
            return None
        ranges = parse_range(header, grant.size)
        if not ranges or len(ranges) != 1 or ranges[0][0] == 0:
            return None  # a play from the start goes through Django: it is recorded there
        start, end = ranges[0]
        try:
            body = FileSlice(open(grant.path, "rb"), start, end - start + 1)  # noqa: SIM115
        except OSError:
            return None
        start_response(
            "206 Partial Content",
            [
                ("Content-Type", grant.content_type),
                ("Content-Length", str(end - start + 1)),
                ("Content-Range", f"bytes {start}-{end}/{grant.size}"),
                ("Accept-Ranges", "bytes"),
                ("ETag", grant.etag),
                ("Last-Modified", http_date(grant.last_modified)),
                ("Cache-Control", "private, no-transform"),
                ("Vary", "Cookie, Authorization"),
                ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
                ("X-Content-Type-Options", "nosniff"),
                ("X-Frame-Options", "DENY"),
                ("Referrer-Policy", "same-origin"),
            ],
        )
        wrapper = environ.get("wsgi.file_wrapper")
        return wrapper(body, 256 * 1024) if wrapper else iter(body)
