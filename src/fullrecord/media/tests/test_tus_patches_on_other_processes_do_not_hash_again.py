"""A PATCH that reaches another process (its in-memory hash cache empty) continues from the
running SHA-256 the previous PATCH left on the spool file, without reading the bytes
received before; a missing, stale or damaged saved state falls back to hashing them from
disk, and the original in the store carries nothing of it."""

from __future__ import annotations

import hashlib
import os

import pytest

from fullrecord.media import sha256state, tus
from fullrecord.media.models import MediaItem, Upload
from fullrecord.media.store import get_store

from .tus_helpers import Tus

DATA = os.urandom(3 * tus.BLOCK + 12345)
CUTS = [0, 777, tus.BLOCK + 5, 2 * tus.BLOCK, len(DATA)]

pytestmark = pytest.mark.skipif(not sha256state.AVAILABLE, reason="needs libcrypto")


@pytest.fixture
def officer_tus(bureau):
    return Tus(bureau.officer)


def _never_rehash(monkeypatch):
    def refuse(path, limit):
        if limit:
            raise AssertionError(f"the first {limit} bytes were read again")
        return sha256state.new()

    monkeypatch.setattr(tus, "_hash_prefix", refuse)


def test_each_patch_on_a_fresh_process_reads_nothing_already_received(officer_tus, monkeypatch):
    _never_rehash(monkeypatch)
    location = officer_tus.create(len(DATA))["Location"]
    for start, end in zip(CUTS, CUTS[1:], strict=False):
        tus._hashes.clear()  # another gunicorn worker took the previous PATCH
        response = officer_tus.patch(location, DATA[start:end], start)
        assert response.status_code == 204
    assert response["X-Media-Sha256"] == hashlib.sha256(DATA).hexdigest()
    item = MediaItem.objects.get()
    stored = get_store().local_path(item.sha256)
    if stored is not None:
        with pytest.raises(OSError):
            os.getxattr(stored, sha256state.ATTRIBUTE)


@pytest.mark.parametrize("damage", ["flip a byte", "another offset", "removed", "truncated"])
def test_a_bad_saved_state_is_not_trusted(officer_tus, damage):
    location = officer_tus.create(len(DATA))["Location"]
    officer_tus.patch(location, DATA[:5000], 0)
    path = tus.spool_path(Upload.objects.get().pk)
    value = bytearray(os.getxattr(path, sha256state.ATTRIBUTE))
    if damage == "flip a byte":
        value[40] ^= 0xFF
        os.setxattr(path, sha256state.ATTRIBUTE, bytes(value))
    elif damage == "another offset":  # intact, but for an offset the row never reached
        fd = os.open(path, os.O_RDONLY)
        try:
            other = sha256state.new()
            other.update(DATA[:4999])
            sha256state.save(fd, 4999, other)
        finally:
            os.close(fd)
    elif damage == "removed":
        os.removexattr(path, sha256state.ATTRIBUTE)
    else:
        os.setxattr(path, sha256state.ATTRIBUTE, bytes(value[:50]))
    tus._hashes.clear()
    response = officer_tus.patch(location, DATA[5000:], 5000)
    assert response["X-Media-Sha256"] == hashlib.sha256(DATA).hexdigest()


def test_the_state_round_trips_at_any_cut(tmp_path):
    path = tmp_path / "f"
    path.write_bytes(b"")
    fd = os.open(path, os.O_RDWR)
    try:
        for cut in (0, 1, 63, 64, 65, 1000, 4096, len(DATA) - 1):
            first = sha256state.new()
            first.update(DATA[:cut])
            assert sha256state.save(fd, cut, first)
            assert sha256state.load(fd, cut + 1) is None
            second = sha256state.load(fd, cut)
            second.update(memoryview(DATA)[cut:])
            assert second.hexdigest() == hashlib.sha256(DATA).hexdigest()
        sha256state.forget(fd)
        assert sha256state.load(fd, len(DATA) - 1) is None
    finally:
        os.close(fd)
