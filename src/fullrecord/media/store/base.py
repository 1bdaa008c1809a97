from __future__ import annotations

import hashlib
import re
from abc import ABC, abstractmethod
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import BinaryIO

from django.utils.translation import gettext_lazy as _

CHUNK = 1024 * 1024
SHA256_RE = re.compile(r"^[0-9a-f]{64}$")


class StoreError(Exception):
    pass


class StoreUnavailable(StoreError):
    """The store does not answer (endpoint down, network cut, a 5xx): nothing is known about
    the original, so nothing may be concluded from it — not "missing", not "altered"."""


class StorageFull(StoreError):
    """The disk or bucket is full; nothing half-written is kept."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(
            message
            or str(_("The evidence store is full; nothing was stored. Tell the administrator."))
        )


def check_key(sha256: str) -> str:
    if not SHA256_RE.match(sha256):
        raise StoreError(f"not a SHA-256 hex digest: {sha256!r}")
    return sha256


class BlobStore(ABC):
    """What every backend offers. There is deliberately no overwrite."""

    name: str

    @abstractmethod
    def put_file(
        self, path: Path, sha256: str, size: int, *, retain_until: date | None = None
    ) -> bool:
        """Take the spooled file at ``path`` (already hashed) into the store.

        Returns False when those bytes were already stored. The spool file is always
        left where it is: the caller removes it only once the database row naming the
        original is committed, so a crash in between leaves the bytes findable (the
        local store links the same inode, so the spool file becomes read-only).
        ``retain_until`` is the record's keep-until date; a backend that can lock
        (S3 Object Lock) locks the original at least that long. On an error nothing
        is stored.
        """

    @abstractmethod
    def open(self, sha256: str) -> BinaryIO:
        """A seekable, read-only binary stream of the original; StoreError when missing."""

    @abstractmethod
    def size(self, sha256: str) -> int: ...

    @abstractmethod
    def exists(self, sha256: str) -> bool: ...

    @abstractmethod
    def keys(self) -> Iterator[str]:
        """Every stored original's hash."""

    def local_path(self, sha256: str) -> Path | None:
        """A path on this machine when the backend has one (lets FFmpeg read directly)."""
        return None

    def iter_range(
        self, sha256: str, start: int, length: int, chunk: int = 256 * 1024
    ) -> Iterator[bytes]:
        with self.open(sha256) as handle:
            handle.seek(start)
            remaining = length
            while remaining > 0:
                block = handle.read(min(chunk, remaining))
                if not block:
                    break
                remaining -= len(block)
                yield block

    def verify(self, sha256: str) -> bool:
        """Re-hash the stored bytes (fixity check)."""
        digest = hashlib.sha256()
        with self.open(sha256) as handle:
            while block := handle.read(CHUNK):
                digest.update(block)
        return digest.hexdigest() == sha256

    @abstractmethod
    def health(self) -> dict: ...

    def lock(self, sha256: str, *, until: date | None, legal_hold: bool) -> None:  # noqa: B027
        """Keep the store's own lock in step with retention (第十八条第二项): extend the
        original's retention to ``until`` (never shorten it) and set or clear its legal
        hold. A store without locks (the local directory) has nothing to do; the database
        triggers and the sweep's approvals are its protection."""

    @abstractmethod
    def _delete(self, sha256: str) -> None:
        """Only ``retention`` may call this, after an approved sweep (第十八条第五项)."""
