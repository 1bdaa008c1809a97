"""The last step, bytes → evidence, fails cleanly: no client is told a failed upload is done,
and a stored original is never written to through the spool file it came from."""

from __future__ import annotations

import hashlib
import os

import pytest

from fullrecord.media import services, tus
from fullrecord.media.models import MediaItem, Upload
from fullrecord.media.store import get_store
from fullrecord.media.store.base import StorageFull

from .tus_helpers import Tus, metadata


def _bytes() -> tuple[bytes, str]:
    """Bytes the store has never seen (it outlives each test)."""
    data = os.urandom(300_000)
    return data, hashlib.sha256(data).hexdigest()


@pytest.fixture
def officer_tus(bureau):
    return Tus(bureau.officer)


def test_a_full_store_at_the_end_keeps_the_last_chunk_unacknowledged(officer_tus, monkeypatch):
    data, sha256 = _bytes()
    location = officer_tus.create(len(data), metadata(filename="x.mp4"))["Location"]
    officer_tus.patch(location, data[:100_000], 0)
    store = get_store()
    real_put = store.put_file

    def full(*args, **kwargs):
        raise StorageFull()

    monkeypatch.setattr(store, "put_file", full)
    response = officer_tus.patch(location, data[100_000:], 100_000)
    assert response.status_code == 507
    # HEAD does not say "all there", or a client would stop, believing it finished.
    assert officer_tus.head(location)["Upload-Offset"] == "100000"
    assert not MediaItem.objects.exists()

    monkeypatch.setattr(store, "put_file", real_put)
    again = officer_tus.patch(location, data[100_000:], 100_000)
    assert again.status_code == 204 and again["X-Media-Sha256"] == sha256


def test_a_finish_cut_short_after_the_store_linked_the_file_is_completed_later(
    officer_tus, monkeypatch
):
    data, sha256 = _bytes()
    location = officer_tus.create(len(data), metadata(filename="x.mp4"))["Location"]
    officer_tus.patch(location, data[:100_000], 0)
    upload = Upload.objects.get()
    store = get_store()
    if store.local_path(sha256) is None:
        pytest.skip("the store in use does not link files")

    def crash_after_link(spooled, **kwargs):
        # What a worker killed between the store's link and the unlink of the spool leaves.
        final = store.local_path(sha256)
        final.parent.mkdir(parents=True, exist_ok=True)
        os.link(spooled.path, final)
        raise SystemExit("worker killed")

    monkeypatch.setattr(services, "ingest_spooled", crash_after_link)
    with pytest.raises(SystemExit):
        officer_tus.patch(location, data[100_000:], 100_000)
    monkeypatch.undo()
    assert os.stat(tus.spool_path(upload.pk)).st_nlink == 2

    # The client comes back with the offset it last heard; nothing is written to the
    # linked file, the upload is finished from what it holds.
    response = officer_tus.patch(location, data[100_000:], 100_000)
    assert response.status_code == 204
    assert response["X-Media-Sha256"] == sha256
    with store.open(sha256) as original:
        assert original.read() == data
    assert not tus.spool_path(upload.pk).exists()


def test_a_store_that_cannot_be_reached_keeps_the_received_bytes_for_later(
    officer_tus, monkeypatch
):
    from fullrecord.media.store import StoreError

    data, sha256 = _bytes()
    location = officer_tus.create(len(data), metadata(filename="x.mp4"))["Location"]
    officer_tus.patch(location, data[:100_000], 0)
    store = get_store()

    def unreachable(*args, **kwargs):
        raise StoreError("connection refused")

    monkeypatch.setattr(store, "put_file", unreachable)
    response = officer_tus.patch(
        location, data[100_000:], 100_000, **{"Accept-Language": "zh-hans"}
    )
    assert response.status_code == 503 and response["Retry-After"]
    assert "证据存储暂时无法接收" in response.content.decode()
    # Not acknowledged while the store is away, and nothing received is thrown away.
    assert officer_tus.head(location)["Upload-Offset"] == "100000"
    assert Upload.objects.get().sha256 == sha256
    assert not MediaItem.objects.exists()

    monkeypatch.undo()
    head = officer_tus.head(location)  # the client's next look finishes it
    assert head["Upload-Offset"] == str(len(data)) and head["X-Media-Sha256"] == sha256
    with store.open(sha256) as original:
        assert original.read() == data
