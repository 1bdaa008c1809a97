"""Writing a tus upload's bytes into its spool file, past the page cache when possible.

Large uploads are written with ``O_DIRECT`` from one page-aligned buffer: the bytes go
to the device at its own speed instead of piling up as dirty pages, where the kernel
throttles a writer to the pace of everything else being written back on the machine
(measured here: 1 GiB in 0.5 s direct, 1.5 to 9 s buffered under load), and a 4 GiB
upload does not push the rest of the page cache out. Where the filesystem refuses
``O_DIRECT`` the same calls fall back to ordinary buffered writes.

``O_DIRECT`` wants the buffer, the length and the file offset aligned. The writer
starts at the page boundary below the upload's offset (re-writing the bytes already
there, unchanged), writes whole buffers, and ends with a padded last page that is then
cut back to the true length.
"""

from __future__ import annotations

import contextlib
import errno
import mmap
import os

ALIGN = 4096


class SpoolWriter:
    """Appends to ``fd`` (the locked spool file) from ``start`` on; call :meth:`close`."""

    def __init__(self, path, fd: int, start: int, capacity: int) -> None:
        self.fd = fd
        self.end = start  # the logical end of what was handed to write()
        self.direct_fd: int | None = None
        self.buffer: mmap.mmap | None = None
        try:
            self.direct_fd = os.open(path, os.O_WRONLY | os.O_DIRECT)
        except (OSError, AttributeError):
            return
        self.capacity = max(ALIGN, capacity - capacity % ALIGN)
        self.buffer = mmap.mmap(-1, self.capacity)  # page-aligned by construction
        self.file_pos = start - start % ALIGN
        self.fill = start - self.file_pos
        if self.fill:
            self.buffer[: self.fill] = os.pread(fd, self.fill, self.file_pos)

    @property
    def direct(self) -> bool:
        return self.direct_fd is not None

    def write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            if self.buffer is None:
                self._write_buffered(view, self.end)
                self.end += len(view)
                return
            taken = view[: self.capacity - self.fill]
            self.buffer[self.fill : self.fill + len(taken)] = taken
            self.fill += len(taken)
            self.end += len(taken)
            view = view[len(taken) :]
            if self.fill == self.capacity:
                self._flush(self.capacity)

    def finish(self) -> None:
        """Put what is buffered on disk and make it durable."""
        if self.buffer is not None and self.fill:
            padded = -(-self.fill // ALIGN) * ALIGN
            self.buffer[self.fill : padded] = bytes(padded - self.fill)
            self._flush(padded)
            os.ftruncate(self.fd, self.end)
        os.fdatasync(self.fd)

    def close(self) -> None:
        if self.direct_fd is not None:
            os.close(self.direct_fd)
            self.direct_fd = None
        if self.buffer is not None:
            # A view of it may still be held by a traceback; the collector closes it then.
            with contextlib.suppress(BufferError):
                self.buffer.close()
            self.buffer = None

    def _flush(self, length: int) -> None:
        whole = memoryview(self.buffer)
        try:
            try:
                done = os.pwrite(self.direct_fd, whole[:length], self.file_pos)
            except OSError as exc:
                if exc.errno != errno.EINVAL:
                    raise
                done = 0  # accepted O_DIRECT at open but not this write
            if done >= self.fill:
                self.file_pos += length
                self.fill = 0
                return
            # Short or refused: write the rest buffered and stay buffered from here on.
            self._write_buffered(whole[done : self.fill], self.file_pos + done)
        finally:
            whole.release()
        self._to_buffered()

    def _to_buffered(self) -> None:
        self.close()
        self.fill = 0

    def _write_buffered(self, data, position: int) -> None:
        with memoryview(data) as view:
            done = 0
            while done < len(view):
                done += os.pwrite(self.fd, view[done:], position + done)
