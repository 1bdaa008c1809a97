"""A PATCH refused with a large body still gets its 409 or 410, never a 500, under each
server the project runs on: ``runserver`` (``make run``, the embedded mode) and gunicorn.

Past ``DRAIN_LIMIT`` gunicorn is told to close the connection instead of reading the
body; ``wsgiref`` under ``runserver`` refuses that header from an application (it
answered 500), so there the body is read through in blocks before the answer.
"""

from __future__ import annotations

import threading

import pytest

from fullrecord.media.tus_views import DRAIN_LIMIT

from .crashsite_fixture import crash_site  # noqa: F401  (the fixture)
from .live import open_patch, read_status

# About the servers in front of the application, not the database: make test runs it
# in its SQLite half only (docs/operations.md#tests).
pytestmark = pytest.mark.serving

BODY = DRAIN_LIMIT + 4 * 1024 * 1024


def _send_body(sock, length: int) -> threading.Thread:
    def send() -> None:
        block = b"\0" * (1024 * 1024)
        sent = 0
        try:
            while sent < length:
                sock.sendall(block[: min(len(block), length - sent)])
                sent += min(len(block), length - sent)
        except OSError:
            pass  # the server may close once it has answered

    thread = threading.Thread(target=send)
    thread.start()
    return thread


@pytest.mark.parametrize(("server", "reads_the_body"), [("runserver", True), ("gunicorn", False)])
@pytest.mark.parametrize(("refusal", "status"), [("wrong offset", 409), ("cancelled", 410)])
def test_a_refused_patch_with_a_large_body_gets_its_answer(
    crash_site,  # noqa: F811
    server,
    reads_the_body,
    refusal,
    status,
):
    with crash_site.serve(server=server) as site:
        location = site.create(BODY + 10)
        offset = 5  # the upload holds 0 bytes: a conflict
        if refusal == "cancelled":
            assert site.request("DELETE", location).status == 204
            offset = 0
        sock = open_patch(site.base + location, crash_site.token, offset, BODY)
        # runserver answers once it has read the body; gunicorn answers at once and
        # closes, so there the body is not sent (unread bytes would reset the socket).
        sender = _send_body(sock, BODY) if reads_the_body else None
        answered, headers = read_status(sock)
        if sender is not None:
            sender.join(timeout=120)
            assert not sender.is_alive()
        assert answered == status
        assert headers.get("tus-resumable") == "1.0.0"
        # The server is still there for the next request.
        assert site.head(location).status in (200, 410)
