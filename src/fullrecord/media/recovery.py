"""Healing what a crash in a finish leaves behind: received evidence never stays untracked.

A finish stores the original before it commits the row naming it, and removes the
spool file only after that commit (see ``tus`` and ``services.ingest_spooled``). So a
process killed in between leaves bytes that no record names yet, in the spool, the
store or both. :func:`adopt_orphans`, run by the hourly upload sweep
(``tasks.expire_uploads``), finds them:

* an upload whose bytes all arrived (its hash recorded) but which is not closed is
  finished from its spool file or, when that is gone, from the stored blob, exactly as
  a HEAD from its client would;
* a store file no item names is adopted into the upload that received those bytes; one
  that no upload claims (a ``fullrecord ingest`` killed before its commit, or a row lost
  with the last commits before a power cut on an old setting) is listed for the
  archivist: logged as an error and returned, and ``fullrecord verify`` lists it too;
* the spool file of an upload that was closed before its process could remove it is
  removed.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from .choices import UploadState
from .models import DeletionPermit, MediaItem, Upload
from .spool import spool_dir
from .store import get_store
from .tus import resume_finish, spool_path

log = logging.getLogger(__name__)

BATCH = 500


def _batched(keys, size: int):
    keys = iter(keys)
    while batch := list(islice(keys, size)):
        yield batch


@dataclass
class Adoption:
    """What one sweep did; ``unclaimed`` is for the archivist to look at."""

    finished: list[uuid.UUID] = field(default_factory=list)
    unclaimed: list[str] = field(default_factory=list)
    removed_spools: list[Path] = field(default_factory=list)


def adopt_orphans() -> Adoption:
    """Finish, adopt or list every original the database does not name yet."""
    report = Adoption()
    _finish_received_uploads(report)
    _adopt_store_files(report)
    _remove_spools_of_closed_uploads(report)
    for sha256 in report.unclaimed:
        log.error(
            "store file %s is named by no record and claimed by no upload; "
            "the archivist should take it in (fullrecord ingest) or account for it",
            sha256,
        )
    if report.finished:
        log.warning("finished %d upload(s) a crash had stopped", len(report.finished))
    return report


def _finish(upload: Upload, report: Adoption) -> bool:
    done = resume_finish(upload)
    if done.state == UploadState.COMPLETE:
        report.finished.append(upload.pk)
        return True
    return False


def _finish_received_uploads(report: Adoption) -> None:
    """Uploads with every byte received whose finish stopped (hash recorded, not closed)."""
    waiting = Upload.objects.filter(state=UploadState.RECEIVING).exclude(sha256="")
    for upload in waiting.select_related("created_by", "case").iterator():
        _finish(upload, report)
    # A finish stopped by a version that recorded no hash, after the store linked the
    # spool file: the link count says the whole file is in the store.
    for path in spool_dir().glob("tus-*.part"):
        try:
            upload_id = uuid.UUID(path.name[4:-5])
            linked = path.stat().st_nlink > 1
        except (ValueError, OSError):
            continue
        if linked:
            upload = Upload.objects.filter(
                pk=upload_id, state=UploadState.RECEIVING, sha256=""
            ).first()
            if upload is not None:
                _finish(upload, report)


def _adopt_store_files(report: Adoption) -> None:
    """Store files no item names: into the upload that received them, or listed."""
    store = get_store()
    for batch in _batched(store.keys(), BATCH):
        keys = set(batch)
        keys -= set(MediaItem.objects.filter(sha256__in=keys).values_list("sha256", flat=True))
        if not keys:
            continue
        # A deletion permitted by the retention sweep whose file is not yet removed.
        keys -= set(DeletionPermit.objects.filter(sha256__in=keys).values_list("sha256", flat=True))
        for sha256 in sorted(keys):
            upload = (
                Upload.objects.filter(sha256=sha256, state=UploadState.RECEIVING)
                .select_related("created_by", "case")
                .first()
            )
            if upload is None or not _finish(upload, report):
                report.unclaimed.append(sha256)


def _remove_spools_of_closed_uploads(report: Adoption) -> None:
    """A process killed between the commit and the spool file's removal left it behind."""
    store = get_store()
    closed = Upload.objects.filter(state=UploadState.COMPLETE).select_related("item")
    for path in spool_dir().glob("tus-*.part"):
        try:
            upload_id = uuid.UUID(path.name[4:-5])
        except ValueError:
            continue
        upload = closed.filter(pk=upload_id).first()
        if upload is not None and upload.item is not None and store.exists(upload.item.sha256):
            spool_path(upload_id).unlink(missing_ok=True)
            report.removed_spools.append(path)
