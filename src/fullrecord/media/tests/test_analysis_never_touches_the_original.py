"""Analysis only reads (第十八条第二项): the store is never written, the bytes never change."""

from __future__ import annotations

import hashlib
import os

import pytest
from django.utils import translation

from fullrecord.media import analysis
from fullrecord.media.choices import ProbeStatus
from fullrecord.media.spool import spool_dir
from fullrecord.media.store import get_store

pytestmark = pytest.mark.django_db


class ReadOnlyStore:
    """The real store, with every writing call refused and noted; optionally without local
    paths, like the S3 backend."""

    def __init__(self, store, *, local: bool = True):
        self._store = store
        self._local = local
        self.writes: list[str] = []
        self.opened: list[str] = []

    def __getattr__(self, name):
        return getattr(self._store, name)

    def put_file(self, *args, **kwargs):
        self.writes.append("put_file")
        raise AssertionError("analysis wrote to the evidence store")

    def _delete(self, *args, **kwargs):
        self.writes.append("_delete")
        raise AssertionError("analysis deleted from the evidence store")

    def local_path(self, sha256):
        return self._store.local_path(sha256) if self._local else None

    def open(self, sha256):
        self.opened.append(sha256)
        return self._store.open(sha256)


def _fingerprint(item):
    path = get_store().local_path(item.sha256)
    stat = os.stat(path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return digest, stat.st_size, stat.st_mtime_ns, stat.st_mode, stat.st_ino


ALL_KINDS = [
    "h264_mp4",
    "mpeg4_avi",
    "wav_audio",
    "flac_audio",
    "exif_jpeg",
    "truncated_mp4",
    "truncated_faststart_mp4",
    "random_bytes",
    "corrupt_jpeg",
    "truncated_jpeg",
]


@pytest.mark.parametrize("fixture", ALL_KINDS)
def test_analysis_leaves_the_stored_bytes_exactly_as_they_were(
    request, ingest, monkeypatch, fixture
):
    item = ingest(request.getfixturevalue(fixture))
    before = _fingerprint(item)
    store = ReadOnlyStore(get_store())
    monkeypatch.setattr(analysis, "get_store", lambda: store)

    analysis.analyse_item(item)

    assert store.writes == []
    assert _fingerprint(item) == before
    assert before[0] == item.sha256
    assert get_store().verify(item.sha256)


@pytest.mark.parametrize("fixture", ["h264_mp4", "mpeg4_avi", "exif_jpeg", "random_bytes"])
def test_a_store_without_local_files_is_read_through_a_temporary_copy(
    request, analysed, ingest, monkeypatch, fixture
):
    source = request.getfixturevalue(fixture)
    expected = analysed(source)
    store = ReadOnlyStore(get_store(), local=False)
    monkeypatch.setattr(analysis, "get_store", lambda: store)
    leftovers_before = set(spool_dir().glob("analyse-*"))

    with translation.override("en"):
        status = analysis.analyse_item(expected)
    expected_after = type(expected).objects.get(pk=expected.pk)

    assert store.opened == [expected.sha256]
    assert store.writes == []
    assert status == expected.status
    assert expected_after.problem == expected.problem
    assert set(spool_dir().glob("analyse-*")) == leftovers_before  # the copy is gone


def test_an_original_missing_from_the_store_is_reported_not_raised(ingest, monkeypatch, tmp_path):
    source = tmp_path / "lost.bin"
    source.write_bytes(b"soon lost")
    item = ingest(source)

    class Gone(ReadOnlyStore):
        def local_path(self, sha256):
            return tmp_path / "nowhere"

    monkeypatch.setattr(analysis, "get_store", lambda: Gone(get_store()))

    with translation.override("en"):
        assert analysis.analyse_item(item) == ProbeStatus.UNPLAYABLE
    item.refresh_from_db()
    assert "missing from the evidence store" in item.problem
