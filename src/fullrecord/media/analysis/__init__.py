"""Looking inside an original: what it is, when and where it was recorded, and a way to play it.

Analysis only ever reads the original (第十八条第二项: it is never altered) —
straight from the store's file when the backend has one, else from a temporary
copy in the spool directory. What it learns goes on the MediaItem; the poster
frame, thumbnail and playable copy go to the derived-files directory, apart
from the evidence. Files that cannot be read are evidence too (第七条): they
are marked unplayable with the reason in plain words, never refused, and no
exception leaves :func:`analyse_item`.

Running it again gives the same result, so it can be re-run after an upgrade
or when a derived file is lost.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import shutil
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fullrecord.audit.services import record

from .. import derived
from ..choices import ProbeStatus
from ..models import Derivative, MediaItem
from ..spool import spool_dir
from ..store import get_store
from ..store.base import CHUNK
from .findings import Findings
from .parsing import bounded, parse_device_time, parse_iso6709, plain_error
from .photos import inspect_photo
from .streams import inspect_av

__all__ = ["analyse_item", "inspect_file", "parse_device_time", "parse_iso6709"]

log = logging.getLogger(__name__)

ANALYSIS_VERSION = 1


def analyse_item(item: MediaItem) -> str:
    """Probe ``item``'s original, make its derived files, record what was found.

    Returns the new playback status. Long work (decoding, transcoding) happens
    before the one short transaction that stores the result.
    """
    try:
        with _readable(item) as path:
            findings = inspect_file(item, path) if path is not None else _missing()
    except Exception as exc:  # evidence is never refused: an analysis bug marks, not raises
        log.exception("analysis of media item %s failed", item.pk)
        message = _("Analysis failed (%(error)s); the original is kept as received.")
        findings = Findings(problems=[message % {"error": plain_error(exc)}])
    try:
        return _save(item, findings)
    except Exception:
        log.exception("could not record the analysis of media item %s", item.pk)
        return ProbeStatus.PENDING


@contextlib.contextmanager
def _readable(item: MediaItem) -> Iterator[Path | None]:
    """A path to read the original from, read-only; a temporary copy when the store has none."""
    store = get_store()
    local = store.local_path(item.sha256)
    if local is not None:
        yield local if local.is_file() else None
        return
    if not store.exists(item.sha256):
        yield None
        return
    temp = spool_dir() / f"analyse-{uuid.uuid4().hex}"  # no suffix: FFmpeg must not guess by name
    try:
        with open(temp, "xb") as target:
            # Locked while in use: the sweep (media/sweep.py) removes only unlocked files.
            fcntl.flock(target, fcntl.LOCK_EX)
            with store.open(item.sha256) as source:
                shutil.copyfileobj(source, target, CHUNK)
            target.flush()
            yield temp
    finally:
        temp.unlink(missing_ok=True)


def _missing() -> Findings:
    return Findings(problems=[_("The original is missing from the evidence store.")])


def inspect_file(item: MediaItem, path: Path) -> Findings:
    """Everything analysis finds out about the file at ``path``, derived files included."""
    size = path.stat().st_size
    if size == 0:
        return Findings(problems=[_("The file is empty (0 bytes): there is nothing to play.")])
    with open(path, "rb") as handle:
        header = handle.read(64)
    photo = inspect_photo(item, path, header)
    if photo is not None:
        return photo
    return inspect_av(item, path, header)


OWN_METADATA = ("probe", "photo", "exif", "exif_error", "analysis")


def _save(item: MediaItem, found: Findings) -> str:
    fields: dict[str, Any] = {
        "kind": found.kind,
        "status": found.status,
        "problem": found.problem,
        "content_type": found.content_type[:100],
        "duration": found.duration,
        "device_recorded_at": found.recorded_at,
        "width": found.width,
        "height": found.height,
        "video_codec": found.video_codec[:30],
        "audio_codec": found.audio_codec[:30],
        "latitude": found.latitude,
        "longitude": found.longitude,
    }
    stale_files: list[Path] = []
    with transaction.atomic():
        current = MediaItem.objects.select_for_update().get(pk=item.pk)
        metadata = {k: v for k, v in (current.metadata or {}).items() if k not in OWN_METADATA}
        metadata.update(bounded(found.metadata))
        metadata["analysis"] = {"version": ANALYSIS_VERSION}
        fields["metadata"] = metadata
        if found.recorded_at is not None and _receipt_default(current):
            # 第十五条 time of use: the device's own start beats the server's receipt
            fields["used_at"] = found.recorded_at
        changed = {k: v for k, v in fields.items() if getattr(current, k) != v}
        if changed:
            MediaItem.objects.filter(pk=item.pk).update(**changed)
        keep = {made.absolute for made in found.derived.values()}
        for old in Derivative.objects.filter(item=current):
            if old.kind not in found.derived or old.path != found.derived[old.kind].relative:
                stale_files.append(derived.absolute(old))  # gone, or now under another name
        Derivative.objects.filter(item=current).exclude(kind__in=list(found.derived)).delete()
        for kind, made in found.derived.items():
            Derivative.objects.update_or_create(
                item=current,
                kind=kind,
                defaults={
                    "path": made.relative,
                    "content_type": made.content_type,
                    "size": made.absolute.stat().st_size,
                    "width": made.width,
                    "height": made.height,
                    "created_at": timezone.now(),
                },
            )
        if changed.keys() - {"metadata"}:
            record(
                "media.analyse",
                obj=current,
                summary=_("Analysed %(name)s: %(status)s")
                % {"name": current.original_name, "status": ProbeStatus(found.status).label},
                data={
                    "status": found.status,
                    "problem": found.problem,
                    "kind": found.kind,
                    "device_recorded_at": found.recorded_at,
                    "used_at": fields.get("used_at"),
                },
            )
        transaction.on_commit(lambda: _remove(stale_files, keep))
    for name, value in fields.items():
        setattr(item, name, value)
    return found.status


def _receipt_default(item: MediaItem) -> bool:
    """True while the time of use is still the moment of receipt, i.e. nobody set it."""
    return abs(item.used_at - item.received_at) <= timedelta(seconds=1)


def _remove(paths: list[Path], keep: set[Path]) -> None:
    for path in paths:
        if path not in keep:
            path.unlink(missing_ok=True)
