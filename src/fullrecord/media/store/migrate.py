"""Copying every original from one store into another (embedded → S3).

Resumable by construction: an original already in the target is skipped, and
one whose upload died half-way left nothing (its parts are aborted). Each
original is re-hashed while it is sent, so a local file that no longer matches
its name is reported, never copied.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from .base import BlobStore, StorageFull, StoreError
from .s3 import S3Store


@dataclass
class MigrationReport:
    copied: int = 0
    copied_bytes: int = 0
    present: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)


Progress = Callable[[str, int, str], None]  # (sha256, size, "copied" | "present" | "failed")


def copy_originals(
    source: BlobStore,
    target: S3Store,
    *,
    keep_until: Callable[[str], date | None] = lambda sha256: None,
    reread: bool = False,
    progress: Progress | None = None,
) -> MigrationReport:
    """Copy what ``target`` lacks; with ``reread``, read every original back from it."""
    target.require_object_lock()
    report = MigrationReport()
    originals = source.keys()
    for sha256 in originals:
        path = source.local_path(sha256)
        size = path.stat().st_size if path is not None else source.size(sha256)
        status = "present"
        try:
            if path is None:
                raise StoreError("the source store has no local files to copy from")
            if target.store_copy(path, sha256, size, retain_until=keep_until(sha256)):
                status = "copied"
                report.copied += 1
                report.copied_bytes += size
            else:
                report.present += 1
            if reread and not target.verify(sha256):
                raise StoreError("the copy in the target does not hash to its name")
        except StorageFull:
            raise
        except StoreError as exc:
            status = "failed"
            report.failed.append((sha256, str(exc)))
        if progress is not None:
            progress(sha256, size, status)
    return report
