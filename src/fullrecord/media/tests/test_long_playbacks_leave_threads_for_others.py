"""Under ``fullrecord serve`` a playback holds one thread, not a process: with one gunicorn
worker of four threads, three players stalled mid-stream (their sockets full, the server
blocked in sendfile) leave the fourth thread serving everyone else. The bound is
WORKERS x THREADS requests at once (docs/operations.md, "Serving")."""

from __future__ import annotations

import hashlib
import os
import socket

import pytest

from fullrecord.accounts.services import issue_api_token
from fullrecord.audit.models import AuditEntry
from fullrecord.core.testing.liveserve import start_serve
from fullrecord.core.testing.liveworkers import _live_template, live_database  # noqa: F401
from fullrecord.core.testing.personas import build_bureau

# About the servers in front of the application, not the database: make test runs it
# in its SQLite half only (docs/operations.md#tests).
pytestmark = pytest.mark.serving

SIZE = 32 * 1024 * 1024  # far more than loopback's socket buffers hold


def _stalled_stream(port: int, path: str, token: str) -> socket.socket:
    """A GET whose headers are read and whose body is not: the server's thread waits."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.settimeout(120)
    sock.connect(("127.0.0.1", port))
    sock.sendall(
        (
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Token {token}\r\n"
            "Range: bytes=0-\r\n\r\n"
        ).encode()
    )
    head = b""
    while b"\r\n\r\n" not in head:
        block = sock.recv(1024)
        assert block, "the stream closed before its headers"
        head += block
    assert head.startswith(b"HTTP/1.1 206"), head[:200]
    return sock


def test_stalled_players_leave_the_other_threads_serving(live_database):  # noqa: F811
    bureau = build_bureau()
    token = issue_api_token(bureau.officer)
    served = start_serve(live_database, "--workers", "1", "--threads", "4", "--no-scheduler")
    streams: list[socket.socket] = []
    try:
        auth = {"Authorization": f"Token {token}", "Tus-Resumable": "1.0.0"}
        status, headers, _body = served.request(
            "POST", "/api/uploads/", {**auth, "Upload-Length": str(SIZE)}
        )
        assert status == 201, _body
        location = "/" + headers["Location"].split("/", 3)[3]
        data = os.urandom(SIZE)
        status, headers, _body = served.request(
            "PATCH",
            location,
            {**auth, "Content-Type": "application/offset+octet-stream", "Upload-Offset": "0"},
            data,
        )
        assert status == 204, _body
        assert headers["X-Media-Sha256"] == hashlib.sha256(data).hexdigest()
        content = f"/api/media/{headers['X-Media-Id']}/content"

        streams = [_stalled_stream(served.port, content, token) for _ in range(3)]

        # The fourth thread: a health check, a page, and another player's range.
        assert served.request("GET", "/healthz")[0] == 200
        assert served.request("GET", "/accounts/login/")[0] == 200
        status, _headers, body = served.request(
            "GET", content, {"Authorization": f"Token {token}", "Range": "bytes=100-199"}
        )
        assert (status, body) == (206, data[100:200])
        # One playback entry for this caller's ranges, however many streams.
        assert AuditEntry.objects.filter(action="media.play").count() == 1
    finally:
        for sock in streams:
            sock.close()
        assert served.stop() == 0
