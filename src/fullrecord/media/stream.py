"""The signed playback URL: ranges of one playback, checked per request, outside Django's stack.

A player asks for many ranges while it seeks. Each one reaches :func:`serve_signed`,
which verifies the URL's signature and expiry, then makes one query
(``playback.live_grant``) confirming the grant may still send bytes to *this*
caller — its session row or API token, the user, the access request — and sends
the bytes with sendfile. Nothing is remembered between requests, so every process
and machine decides alike, and sign-out, deactivation or revocation stop a playback
at its next range.

``fullrecord/wsgi.py`` puts :class:`SignedPlayback` in front of Django, so these
requests skip the middleware; the same view is also routed through Django
(``fullrecord/urls.py``) for servers that do not load ``wsgi.py`` (the test server).
"""

from __future__ import annotations

import re
import time

from django.conf import settings
from django.core import signals
from django.core.handlers.wsgi import WSGIRequest
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from rest_framework.exceptions import APIException

from fullrecord.core.middleware import CONTENT_SECURITY_POLICY

from . import content, playback

PATH = re.compile(
    r"^/playback/(?P<grant_id>\d{1,18})/(?P<expires>\d{1,12})/(?P<signature>[0-9a-f]{64})/?$"
)
HEADERS = {
    "Vary": "Cookie, Authorization",
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


def serve_signed(request: HttpRequest, grant_id: int, expires: int, signature: str) -> HttpResponse:
    """GET or HEAD of a grant's bytes; 404 alike for a bad signature, an expired URL, a grant
    that is gone or no longer live, or a caller other than the one who started it."""
    if request.method not in ("GET", "HEAD"):
        return _finish(HttpResponseNotAllowed(["GET", "HEAD"]))
    try:
        response = _serve(request, int(grant_id), int(expires), signature)
    except Http404:
        response = HttpResponse(status=404)
    except APIException as exc:  # an original missing (410), a derived file being made (503)
        response = JsonResponse({"detail": str(exc.detail)}, status=exc.status_code)
        if getattr(exc, "wait", None):
            response["Retry-After"] = str(exc.wait)
    return _finish(response)


def _serve(request: HttpRequest, grant_id: int, expires: int, signature: str) -> HttpResponse:
    if not playback.signature_valid(grant_id, expires, signature, time.time()):
        raise Http404
    grant = playback.live_grant(
        grant_id,
        session_key=request.COOKIES.get(settings.SESSION_COOKIE_NAME),
        token_key=_token(request.headers.get("Authorization", "")),
    )
    if grant is None:
        raise Http404
    return content.send(request, playback.grant_source(grant))


def _token(header: str) -> str | None:
    keyword, _, key = header.partition(" ")
    return key.strip() or None if keyword == "Token" else None


def _finish(response: HttpResponse) -> HttpResponse:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response


class SignedPlayback:
    """WSGI wrapper: signed playback URLs answered before Django's middleware."""

    def __init__(self, app) -> None:
        self.app = app

    def __call__(self, environ: dict, start_response):
        match = PATH.match(environ.get("PATH_INFO", ""))
        if match is None:
            return self.app(environ, start_response)
        # As Django's handler does: stale database connections are closed before, and the
        # response's close() sends request_finished (closing them after) past the last byte.
        signals.request_started.send(sender=self.__class__, environ=environ)
        request = WSGIRequest(environ)
        response = serve_signed(request, **match.groupdict())
        status = f"{response.status_code} {response.reason_phrase}"
        start_response(status, list(response.items()))
        wrapper = environ.get("wsgi.file_wrapper")
        if getattr(response, "file_to_stream", None) is not None and wrapper:
            response.file_to_stream.close = response.close
            return wrapper(response.file_to_stream, response.block_size)
        return response
