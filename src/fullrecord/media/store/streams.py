"""Byte streams over S3 objects and file regions, in constant memory."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from typing import BinaryIO

from .base import StoreError

MIB = 1024 * 1024


class FileSlice:
    """``length`` bytes of an open file from ``start``: an upload body botocore can rewind."""

    def __init__(self, handle: BinaryIO, start: int, length: int) -> None:
        self._handle, self._start, self._length, self._pos = handle, start, length, 0

    def __len__(self) -> int:
        return self._length

    def read(self, size: int = -1) -> bytes:
        left = self._length - self._pos
        if size is None or size < 0 or size > left:
            size = left
        if size <= 0:
            return b""
        self._handle.seek(self._start + self._pos)
        data = self._handle.read(size)
        self._pos += len(data)
        return data

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self._pos, os.SEEK_END: self._length}[whence]
        self._pos = min(max(base + offset, 0), self._length)
        return self._pos

    def tell(self) -> int:
        return self._pos


class RangeReader(io.RawIOBase):
    """A seekable, read-only view of one object version made of ranged GETs.

    Sequential reads share one streamed GET per window; the window doubles while
    reading stays sequential (up to 16 MiB) and shrinks back after a seek, so a
    player or PyAV jumping around costs one small request per jump.
    """

    MAX_WINDOW = 16 * MIB

    def __init__(self, fetch, size: int, window: int) -> None:
        super().__init__()
        self._fetch, self._size = fetch, size
        self._first_window = self._window = max(window, 64 * 1024)
        self._pos = 0
        self._body = None
        self._left = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self._pos, os.SEEK_END: self._size}[whence]
        target = base + offset
        if target < 0:
            raise ValueError("negative seek position")
        if target != self._pos:
            self._drop()
            self._window = self._first_window
            self._pos = target
        return self._pos

    def readinto(self, buffer) -> int:
        if self.closed:
            raise ValueError("I/O operation on closed file")
        want = min(len(buffer), self._size - self._pos)
        if want <= 0:
            return 0
        if self._body is None:
            last = min(self._pos + self._window, self._size) - 1
            self._body = self._fetch(self._pos, last)
            self._left = last - self._pos + 1
        data = self._body.read(min(want, self._left))
        if not data:
            self._drop()
            raise StoreError("the S3 server ended a range early")
        count = len(data)
        buffer[:count] = data
        self._pos += count
        self._left -= count
        if self._left == 0:
            self._drop()
            self._window = min(self._window * 2, self.MAX_WINDOW)
        return count

    def _drop(self) -> None:
        if self._body is not None:
            self._body.close()
            self._body = None
            self._left = 0

    def close(self) -> None:
        self._drop()
        super().close()


def stream_body(body, chunk: int) -> Iterator[bytes]:
    try:
        yield from body.iter_chunks(chunk)
    finally:
        body.close()
