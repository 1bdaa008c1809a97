"""The periodic sweep: work a crash left undone, files a crash left behind.

A process killed at the wrong moment leaves two kinds of debris that nothing
else would ever notice:

- **An item never analysed.** The item is committed, then its analysis is queued
  (``transaction.on_commit``); a crash between the two leaves it 分析中 for good.
  The sweep queues analysis for every item still pending after ``GRACE`` that has
  no analysis task waiting, running or failed (a failed one is the
  administrator's to look at, in 后台任务, not to retry for ever).
- **Part files.** ``spool/<uuid>.part`` (``fullrecord ingest`` or a form upload
  killed mid-copy), ``spool/tus-<id>.part`` whose upload is gone,
  ``spool/analyse-*`` (analysis of an original fetched from S3),
  ``derived/…/.<name>.<hex>.part`` (a killed transcode or thumbnail) and
  ``spool/work-<uuid>.dir/`` (a killed watermarked copy or export; its ``.lock``
  is the lock, and the directory goes whole).

Whoever writes such a file holds an exclusive ``flock`` on it for as long as it
is in use, and the kernel drops the lock when the process dies, however it dies.
So a part file is live work exactly when it is locked. The sweep removes a part
file only when it can take the lock itself and the file is older than ``GRACE``
(which covers the instant between creating a file and locking it, and the
seconds between writing a spool file and linking it into the store). A tus
spool file of an upload still receiving is left to the tus expiry, whose rules
(``Upload-Expires``) the client was told.
"""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus

from .choices import ProbeStatus, UploadState
from .models import MediaItem, Upload
from .spool import WORK_DIR_GLOB, WORK_DIR_LOCK

log = logging.getLogger(__name__)

GRACE = timedelta(hours=1)
ANALYSIS_TASK = "fullrecord.media.tasks.analyse_media"


@dataclass
class SweepReport:
    queued: list[int] = field(default_factory=list)  # items whose analysis was queued
    removed: list[str] = field(default_factory=list)  # part files removed (data-dir relative)
    live: int = 0  # part files kept because live work holds them

    def as_dict(self) -> dict:
        return {"queued": self.queued, "removed": self.removed, "live": self.live}


def sweep(now: datetime | None = None) -> SweepReport:
    now = now or timezone.now()
    report = SweepReport()
    report.queued = queue_unanalysed(now)
    remove_orphan_parts(now, report)
    if report.queued or report.removed:
        log.warning(
            "sweep: queued analysis of %d item(s) %s; removed %d orphan part file(s): %s",
            len(report.queued),
            report.queued,
            len(report.removed),
            ", ".join(report.removed),
        )
    return report


# ---------------------------------------------------------------- unqueued analysis


def queue_unanalysed(now: datetime) -> list[int]:
    """Queue analysis of items pending past ``GRACE`` with no analysis task in hand."""
    from django_tasks_db.models import DBTaskResult

    from .signals import item_received

    pending = list(
        MediaItem.objects.filter(status=ProbeStatus.PENDING, received_at__lt=now - GRACE)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not pending:
        return []
    in_hand = set()
    for args_kwargs in DBTaskResult.objects.filter(
        task_path=ANALYSIS_TASK,
        status__in=[
            TaskResultStatus.READY,
            TaskResultStatus.RUNNING,
            TaskResultStatus.FAILED,
        ],
    ).values_list("args_kwargs", flat=True):
        args = (args_kwargs or {}).get("args") or []
        kwargs = (args_kwargs or {}).get("kwargs") or {}
        in_hand.update(args[:1])
        if "item_id" in kwargs:
            in_hand.add(kwargs["item_id"])
    queued = []
    for item_id in pending:
        if item_id not in in_hand:
            item_received.send(sender=MediaItem, item_id=item_id)  # queues its analysis
            queued.append(item_id)
    return queued


# ---------------------------------------------------------------- part files


def part_files() -> Iterator[tuple[Path, str, str]]:
    """Every part file a crash may leave: its path, the work that writes it, its report name."""
    spool = Path(settings.FULLRECORD_SPOOL_DIR)
    if spool.is_dir():
        for path in sorted(spool.glob("tus-*.part")):
            yield path, "tus", f"spool/{path.name}"
        for path in sorted(spool.glob("*.part")):
            if not path.name.startswith("tus-"):
                yield path, "spool", f"spool/{path.name}"
        for path in sorted(spool.glob("analyse-*")):
            yield path, "analysis", f"spool/{path.name}"
    derived = Path(settings.FULLRECORD_DERIVED_DIR)
    if derived.is_dir():
        for path in sorted(derived.glob("*/*/.*.part")):
            yield path, "derived", f"derived/{path.relative_to(derived)}"


def remove_orphan_parts(now: datetime, report: SweepReport) -> None:
    cutoff = (now - GRACE).timestamp()
    receiving = _receiving_uploads()
    _remove_orphan_work_dirs(cutoff, report)
    for path, kind, name in part_files():
        if not path.is_file():
            continue
        if kind == "tus" and _upload_id(path) in receiving:
            continue  # the tus expiry decides, by the date the client was told
        outcome = _remove_if_orphan(path, cutoff)
        if outcome == "live":
            report.live += 1
        elif outcome == "removed":
            report.removed.append(name)


def _remove_orphan_work_dirs(cutoff: float, report: SweepReport) -> None:
    """Scratch directories (``spool.work_dir``) whose lock no process holds any more."""
    spool = Path(settings.FULLRECORD_SPOOL_DIR)
    if not spool.is_dir():
        return
    for directory in sorted(spool.glob(WORK_DIR_GLOB)):
        lock = directory / WORK_DIR_LOCK
        if not lock.exists():  # made but not yet locked, or half removed: age decides
            if directory.stat().st_mtime <= cutoff:
                shutil.rmtree(directory, ignore_errors=True)
                report.removed.append(f"spool/{directory.name}/")
            continue
        outcome = _remove_if_orphan(lock, cutoff)
        if outcome == "live":
            report.live += 1
        elif outcome == "removed":
            shutil.rmtree(directory, ignore_errors=True)
            report.removed.append(f"spool/{directory.name}/")


def _receiving_uploads() -> set[uuid.UUID]:
    return set(Upload.objects.filter(state=UploadState.RECEIVING).values_list("pk", flat=True))


def _upload_id(path: Path) -> uuid.UUID | None:
    try:
        return uuid.UUID(path.name[len("tus-") : -len(".part")])
    except ValueError:
        return None


def _remove_if_orphan(path: Path, cutoff: float) -> str:
    """ "removed", "live" (someone holds its lock), "young" or "gone"."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return "gone"
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return "live"
        if os.fstat(fd).st_mtime > cutoff:
            return "young"
        # Still the same file under that name (not replaced since we opened it)?
        try:
            if os.stat(path, follow_symlinks=False).st_ino != os.fstat(fd).st_ino:
                return "gone"
        except FileNotFoundError:
            return "gone"
        path.unlink(missing_ok=True)
        return "removed"
    finally:
        os.close(fd)
