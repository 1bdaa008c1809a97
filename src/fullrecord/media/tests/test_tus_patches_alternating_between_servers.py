"""One upload's PATCHes alternating between two real ``fullrecord serve`` processes on one
data dir: every PATCH continues from the running hash the other left on the spool file,
the upload completes with the right SHA-256 as one item."""

from __future__ import annotations

import hashlib
import os

from fullrecord.accounts.services import issue_api_token
from fullrecord.core.testing.liveserve import start_serve
from fullrecord.core.testing.liveworkers import _live_template, live_database  # noqa: F401
from fullrecord.core.testing.personas import build_bureau
from fullrecord.media import sha256state
from fullrecord.media.models import MediaItem, Upload

CHUNK = 1024 * 1024 + 17


def test_patches_alternating_between_two_servers(live_database):  # noqa: F811
    token = issue_api_token(build_bureau().officer)
    servers = [
        start_serve(live_database, "--workers", "1", "--no-worker", "--no-scheduler")
        for _ in range(2)
    ]
    data = os.urandom(5 * CHUNK + 99)
    auth = {"Authorization": f"Token {token}", "Tus-Resumable": "1.0.0"}
    try:
        status, headers, body = servers[0].request(
            "POST", "/api/uploads/", {**auth, "Upload-Length": str(len(data))}
        )
        assert status == 201, body
        location = "/" + headers["Location"].split("/", 3)[3]
        upload = Upload.objects.get()
        spool = live_database.data_dir / "spool"  # the servers' data dir, not this process's
        offset, n = 0, 0
        while offset < len(data):
            chunk = data[offset : offset + CHUNK]
            status, headers, body = servers[n % 2].request(
                "PATCH",
                location,
                {
                    **auth,
                    "Content-Type": "application/offset+octet-stream",
                    "Upload-Offset": str(offset),
                },
                chunk,
            )
            assert status == 204, body
            offset += len(chunk)
            n += 1
            if offset < len(data) and sha256state.AVAILABLE:
                fd = os.open(spool / f"tus-{upload.pk.hex}.part", os.O_RDONLY)
                try:
                    saved = sha256state.load(fd, offset)  # left for the other server
                finally:
                    os.close(fd)
                assert saved is not None
                expected = hashlib.sha256(data[:offset])
                assert saved.copy().hexdigest() == expected.hexdigest()
        assert headers["X-Media-Sha256"] == hashlib.sha256(data).hexdigest()
        assert MediaItem.objects.filter(sha256=hashlib.sha256(data).hexdigest()).count() == 1
    finally:
        for served in servers:
            assert served.stop() == 0
