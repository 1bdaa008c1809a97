"""Behind Debian's nginx with ``FULLRECORD_ACCEL_REDIRECT`` (the site block
``fullrecord nginx_config`` prints): the application checks each range against the
database as before and names the file; nginx sends it. The ranges are right, the
secure headers are there, the internal location cannot be asked for from outside,
a revoked token stops the next range, one playback is one entry, and players stalled
mid-stream hold no gunicorn thread."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import socket

import pytest
from knox.models import AuthToken

from fullrecord.accounts.services import issue_api_token
from fullrecord.audit.models import AuditEntry
from fullrecord.core.testing.livenginx import running_nginx
from fullrecord.core.testing.liveserve import Served, start_serve
from fullrecord.core.testing.liveworkers import _live_template, live_database, poll  # noqa: F401
from fullrecord.media.stream import HEADERS

from .mediafiles import make_video

# About the servers in front of the application, not the database: make test runs it
# in its SQLite half only (docs/operations.md#tests).
pytestmark = pytest.mark.serving

PREFIX = "/_fullrecord/"


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def _upload(front: Served, token: str, data: bytes, name: str, filetype: str) -> dict:
    auth = {"Authorization": f"Token {token}", "Tus-Resumable": "1.0.0"}
    status, headers, body = front.request(
        "POST",
        "/api/uploads/",
        {
            **auth,
            "Upload-Length": str(len(data)),
            "Upload-Metadata": f"filename {_b64(name)},filetype {_b64(filetype)}",
        },
    )
    assert status == 201, body
    location = "/" + headers["Location"].split("/", 3)[3]
    status, headers, body = front.request(
        "PATCH",
        location,
        {**auth, "Content-Type": "application/offset+octet-stream", "Upload-Offset": "0"},
        data,
    )
    assert status == 204, body
    assert headers["X-Media-Sha256"] == hashlib.sha256(data).hexdigest()
    return headers


def _env(live, served: Served, extra: dict) -> dict:
    """The application's environment, as ``fullrecord nginx_config`` must see it."""
    return {**live.env, **extra, "FULLRECORD_BIND": f"127.0.0.1:{served.port}"}


def _front(served: Served, port: int) -> Served:
    """The same helper, talking to nginx instead of gunicorn."""
    return Served(served.popen, port, served.log_path, served.marker)


def test_a_playback_through_nginx(live_database, tmp_path):  # noqa: F811
    bureau = build()
    token = issue_api_token(bureau.officer)
    env = {"FULLRECORD_ACCEL_REDIRECT": PREFIX}
    served = start_serve(live_database, "--workers", "1", "--threads", "2", "--no-scheduler", **env)
    try:
        with running_nginx(tmp_path / "nginx", _env(live_database, served, env)) as port:
            front = _front(served, port)
            video = make_video(tmp_path / "clip.mp4", seconds=2)
            data = video.read_bytes()
            item_id = _upload(front, token, data, "clip.mp4", "video/mp4")["X-Media-Id"]
            auth = {"Authorization": f"Token {token}"}

            def analysed():
                status, _h, body = front.request("GET", f"/api/media/{item_id}/", auth)
                return status == 200 and json.loads(body)["status"] in ("ready", "proxy")

            poll(analysed, "the worker to analyse the video")
            status, _h, body = front.request("POST", f"/api/media/{item_id}/playback", auth)
            assert status == 201, body
            url = "/" + json.loads(body)["url"].split("/", 3)[3]

            status, headers, body = front.request("GET", url, {**auth, "Range": "bytes=10-109"})
            assert status == 206
            assert body == data[10:110]
            assert headers["Content-Range"] == f"bytes 10-109/{len(data)}"
            assert headers["Content-Type"] == "video/mp4"
            assert "X-Accel-Redirect" not in headers
            for name, value in HEADERS.items():
                assert headers.get(name) == value, name
            status, headers, body = front.request("GET", url, {**auth, "Range": "bytes=-16"})
            assert (status, body) == (206, data[-16:])
            status, headers, body = front.request("HEAD", url, auth)
            assert (status, headers["Content-Length"], body) == (200, str(len(data)), b"")
            status, headers, _b = front.request(
                "GET", url, {**auth, "Range": f"bytes={len(data) + 5}-"}
            )
            assert status == 416
            assert front.request("GET", url, auth)[2] == data
            # The same through the full-stack endpoint an API client uses.
            status, _h, body = front.request(
                "GET", f"/api/media/{item_id}/content", {**auth, "Range": "bytes=0-99"}
            )
            assert (status, body) == (206, data[:100])

            # The internal location answers nothing to a request from outside.
            sha = hashlib.sha256(data).hexdigest()
            inside = f"{PREFIX}store/originals/{sha[:2]}/{sha[2:4]}/{sha}"
            assert front.request("GET", inside, auth)[0] == 404
            # Nor does the application name a file without a live grant.
            assert front.request("GET", url)[0] == 404  # no token
            assert front.request("GET", url.replace("/playback/", "/playback/9"), auth)[0] == 404

            # One playback, however many ranges: the content endpoint's ranges found the
            # grant the player's start made for the same token, so one entry covers all.
            assert AuditEntry.objects.filter(action="media.play").count() == 1

            # The token is revoked: its playback's next range is refused.
            AuthToken.objects.filter(user=bureau.officer).delete()
            assert front.request("GET", url, {**auth, "Range": "bytes=10-109"})[0] == 404
    finally:
        assert served.stop() == 0


def test_players_stalled_behind_nginx_hold_no_application_thread(live_database, tmp_path):  # noqa: F811
    bureau = build()
    token = issue_api_token(bureau.officer)
    env = {"FULLRECORD_ACCEL_REDIRECT": PREFIX}
    # One worker of two threads; six stalled players through nginx.
    served = start_serve(live_database, "--workers", "1", "--threads", "2", "--no-scheduler", **env)
    streams: list[socket.socket] = []
    try:
        with running_nginx(tmp_path / "nginx", _env(live_database, served, env)) as port:
            front = _front(served, port)
            data = os.urandom(32 * 1024 * 1024)
            item_id = _upload(front, token, data, "big.bin", "application/octet-stream")[
                "X-Media-Id"
            ]
            content = f"/api/media/{item_id}/content"
            try:
                for _ in range(6):
                    sock = socket.socket()
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
                    sock.settimeout(120)
                    sock.connect(("127.0.0.1", port))
                    sock.sendall(
                        f"GET {content} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Token {token}\r\n"
                        "Range: bytes=0-\r\n\r\n".encode()
                    )
                    head = b""
                    while b"\r\n\r\n" not in head:
                        block = sock.recv(1024)
                        assert block
                        head += block
                    assert head.startswith(b"HTTP/1.1 206"), head[:300]
                    streams.append(sock)
                # gunicorn's two threads are free: it answers directly and through nginx.
                assert served.request("GET", "/healthz")[0] == 200
                assert front.request("GET", "/accounts/login/")[0] == 200
                status, _h, body = front.request(
                    "GET", content, {"Authorization": f"Token {token}", "Range": "bytes=5-9"}
                )
                assert (status, body) == (206, data[5:10])
            finally:
                for sock in streams:  # before nginx stops: it waits for its clients
                    sock.close()
    finally:
        assert served.stop() == 0


def build():
    from fullrecord.core.testing.personas import build_bureau

    return build_bureau()
