"""The scale-out mode in small (what `make scale-demo` runs): two real ``fullrecord serve``
web processes on one database and one Ceph RGW. A file uploaded through the first is
played back through the second, and its original is a locked object in the bucket, not a
file on either web process's disk."""

from __future__ import annotations

import hashlib
import os

from fullrecord.accounts.services import issue_api_token
from fullrecord.core.testing.liveserve import start_serve
from fullrecord.core.testing.liveworkers import _live_template, live_database  # noqa: F401
from fullrecord.core.testing.personas import build_bureau
from fullrecord.media.models import MediaItem
from fullrecord.media.store.s3 import S3Store

from .conftest import ACCESS_KEY, SECRET_KEY


def test_an_upload_through_one_web_process_is_read_through_the_other_from_ceph(
    live_database,  # noqa: F811
    s3_server,
):
    bucket = s3_server.new_bucket()
    s3_env = {
        "FULLRECORD_STORAGE": "s3",
        "FULLRECORD_S3_ENDPOINT": s3_server.endpoint_url,
        "FULLRECORD_S3_BUCKET": bucket,
        "FULLRECORD_S3_ACCESS_KEY": ACCESS_KEY,
        "FULLRECORD_S3_SECRET_KEY": SECRET_KEY,
    }
    token = issue_api_token(build_bureau().officer)
    first, second = (
        start_serve(live_database, "--workers", "1", "--no-worker", "--no-scheduler", **s3_env)
        for _ in range(2)
    )
    data = os.urandom(300_000)
    sha256 = hashlib.sha256(data).hexdigest()
    auth = {"Authorization": f"Token {token}", "Tus-Resumable": "1.0.0"}
    try:
        status, headers, body = first.request(
            "POST", "/api/uploads/", {**auth, "Upload-Length": str(len(data))}
        )
        assert status == 201, body
        location = "/" + headers["Location"].split("/", 3)[3]
        status, headers, body = first.request(
            "PATCH",
            location,
            {**auth, "Content-Type": "application/offset+octet-stream", "Upload-Offset": "0"},
            data,
        )
        assert status == 204, body
        assert headers["X-Media-Sha256"] == sha256
        item = MediaItem.objects.get(sha256=sha256)

        status, headers, body = second.request(
            "GET", f"/api/media/{item.pk}/content", {**auth, "Range": "bytes=1000-1999"}
        )
        assert status == 206, body
        assert body == data[1000:2000]

        store = S3Store(**s3_server.settings(bucket))
        head = store.client.head_object(Bucket=bucket, Key=store.key(sha256))
        assert head["ObjectLockMode"] == "COMPLIANCE"
        assert head["ContentLength"] == len(data)
        assert not list((live_database.data_dir / "store").rglob(sha256))
    finally:
        for served in (first, second):
            assert served.stop() == 0
