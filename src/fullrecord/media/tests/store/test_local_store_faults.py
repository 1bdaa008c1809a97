"""The local store: read-only originals, a flipped byte caught, a full disk stores nothing."""

from __future__ import annotations

import errno
import os
import stat

import pytest

from fullrecord.media.store import StorageFull
from fullrecord.media.store import local as local_module


def test_it_keeps_originals_as_read_only_files_under_their_hash(local_store, sample):
    local_store.put_file(sample.spool(), sample.sha256, len(sample.data))
    sha = sample.sha256

    path = local_store.local_path(sha)
    assert path == local_store.root / sha[:2] / sha[2:4] / sha
    assert stat.S_IMODE(path.stat().st_mode) == 0o444


def test_verify_catches_a_flipped_byte(local_store, sample):
    local_store.put_file(sample.spool(), sample.sha256, len(sample.data))
    path = local_store.local_path(sample.sha256)
    os.chmod(path, 0o644)  # what only someone bypassing the application could do
    with open(path, "r+b") as handle:
        handle.seek(12_345)
        byte = handle.read(1)
        handle.seek(12_345)
        handle.write(bytes([byte[0] ^ 0x01]))

    assert local_store.verify(sample.sha256) is False


def test_a_full_disk_raises_storage_full_and_stores_nothing_half(local_store, sample, monkeypatch):
    spool = sample.spool()
    real_link = os.link

    def link_across_devices(source, target, *args, **kwargs):
        if os.fspath(source) == os.fspath(spool):
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        return real_link(source, target, *args, **kwargs)

    def copy_until_full(source, target, length=0):
        target.write(source.read(100_000))
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(local_module.os, "link", link_across_devices)
    monkeypatch.setattr(local_module.shutil, "copyfileobj", copy_until_full)

    with pytest.raises(StorageFull):
        local_store.put_file(spool, sample.sha256, len(sample.data))

    monkeypatch.undo()
    assert not local_store.exists(sample.sha256)
    assert list(local_store.keys()) == []
    leftovers = [p for p in local_store.root.rglob("*") if p.is_file()]
    assert leftovers == []
    # The spool file is still there for the caller to report on or retry with.
    assert spool.exists()
    # Once there is room again, the same bytes go in whole.
    assert local_store.put_file(spool, sample.sha256, len(sample.data)) is True
    assert local_store.verify(sample.sha256)
