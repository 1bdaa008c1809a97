"""``kill -9`` of the gunicorn worker that is receiving a PATCH (under ``fullrecord serve``):
gunicorn starts another, the client asks HEAD, resumes from the offset it is told, and the
upload completes with the right SHA-256 as one item with one ingest entry; no spool file
or stray store file is left. The kill lands while the body is being written by
construction (the test waits until the spool file has grown), never by timing."""

from __future__ import annotations

import hashlib
import os
import signal
import socket

import pytest

from fullrecord.accounts.services import issue_api_token
from fullrecord.audit.models import AuditEntry
from fullrecord.core.testing.liveserve import start_serve
from fullrecord.core.testing.liveworkers import _live_template, live_database, poll  # noqa: F401
from fullrecord.core.testing.personas import build_bureau
from fullrecord.media.models import MediaItem, Upload

MiB = 1024 * 1024
FIRST = 2 * MiB + 5  # acknowledged before the kill
SIZE = 40 * MiB + 123


def _gunicorn_workers(served) -> set[int]:
    web = served.started()["web"][-1]
    children = f"/proc/{web}/task/{web}/children"
    return {int(pid) for pid in open(children).read().split()}


@pytest.mark.parametrize("trial", range(2))
def test_a_worker_killed_mid_patch_then_the_upload_resumes(live_database, trial):  # noqa: F811
    token = issue_api_token(build_bureau().officer)
    served = start_serve(live_database, "--workers", "1", "--threads", "4", "--no-scheduler")
    data = os.urandom(SIZE)
    auth = {"Authorization": f"Token {token}", "Tus-Resumable": "1.0.0"}
    patch_headers = {**auth, "Content-Type": "application/offset+octet-stream"}
    try:
        status, headers, body = served.request(
            "POST", "/api/uploads/", {**auth, "Upload-Length": str(SIZE)}
        )
        assert status == 201, body
        location = "/" + headers["Location"].split("/", 3)[3]
        status, _h, body = served.request(
            "PATCH", location, {**patch_headers, "Upload-Offset": "0"}, data[:FIRST]
        )
        assert status == 204, body
        upload = Upload.objects.get()
        spool = live_database.data_dir / "spool" / f"tus-{upload.pk.hex}.part"

        # A PATCH with the rest, of which half is sent and then the sender stops.
        sock = socket.create_connection(("127.0.0.1", served.port), timeout=120)
        head = (
            f"PATCH {location} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + "".join(f"{k}: {v}\r\n" for k, v in patch_headers.items())
            + f"Upload-Offset: {FIRST}\r\nContent-Length: {SIZE - FIRST}\r\n\r\n"
        )
        sock.sendall(head.encode() + data[FIRST : FIRST + 20 * MiB])
        # The worker is writing this body: the spool file holds more than was acknowledged.
        poll(lambda: spool.stat().st_size >= FIRST + 8 * MiB, "the body to reach the spool")
        (worker,) = _gunicorn_workers(served)
        os.kill(worker, signal.SIGKILL)
        poll(
            lambda: (w := _gunicorn_workers(served)) and worker not in w,
            "gunicorn to start another worker",
        )
        sock.close()

        # The client comes back: HEAD says what was acknowledged, it sends the rest.
        status, headers, _b = served.request("HEAD", location, auth)
        assert status == 200
        offset = int(headers["Upload-Offset"])
        assert offset == FIRST  # nothing of the cut PATCH was acknowledged
        status, headers, body = served.request(
            "PATCH", location, {**patch_headers, "Upload-Offset": str(offset)}, data[offset:]
        )
        assert status == 204, body
        sha = hashlib.sha256(data).hexdigest()
        assert headers["X-Media-Sha256"] == sha
        item = MediaItem.objects.get()
        assert item.sha256 == sha and item.size == SIZE
        assert AuditEntry.objects.filter(action="media.ingest", object_id=str(item.pk)).count() == 1
        assert not spool.exists()
        stored = [p for p in (live_database.data_dir / "store").rglob("*") if p.is_file()]
        assert [p.name for p in stored] == [sha]
        assert Upload.objects.get().state == "complete"
    finally:
        assert served.stop() == 0
