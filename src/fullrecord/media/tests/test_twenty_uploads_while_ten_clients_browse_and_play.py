"""Issue 15's load test: 20 tus uploads at once, in chunks, while 10 API clients list
records and cases and play ranges of an original, on a real ``fullrecord serve`` (two
gunicorn processes with threads): no error answer, every SHA-256 right, no duplicate
item, and the audit log holds exactly the actions taken (one ingest per upload, one
``media.play`` per client's playback, however many ranges it read).

Nothing here waits on time: the threads run to completion and the checks read the
database afterwards."""

from __future__ import annotations

import base64
import hashlib
import os
import random
from concurrent.futures import ThreadPoolExecutor

from fullrecord.accounts.services import issue_api_token
from fullrecord.audit.models import AuditEntry
from fullrecord.core.testing.liveserve import start_serve
from fullrecord.core.testing.liveworkers import _live_template, live_database  # noqa: F401
from fullrecord.core.testing.personas import build_bureau
from fullrecord.media.models import MediaItem, Upload

KiB = 1024
UPLOADS, CLIENTS, CHUNKS, CHUNK = 20, 10, 3, 192 * KiB
ROUNDS = 4


def _upload(served, token: str, data: bytes, name: str) -> tuple[str, list[int]]:
    auth = {"Authorization": f"Token {token}", "Tus-Resumable": "1.0.0"}
    statuses = []
    meta = "filename " + base64.b64encode(name.encode()).decode()
    status, headers, body = served.request(
        "POST", "/api/uploads/", {**auth, "Upload-Length": str(len(data)), "Upload-Metadata": meta}
    )
    statuses.append(status)
    location = "/" + headers["Location"].split("/", 3)[3]
    offset, sha = 0, ""
    while offset < len(data):
        piece = data[offset : offset + CHUNK]
        status, headers, body = served.request(
            "PATCH",
            location,
            {
                **auth,
                "Content-Type": "application/offset+octet-stream",
                "Upload-Offset": str(offset),
            },
            piece,
        )
        statuses.append(status)
        offset = int(headers.get("Upload-Offset", offset + len(piece)))
        sha = headers.get("X-Media-Sha256", sha)
    return sha, statuses


def _browse(served, token: str, item_id: int, size: int, seed: int) -> list[int]:
    auth = {"Authorization": f"Token {token}"}
    rng = random.Random(seed)
    statuses = []
    for _ in range(ROUNDS):
        statuses.append(served.request("GET", "/api/media/?limit=10", auth)[0])
        statuses.append(served.request("GET", "/api/cases/?limit=10", auth)[0])
        start = rng.randrange(size - 1000)
        status, headers, body = served.request(
            "GET",
            f"/api/media/{item_id}/content",
            {**auth, "Range": f"bytes={start}-{start + 999}"},
        )
        statuses.append(status)
        assert len(body) == 1000 and headers["Content-Range"].startswith(f"bytes {start}-")
    return statuses


def test_twenty_uploads_and_ten_browsing_players_at_once(live_database):  # noqa: F811
    bureau = build_bureau()
    uploader_tokens = [issue_api_token(bureau.officer) for _ in range(UPLOADS)]
    player_tokens = [issue_api_token(bureau.officer) for _ in range(CLIENTS)]
    served = start_serve(live_database, "--workers", "2", "--threads", "8", "--no-scheduler")
    try:
        played = os.urandom(256 * KiB)
        played_sha, statuses = _upload(served, uploader_tokens[0], played, "played.mp4")
        assert set(statuses) <= {201, 204}, statuses
        played_id = MediaItem.objects.get(sha256=played_sha).pk
        files = [os.urandom(CHUNKS * CHUNK - n) for n in range(UPLOADS)]

        with ThreadPoolExecutor(UPLOADS + CLIENTS) as pool:
            uploads = [
                pool.submit(_upload, served, uploader_tokens[n], files[n], f"DSJ_{n:04d}.mp4")
                for n in range(UPLOADS)
            ]
            players = [
                pool.submit(_browse, served, player_tokens[n], played_id, len(played), n)
                for n in range(CLIENTS)
            ]
            upload_results = [f.result() for f in uploads]
            player_results = [f.result() for f in players]
    finally:
        assert served.stop() == 0

    for data, (sha, statuses) in zip(files, upload_results, strict=True):
        assert set(statuses) <= {201, 204}, statuses
        assert sha == hashlib.sha256(data).hexdigest()
    for statuses in player_results:
        assert set(statuses) <= {200, 206}, statuses
    items = MediaItem.objects.all()
    assert items.count() == UPLOADS + 1
    assert items.values("sha256").distinct().count() == UPLOADS + 1
    assert {i.sha256 for i in items} == {played_sha} | {r[0] for r in upload_results}
    assert AuditEntry.objects.filter(action="media.ingest").count() == UPLOADS + 1
    plays = AuditEntry.objects.filter(action="media.play", object_id=str(played_id))
    assert plays.count() == CLIENTS  # one per client's playback, not one per range
    assert Upload.objects.exclude(state="complete").count() == 0
    assert not list((live_database.data_dir / "spool").glob("tus-*"))
