"""The object store unreachable (issue 15's fault test), against the real Ceph RGW.

The application reaches RGW through a gate (``gate.py``); closing it leaves a port where
nothing listens. While it is closed: ``/readyz`` says not ready, the last PATCH of a tus
upload answers 503 with ``Retry-After`` and a message in Chinese, no item is recorded and
nothing is in the bucket, and the bytes stay with their upload (not an orphan spool file).
Opened again: ``/readyz`` is ready, the same PATCH sent again finishes the upload with the
right SHA-256, the original is locked in the bucket, and the spool file is gone. An original
asked for while the store is down is a 503 too, not a lost original: nothing is marked
missing or recorded.
"""

from __future__ import annotations

import hashlib
import os
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.utils import translation

from fullrecord.audit.models import AuditEntry
from fullrecord.media import fixity, tus
from fullrecord.media.choices import FixityStatus
from fullrecord.media.fixity import StoreDown
from fullrecord.media.models import MediaItem, Upload
from fullrecord.media.store import StoreUnavailable, get_store
from fullrecord.media.store.s3 import S3Store

from ..tus_helpers import Tus, metadata
from .gate import Gate


@pytest.fixture
def gated_s3(settings, s3_server, tmp_path):
    url = urlsplit(s3_server.endpoint_url)
    gate = Gate((url.hostname, url.port))
    gate.open()
    bucket = s3_server.new_bucket()
    settings.FULLRECORD_STORAGE = {
        "backend": "s3",
        "root": tmp_path / "unused",
        "s3": s3_server.settings(bucket, endpoint_url=gate.endpoint_url),
    }
    get_store.cache_clear()
    yield gate, bucket
    get_store.cache_clear()
    gate.close()


def _objects(s3_server, bucket: str) -> list[str]:
    """What the bucket holds, asked of RGW directly (not through the gate)."""
    answer = s3_server.client().list_object_versions(Bucket=bucket)
    return [v["Key"] for v in answer.get("Versions", [])]


def test_an_unreachable_store_refuses_the_finish_cleanly_and_the_upload_completes_after(
    gated_s3, s3_server, bureau
):
    gate, bucket = gated_s3
    probe = Client()
    officer = Tus(bureau.officer)
    data = os.urandom(600_000)
    sha256 = hashlib.sha256(data).hexdigest()
    half = len(data) // 2
    location = officer.create(len(data), metadata(filename="现场.mp4"))["Location"]
    upload = Upload.objects.get(pk=location.rsplit("/", 1)[1])
    assert officer.patch(location, data[:half], 0).status_code == 204
    assert probe.get("/readyz").status_code == 200

    gate.close()

    ready = probe.get("/readyz")
    assert ready.status_code == 503
    assert ready.json()["storage"]["ok"] is False
    response = officer.patch(location, data[half:], half)
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    with translation.override("zh-hans"):  # the client asked for no language: the default
        assert response.content.decode() == str(tus.STORE_UNAVAILABLE)
    assert "证据存储" in response.content.decode()
    # Nothing recorded as stored, nothing stored; the bytes are kept with their upload.
    assert not MediaItem.objects.exists()
    assert _objects(s3_server, bucket) == []
    upload.refresh_from_db()
    assert upload.state == "receiving" and upload.item_id is None
    assert upload.offset == half  # the last chunk is not acknowledged
    assert tus.spool_path(upload.pk).stat().st_size == len(data)
    # A client asking where it stands is answered, not given a crash page.
    head = officer.head(location)
    assert head.status_code == 200 and head["Upload-Offset"] == str(half)

    gate.open()

    assert probe.get("/readyz").status_code == 200
    again = officer.patch(location, data[half:], half)
    assert again.status_code == 204, again.content
    assert again["X-Media-Sha256"] == sha256
    item = MediaItem.objects.get()
    assert (item.sha256, item.size) == (sha256, len(data))
    assert not tus.spool_path(upload.pk).exists()
    store = get_store()
    assert isinstance(store, S3Store)
    head = s3_server.client().head_object(Bucket=bucket, Key=store.key(sha256))
    assert head["ObjectLockMode"] == "COMPLIANCE"
    assert store.verify(sha256)


def test_an_upload_begun_while_the_store_is_down_finishes_once_it_is_back(
    gated_s3, s3_server, bureau
):
    gate, bucket = gated_s3
    gate.close()
    officer = Tus(bureau.officer)
    data = os.urandom(200_000)
    # Receiving needs no store: the whole upload is taken in, only its finish waits.
    created = officer.create_with(len(data), data)
    assert created.status_code == 503
    location = created["Location"]
    assert not MediaItem.objects.exists()
    assert _objects(s3_server, bucket) == []

    gate.open()

    # The client's HEAD alone finishes it: every byte had arrived.
    head = officer.head(location)
    assert head.status_code == 200
    assert head["Upload-Offset"] == str(len(data))
    assert head["X-Media-Sha256"] == hashlib.sha256(data).hexdigest()
    assert MediaItem.objects.get().sha256 == hashlib.sha256(data).hexdigest()


def test_an_original_asked_for_while_the_store_is_down_is_a_503_and_not_marked_missing(
    gated_s3, s3_server, bureau, api_client
):
    gate, _bucket = gated_s3
    data = os.urandom(100_000)
    _location, done = Tus(bureau.officer).upload(data, chunk=len(data))
    item = MediaItem.objects.get(pk=done["X-Media-Id"])
    api_client.force_authenticate(bureau.officer)
    url = f"/api/media/{item.pk}/content"
    entries = AuditEntry.objects.count()

    gate.close()

    response = api_client.get(url, HTTP_RANGE="bytes=0-999")
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    with translation.override("zh-hans"):
        assert response.json()["detail"] == str(StoreDown().detail)
    # Not evidence of a lost original: no fixity mark, no entry, and the check refuses
    # to conclude anything rather than mark every original missing.
    with pytest.raises(StoreUnavailable):
        fixity.check_originals()
    item.refresh_from_db()
    assert item.fixity == FixityStatus.UNCHECKED
    assert AuditEntry.objects.count() == entries

    gate.open()

    response = api_client.get(url, HTTP_RANGE="bytes=0-999")
    assert response.status_code == 206
    assert b"".join(response.streaming_content) == data[:1000]
    assert fixity.check_originals().problems() == []
