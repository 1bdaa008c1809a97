"""Playing records as browsers and API clients do, for the tests of who gets which bytes.

``Caller`` is one client with one credential (a signed-in session, an API token, or
nothing) that can start a playback and fetch its signed URL through either door: the
production WSGI application (``fullrecord.wsgi``, where the signed URL is answered before
Django) or Django's own URL routing (what the test server and ``runserver`` use).
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field

from django.core import signals
from django.db import close_old_connections
from django.test import Client, RequestFactory

from fullrecord.audit.models import AuditEntry
from fullrecord.media.models import PlaybackGrant

# Every form of Range RFC 9110 §14.1.2 allows, and the requests around it.
RANGE_FORMS = {
    "no Range": {},
    "bytes=0-": {"HTTP_RANGE": "bytes=0-"},
    "bytes=1-": {"HTTP_RANGE": "bytes=1-"},
    "bytes=N-M": {"HTTP_RANGE": "bytes=100-199"},
    "suffix bytes=-N": {"HTTP_RANGE": "bytes=-500"},
    "multipart bytes=0-0,1-": {"HTTP_RANGE": "bytes=0-0,1-"},
    "overlapping": {"HTTP_RANGE": "bytes=0-99,50-149,-10"},
    "past the end": {"HTTP_RANGE": "bytes=900-100000000"},
    "unsatisfiable": {"HTTP_RANGE": "bytes=100000000-"},
    "If-Range match": {"HTTP_RANGE": "bytes=5-9", "HTTP_IF_RANGE": "<etag>"},
    "If-Range mismatch": {"HTTP_RANGE": "bytes=5-9", "HTTP_IF_RANGE": '"stale"'},
    "If-Range date": {"HTTP_RANGE": "bytes=5-9", "HTTP_IF_RANGE": "Wed, 21 Oct 2015 07:28:00 GMT"},
}


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def carries_bytes(self) -> bool:
        return self.status in (200, 206) and bool(self.body)


def _body(response) -> bytes:
    """The whole body; the test client closes the response once it is read."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


@dataclass
class Caller:
    """One client: ``session`` signs in with a session, ``token`` sends an API token."""

    user: object = None
    session: bool = True
    token: str | None = None
    extra: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.client = Client()
        if self.user is not None and self.session:
            self.client.force_login(self.user)
        if self.token:
            self.extra = {**self.extra, "HTTP_AUTHORIZATION": f"Token {self.token}"}

    @property
    def session_key(self) -> str | None:
        return (
            self.client.cookies["sessionid"].value if "sessionid" in self.client.cookies else None
        )

    def start(self, item) -> tuple[int, dict]:
        """POST …/playback, as the player does on the first play."""
        response = self.client.post(f"/api/media/{item.pk}/playback", **self.extra)
        return response.status_code, response.json() if response.content else {}

    def get(self, path: str, *, method: str = "GET", door: str = "django", **headers) -> Answer:
        headers = {**self.extra, **headers}
        if door == "django":
            response = self.client.generic(method, path, **headers)
            return Answer(response.status_code, dict(response.items()), _body(response))
        return self._through_wsgi(path, method, headers)

    def _through_wsgi(self, path: str, method: str, headers: dict) -> Answer:
        """The production entry point, as gunicorn calls it."""
        from fullrecord.wsgi import application

        if self.client.cookies:
            headers["HTTP_COOKIE"] = self.client.cookies.output(header="", sep=";").strip()
        environ = RequestFactory().generic(method, path, **headers).environ
        seen: dict = {}

        def start_response(status, response_headers):
            seen["status"], seen["headers"] = int(status.split()[0]), dict(response_headers)

        with keeping_the_test_transaction():
            result = application(environ, start_response)
            try:
                body = b"".join(result)
            finally:
                if hasattr(result, "close"):
                    result.close()
        return Answer(seen["status"], seen["headers"], body)


@contextmanager
def keeping_the_test_transaction():
    """As Django's test client does around a request: the test's transaction must survive
    the request's "close stale connections" signals."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def plays(user, item) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            action="media.play", actor=user, object_type="media.mediaitem", object_id=str(item.pk)
        )
    )


def covered(user, item, *, action: str = "media.play") -> bool:
    """Whether a grant of ``user`` on ``item`` is live and its entry is in the log."""
    return PlaybackGrant.objects.filter(
        user=user, item=item, entry__action=action, entry__actor=user
    ).exists()


def with_etag(headers: dict, etag: str) -> dict:
    return {k: (etag if v == "<etag>" else v) for k, v in headers.items()}
