"""The spool writer puts exactly the bytes given at the offset, direct or buffered."""

from __future__ import annotations

import errno
import os

import pytest

from fullrecord.media.tus_spool import ALIGN, SpoolWriter

CAPACITY = 4 * ALIGN


def _append(path, start: int, pieces: list[bytes]) -> SpoolWriter:
    fd = os.open(path, os.O_RDWR)
    writer = SpoolWriter(path, fd, start, CAPACITY)
    try:
        for piece in pieces:
            writer.write(piece)
        writer.finish()
    finally:
        writer.close()
        os.close(fd)
    return writer


@pytest.mark.parametrize("start", [0, 1, ALIGN - 1, ALIGN, 3 * ALIGN + 17])
@pytest.mark.parametrize("sizes", [[1], [ALIGN], [CAPACITY], [5000, 1, CAPACITY * 2 + 3, 77]])
def test_bytes_land_exactly_after_any_offset(tmp_path, start, sizes):
    path = tmp_path / "spool"
    prefix = os.urandom(start)
    path.write_bytes(prefix)
    pieces = [os.urandom(size) for size in sizes]
    _append(path, start, pieces)
    assert path.read_bytes() == prefix + b"".join(pieces)


def test_it_goes_direct_where_the_filesystem_allows(tmp_path):
    path = tmp_path / "spool"
    path.write_bytes(b"")
    writer = _append(path, 0, [b"x"])
    assert writer.end == 1  # direct or not depends on the filesystem; the bytes do not


def test_a_filesystem_refusing_o_direct_at_open_gets_buffered_writes(tmp_path, monkeypatch):
    real_open = os.open

    def refusing_open(path, flags, *args):
        if flags & os.O_DIRECT:
            raise OSError(errno.EINVAL, "no O_DIRECT here")
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", refusing_open)
    path = tmp_path / "spool"
    path.write_bytes(b"abc")
    data = os.urandom(CAPACITY * 3 + 5)
    fd = real_open(path, os.O_RDWR)
    writer = SpoolWriter(path, fd, 3, CAPACITY)
    assert not writer.direct
    writer.write(data)
    writer.finish()
    writer.close()
    os.close(fd)
    assert path.read_bytes() == b"abc" + data


def test_a_filesystem_refusing_the_direct_write_falls_back_mid_way(tmp_path, monkeypatch):
    path = tmp_path / "spool"
    path.write_bytes(b"")
    fd = os.open(path, os.O_RDWR)
    writer = SpoolWriter(path, fd, 0, CAPACITY)
    if not writer.direct:
        pytest.skip("this filesystem has no O_DIRECT")
    real_pwrite = os.pwrite

    def pwrite(target, data, position):
        if target == writer.direct_fd:
            raise OSError(errno.EINVAL, "not here")
        return real_pwrite(target, data, position)

    monkeypatch.setattr(os, "pwrite", pwrite)
    data = os.urandom(CAPACITY * 2 + 9)
    writer.write(data)
    writer.finish()
    writer.close()
    os.close(fd)
    assert not writer.direct
    assert path.read_bytes() == data
