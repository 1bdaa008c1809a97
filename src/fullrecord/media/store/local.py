"""Originals as read-only files under ``<data dir>/store/originals/ab/cd/<sha256>``."""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import BinaryIO

from .base import BlobStore, StorageFull, StoreError, check_key


class LocalStore(BlobStore):
    name = "local"

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)

    def _path(self, sha256: str) -> Path:
        check_key(sha256)
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put_file(
        self, path: Path, sha256: str, size: int, *, retain_until: date | None = None
    ) -> bool:
        final = self._path(sha256)
        if final.exists():
            return False
        final.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.chmod(path, 0o444)
            try:
                os.link(path, final)  # atomic, and fails rather than overwrite
            except FileExistsError:
                return False
            except OSError as exc:
                if exc.errno != errno.EXDEV:
                    raise
                self._copy_across_devices(path, final)
            _fsync_dir(final.parent)
        except OSError as exc:
            if exc.errno == errno.ENOSPC:
                raise StorageFull from exc
            raise StoreError(str(exc)) from exc
        return True

    def _copy_across_devices(self, source: Path, final: Path) -> None:
        temp = final.with_name(final.name + ".incoming")
        try:
            with open(source, "rb") as src, open(temp, "xb") as dst:
                shutil.copyfileobj(src, dst, 1024 * 1024)
                dst.flush()
                os.fsync(dst.fileno())
            os.chmod(temp, 0o444)
            os.link(temp, final)
        finally:
            temp.unlink(missing_ok=True)

    def open(self, sha256: str) -> BinaryIO:
        try:
            return open(self._path(sha256), "rb")  # noqa: SIM115 - the caller closes it
        except FileNotFoundError as exc:
            raise StoreError(f"original {sha256} is missing from the store") from exc

    def size(self, sha256: str) -> int:
        return self._path(sha256).stat().st_size

    def exists(self, sha256: str) -> bool:
        return self._path(sha256).is_file()

    def local_path(self, sha256: str) -> Path | None:
        return self._path(sha256)

    def keys(self) -> Iterator[str]:
        for first in sorted(self.root.iterdir()):
            if not first.is_dir():
                continue
            for second in sorted(first.iterdir()):
                for entry in sorted(second.iterdir()):
                    if len(entry.name) == 64 and entry.is_file():
                        yield entry.name

    def health(self) -> dict:
        stats = os.statvfs(self.root)
        writable = os.access(self.root, os.W_OK)
        return {"ok": writable, "backend": self.name, "free_bytes": stats.f_bavail * stats.f_frsize}

    def _delete(self, sha256: str) -> None:
        self._path(sha256).unlink(missing_ok=True)


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
