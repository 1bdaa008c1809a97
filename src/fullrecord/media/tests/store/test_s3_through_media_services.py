"""FULLRECORD_STORAGE=s3 end to end: ingest through the media services, play back by range."""

from __future__ import annotations

import pytest

from fullrecord.media.models import MediaItem
from fullrecord.media.services import ingest_spooled
from fullrecord.media.spool import spool_chunks
from fullrecord.media.store import get_store
from fullrecord.media.store.s3 import S3Store

from .conftest import make_sample


@pytest.fixture
def s3_backend(settings, s3_server, tmp_path):
    bucket = s3_server.new_bucket()
    settings.FULLRECORD_STORAGE = {
        "backend": "s3",
        "root": tmp_path / "unused",
        "s3": s3_server.settings(bucket),
    }
    get_store.cache_clear()
    yield bucket
    get_store.cache_clear()


def test_an_ingested_original_is_locked_in_s3_and_plays_back_by_range(
    s3_backend, bureau, api_client
):
    clip = make_sample(400_000, seed=42)
    chunks = [clip.data[i : i + 65_536] for i in range(0, len(clip.data), 65_536)]
    spooled = spool_chunks(chunks)

    result = ingest_spooled(
        spooled, actor=bureau.officer, original_name="执法记录.mp4", source="upload"
    )

    assert result.created
    assert not spooled.path.exists()
    store = get_store()
    assert isinstance(store, S3Store) and store.bucket == s3_backend
    assert store.local_path(clip.sha256) is None
    head = store.client.head_object(Bucket=s3_backend, Key=store.key(clip.sha256))
    assert head["ObjectLockMode"] == "COMPLIANCE"

    api_client.force_authenticate(bureau.officer)
    url = f"/api/media/{result.item.pk}/content"
    response = api_client.get(url, HTTP_RANGE="bytes=1000-1999")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 1000-1999/{len(clip.data)}"
    assert b"".join(response.streaming_content) == clip.data[1000:2000]

    response = api_client.get(url, HTTP_RANGE="bytes=-100")
    assert response.status_code == 206
    assert b"".join(response.streaming_content) == clip.data[-100:]

    response = api_client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == clip.data

    response = api_client.get(url, HTTP_RANGE=f"bytes={len(clip.data)}-")
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(clip.data)}"


def test_the_same_bytes_twice_are_one_item_and_one_object(s3_backend, bureau):
    clip = make_sample(10_000, seed=5)

    first = ingest_spooled(
        spool_chunks([clip.data]), actor=bureau.officer, original_name="a.mp4", source="upload"
    )
    second = ingest_spooled(
        spool_chunks([clip.data]), actor=bureau.officer, original_name="b.mp4", source="upload"
    )

    assert first.created and not second.created
    assert MediaItem.objects.filter(sha256=clip.sha256).count() == 1
    assert list(get_store().keys()) == [clip.sha256]
