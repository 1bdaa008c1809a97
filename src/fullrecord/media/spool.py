"""Receiving bytes: streamed to a spool file under the data dir while hashed.

Memory stays constant whatever the size: bytes pass through in blocks and are
never gathered. A full disk removes the partial file and raises StorageFull.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import os
import shutil
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.conf import settings

from .store.base import CHUNK, StorageFull


@dataclass(frozen=True)
class Spooled:
    path: Path
    sha256: str
    size: int


def spool_dir() -> Path:
    path = Path(settings.FULLRECORD_SPOOL_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


WORK_DIR_GLOB = "work-*.dir"
WORK_DIR_LOCK = ".lock"


@contextmanager
def work_dir() -> Iterator[Path]:
    """A scratch directory in the spool (a watermarked copy, an export being zipped),
    removed on the way out. Its ``.lock`` is held while in use, so the sweep
    (media/sweep.py) removes the directory of a killed process and never one in use."""
    path = spool_dir() / f"work-{uuid.uuid4().hex}.dir"
    path.mkdir()
    try:
        with open(path / WORK_DIR_LOCK, "wb") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def new_spool_path(suffix: str = ".part") -> Path:
    return spool_dir() / f"{uuid.uuid4().hex}{suffix}"


def spool_chunks(chunks: Iterable[bytes], *, max_size: int | None = None) -> Spooled:
    """Write ``chunks`` to a new spool file, hashing as they pass."""
    path = new_spool_path()
    digest = hashlib.sha256()
    size = 0
    try:
        with open(path, "xb", buffering=0) as handle:
            # Locked while written: the sweep (media/sweep.py) removes only unlocked parts.
            fcntl.flock(handle, fcntl.LOCK_EX)
            for block in chunks:
                if not block:
                    continue
                size += len(block)
                if max_size is not None and size > max_size:
                    raise ValueError("too large")
                digest.update(block)
                handle.write(block)
            os.fsync(handle.fileno())
    except OSError as exc:
        path.unlink(missing_ok=True)
        if exc.errno == errno.ENOSPC:
            raise StorageFull from exc
        raise
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return Spooled(path, digest.hexdigest(), size)


def spool_file(source: BinaryIO) -> Spooled:
    return spool_chunks(iter(lambda: source.read(CHUNK), b""))


def hash_file(path: Path, limit: int | None = None) -> tuple[hashlib._Hash, int]:
    """The running SHA-256 of the first ``limit`` bytes of ``path`` (all when None)."""
    digest = hashlib.sha256()
    done = 0
    with open(path, "rb") as handle:
        while limit is None or done < limit:
            want = CHUNK if limit is None else min(CHUNK, limit - done)
            block = handle.read(want)
            if not block:
                break
            digest.update(block)
            done += len(block)
    return digest, done
