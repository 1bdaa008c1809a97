"""tus 1.0.0 resumable uploads: the protocol's rules and the spool file, apart from HTTP.

Core plus the creation, creation-with-upload, termination, expiration and checksum
extensions (https://tus.io/protocols/resumable-upload). ``tus_views`` turns requests
into calls here and :class:`TusError` into answers.

The bytes of an upload in progress live in one spool file under the data dir,
``spool/tus-<id>.part``; the ``Upload`` row holds the offset the client was told.
Three rules keep them consistent whatever happens to the process:

* a write takes a non-blocking ``flock`` on the spool file, so two requests on one
  upload never interleave (the loser is answered 423), and re-reads the row under it;
* the offset is committed only after the bytes are on disk (``O_DIRECT`` where the
  filesystem allows it, see ``tus_spool``, then ``fdatasync``), and bytes past the
  committed offset are cut off before the next write;
* the running SHA-256 is cached in this process to continue across PATCHes, but a
  miss (another worker, a restart) re-hashes the prefix from disk: correctness never
  depends on memory.

When the last byte arrives the file goes to :func:`services.ingest_spooled`, the one
way a file becomes evidence, with the hash computed on the way in. The finish is a
sequence every step of which survives ``kill -9`` (``crashpoints`` names them):

1. the bytes are durable in the spool file (``spool-complete``);
2. their hash is committed on the upload row (``received``): from here on the upload
   is evidence being finished, never expired, and the sweep finishes it if no client
   comes back;
3. the store takes the file in (``linked``), outside any database transaction;
4. one transaction writes the item, its audit entry and the closed upload
   (``committed``);
5. the spool file is removed (``spool-removed``).

A HEAD or PATCH on an upload stopped after step 2 finishes it from the spool file or,
when that is gone, from the stored blob (:func:`resume_finish`), and answers as for a
finished upload; one stopped after step 1 says the offset the client last heard, and
its next PATCH completes it.
"""

from __future__ import annotations

import base64
import binascii
import errno
import fcntl
import hashlib
import logging
import os
import re
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fullrecord.accounts.models import User
from fullrecord.cases import access as case_access
from fullrecord.cases.choices import Stage

from . import services, sha256state
from .access import can_upload
from .choices import UploadState
from .crashpoints import crash_point
from .filenames import safe_name
from .models import Upload
from .spool import Spooled, hash_file, spool_dir
from .store import get_store
from .store.base import StorageFull, StoreError, StoreUnavailable
from .tus_spool import SpoolWriter

log = logging.getLogger(__name__)

TUS_VERSION = "1.0.0"
EXTENSIONS = (
    "creation",
    "creation-with-upload",
    "termination",
    "expiration",
    "checksum",
)
CHECKSUMS: dict[str, Callable[[], Any]] = {
    "sha1": hashlib.sha1,
    "sha256": hashlib.sha256,
    "md5": hashlib.md5,
}
# The body is read in blocks of BLOCK and written to disk in buffers of WRITE_BUFFER.
# Measured with bench/bench_ingest.py: 1 MiB reads cost the least CPU under both
# gunicorn and runserver (256 KiB doubles it; 4 MiB adds ~20 MB of peak memory for
# nothing), and memory stays flat whatever the upload's size.
BLOCK = 1024 * 1024
WRITE_BUFFER = 4 * 1024 * 1024
MAX_METADATA = 8 * 1024
METADATA_KEY = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")


class TusError(Exception):
    """A refusal the protocol names: the status, a message for people, extra headers."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


@dataclass
class AppendResult:
    upload: Upload
    duplicate: bool = False  # the bytes were held already: a new receipt of that item


# --- the running hash, continued across PATCHes in this process ---------------------

_HASH_CACHE_SIZE = 256
_hashes: OrderedDict[uuid.UUID, tuple[int, Any]] = OrderedDict()
_hashes_lock = threading.Lock()


def _remember_hash(upload_id: uuid.UUID, offset: int, digest) -> None:
    with _hashes_lock:
        _hashes[upload_id] = (offset, digest)
        _hashes.move_to_end(upload_id)
        while len(_hashes) > _HASH_CACHE_SIZE:
            _hashes.popitem(last=False)


def _take_hash(upload_id: uuid.UUID) -> tuple[int, Any] | None:
    with _hashes_lock:
        return _hashes.pop(upload_id, None)


def forget_hash(upload_id: uuid.UUID) -> None:
    _take_hash(upload_id)


# --- metadata -----------------------------------------------------------------------


def parse_metadata(header: str) -> dict[str, str]:
    """``key base64,key base64`` → decoded values; keys unique, values optional (tus 1.0.0).

    Values are text from a stranger: undecodable base64 is refused, undecodable UTF-8
    is replaced, and callers clean each value before it is stored or shown.
    """
    if len(header) > MAX_METADATA:
        raise TusError(400, _("Upload-Metadata is too long."))
    values: dict[str, str] = {}
    if not header.strip():
        return values
    for pair in header.split(","):
        parts = pair.strip().split(" ")
        if len(parts) > 2 or not METADATA_KEY.match(parts[0]):
            raise TusError(400, _("Upload-Metadata is malformed."))
        key = parts[0]
        if key in values:
            raise TusError(400, _("Upload-Metadata repeats a key."))
        raw = parts[1] if len(parts) == 2 else ""
        try:
            decoded = base64.b64decode(raw, validate=True)
        except (binascii.Error, ValueError):
            raise TusError(400, _("Upload-Metadata holds a value that is not base64.")) from None
        values[key] = decoded.decode("utf-8", errors="replace")
    return values


def _clean_text(value: str, limit: int) -> str:
    """A short label from metadata: one line, no control or bidi characters."""
    return safe_name(value.replace("/", " ").replace("\\", " "), "")[:limit]


# --- paths and lookups ----------------------------------------------------------------


def spool_path(upload_id: uuid.UUID) -> Path:
    return spool_dir() / f"tus-{upload_id.hex}.part"


def expiry_from_now() -> datetime:
    return timezone.now() + timedelta(hours=settings.FULLRECORD_UPLOAD_EXPIRY_HOURS)


def max_size() -> int:
    return settings.FULLRECORD_UPLOAD_MAX_BYTES


def get_upload(user: User, upload_id: uuid.UUID) -> Upload:
    """The caller's own upload; someone else's and a missing one are the same 404."""
    upload = Upload.objects.filter(pk=upload_id, created_by=user).first()
    if upload is None:
        raise TusError(404, _("No such upload."))
    _refuse_if_gone(upload)
    return upload


def _refuse_if_gone(upload: Upload) -> None:
    if upload.state in (UploadState.TERMINATED, UploadState.EXPIRED):
        raise TusError(410, _("This upload was cancelled or has expired; start it again."))
    # Bytes received in full are evidence being finished: they never expire.
    if (
        upload.state == UploadState.RECEIVING
        and not upload.sha256
        and upload.expires_at <= timezone.now()
    ):
        raise TusError(410, _("This upload was cancelled or has expired; start it again."))


# --- creation ------------------------------------------------------------------------


def create_upload(user: User, *, length: int, metadata_header: str = "") -> Upload:
    """Open an upload of ``length`` bytes (the creation extension)."""
    if not can_upload(user):
        raise TusError(403, _("You may not add audiovisual records."))
    if length > max_size():
        raise TusError(
            413,
            _("The file is larger than the %(size)s bytes allowed.") % {"size": max_size()},
        )
    meta = parse_metadata(metadata_header)
    case = None
    if meta.get("case", "").strip():
        try:
            case = case_access.get_case(user, meta["case"].strip(), "edit")
        except Http404:
            raise TusError(400, _("No case with this id is open to you for evidence.")) from None
    stage = meta.get("stage", "").strip()
    if stage and stage not in Stage.values:
        raise TusError(400, _("Unknown stage: %(stage)s") % {"stage": _clean_text(stage, 30)})
    upload = Upload(
        length=length,
        filename=safe_name(meta.get("filename")),
        metadata={
            "raw": metadata_header.strip(),
            "filetype": _clean_text(meta.get("filetype", ""), 100),
            "device_number": _clean_text(meta.get("device_number", ""), 50),
            "task_reference": _clean_text(meta.get("task_reference", ""), 100),
        },
        created_by=user,
        expires_at=expiry_from_now(),
        case=case,
        stage=stage,
    )
    path = spool_path(upload.pk)
    try:
        with open(path, "xb"):
            pass
    except OSError as exc:
        _raise_if_full(exc)
        raise
    try:
        upload.save(force_insert=True)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return upload


# --- appending bytes ------------------------------------------------------------------


def parse_checksum(header: str | None) -> tuple[str, bytes] | None:
    """``Upload-Checksum: <algorithm> <base64 digest>`` (the checksum extension)."""
    if not header:
        return None
    algorithm, _sep, encoded = header.strip().partition(" ")
    if algorithm.lower() not in CHECKSUMS:
        raise TusError(400, _("Unsupported checksum algorithm."))
    try:
        expected = base64.b64decode(encoded.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise TusError(400, _("Upload-Checksum is malformed.")) from None
    if len(expected) != CHECKSUMS[algorithm.lower()]().digest_size:
        raise TusError(400, _("Upload-Checksum is malformed."))
    return algorithm.lower(), expected


def append(
    upload: Upload,
    read: Callable[[int], bytes],
    *,
    offset: int,
    content_length: int | None,
    checksum: tuple[str, bytes] | None = None,
) -> AppendResult:
    """Write the request body at ``offset``; finish the upload when it is whole.

    ``read(n)`` returns at most ``n`` bytes of the body, ``b""`` at its end. A body
    that ends early (the client went away) is kept up to where it ended, unless a
    checksum was promised for all of it.
    """
    path = spool_path(upload.pk)
    try:
        fd = os.open(path, os.O_RDWR)
    except FileNotFoundError:
        upload.refresh_from_db()
        _refuse_if_gone(upload)
        if upload.state == UploadState.COMPLETE:
            return _answer_complete(upload, offset, content_length)
        if upload.sha256:
            return _finish_from_store(upload)
        raise TusError(
            410, _("This upload was cancelled or has expired; start it again.")
        ) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise TusError(423, _("Another request is writing to this upload.")) from None
        # Under the lock the row is the truth: whoever held it before may have moved it.
        upload = Upload.objects.get(pk=upload.pk)
        _refuse_if_gone(upload)
        if upload.state == UploadState.COMPLETE:
            return _answer_complete(upload, offset, content_length)
        if upload.sha256 or os.fstat(fd).st_nlink > 1:
            # Every byte is here already (a finish was cut short): nothing of this body
            # is written, the upload is finished from what the spool file holds.
            return _finish_received(upload, fd, path)
        if offset != upload.offset:
            raise TusError(
                409,
                _("Upload-Offset is %(sent)s but the server holds %(held)s bytes.")
                % {"sent": offset, "held": upload.offset},
                {"Upload-Offset": str(upload.offset)},
            )
        room = upload.length - upload.offset
        if content_length is not None and content_length > room:
            raise TusError(413, _("The body goes past the upload's declared length."))
        digest = _running_hash(upload, fd, path)
        before = digest.copy()
        written = _receive(fd, path, read, upload, digest, content_length, checksum)
        end = upload.offset + written
        if end == upload.length:
            crash_point("spool-complete")
            # The last bytes count once they are evidence: until then the offset stays
            # where it was, so no client takes a failed ingest for a finished upload.
            _mark_received(upload, digest.hexdigest())
            try:
                return _finish(upload, path, upload.sha256)
            except TusError as error:
                if error.status == 507:
                    _unreceive(upload, fd, path, before)
                raise
        expires_at = expiry_from_now()
        # Before the offset is committed: a state for an offset the row never reached is
        # ignored by the next PATCH (load() wants the committed offset exactly).
        sha256state.save(fd, end, digest)
        Upload.objects.filter(pk=upload.pk, state=UploadState.RECEIVING).update(
            offset=end, expires_at=expires_at
        )
        upload.offset, upload.expires_at = end, expires_at
        _remember_hash(upload.pk, end, digest)
        return AppendResult(upload)
    finally:
        os.close(fd)  # also releases the lock


def _only_link(fd: int, path: Path) -> bool:
    """Whether the spool file is still ours alone (not also an original in the store).

    The local store takes a finished spool file in by hard-linking it: from then on the
    same inode is evidence, and nothing here may write to or truncate it.
    """
    try:
        return os.fstat(fd).st_nlink == 1 and os.stat(path).st_ino == os.fstat(fd).st_ino
    except FileNotFoundError:
        return False


def _mark_received(upload: Upload, sha256: str) -> None:
    """Commit that every byte is in the spool file (durable already) and what they hash to."""
    Upload.objects.filter(pk=upload.pk, state=UploadState.RECEIVING).update(sha256=sha256)
    upload.sha256 = sha256
    crash_point("received")


def _unreceive(upload: Upload, fd: int, path: Path, before=None) -> None:
    """The store refused the file (full): cut the last chunk off again, unacknowledged.

    Only while the spool file is ours alone; once the store holds the same inode it is
    evidence, and the hash stays so that the next attempt finishes from it.
    """
    if not _only_link(fd, path):
        return
    os.ftruncate(fd, upload.offset)
    Upload.objects.filter(pk=upload.pk, state=UploadState.RECEIVING).update(sha256="")
    upload.sha256 = ""
    if before is not None:
        _remember_hash(upload.pk, upload.offset, before)
    else:
        forget_hash(upload.pk)


def _finish_received(upload: Upload, fd: int, path: Path) -> AppendResult:
    """Finish an upload whose bytes all arrived before a crash, from its spool file.

    The file is hashed again: it must be the whole upload and, when the hash was
    recorded, the same bytes. Anything else is cut back to the acknowledged offset and
    the client told where to resume; nothing is guessed.
    """
    size = os.fstat(fd).st_size
    digest, _done = hash_file(path) if size == upload.length else (None, 0)
    sha256 = digest.hexdigest() if digest is not None else ""
    if not sha256 or (upload.sha256 and sha256 != upload.sha256):
        log.error("tus upload %s: spool does not hold the received bytes", upload.pk)
        _unreceive(upload, fd, path)
        raise TusError(
            409,
            _("Upload-Offset is %(sent)s but the server holds %(held)s bytes.")
            % {"sent": upload.length, "held": upload.offset},
            {"Upload-Offset": str(upload.offset)},
        )
    if not upload.sha256:
        _mark_received(upload, sha256)
    try:
        return _finish(upload, path, sha256)
    except TusError as error:
        if error.status == 507:
            _unreceive(upload, fd, path)
        raise


def _finish_from_store(upload: Upload) -> AppendResult:
    """The spool file is gone but its bytes were received: finish from the stored blob."""
    try:
        stored = get_store().exists(upload.sha256)
    except StoreUnavailable as exc:  # not "gone": the store cannot say; try again later
        raise TusError(503, str(STORE_UNAVAILABLE), {"Retry-After": "60"}) from exc
    except StoreError:
        stored = False
    if not stored:
        log.error(
            "tus upload %s: received bytes %s are in neither spool nor store",
            upload.pk,
            upload.sha256,
        )
        raise TusError(410, _("This upload was cancelled or has expired; start it again."))
    return _finish(upload, spool_path(upload.pk), upload.sha256)


def resume_finish(upload: Upload) -> Upload:
    """Finish now an upload whose bytes all arrived before a crash; the upload as it is.

    HEAD calls this, so that a client that sent everything learns the truth (finished,
    with its record) without sending a byte more, and so does the recovery sweep for
    clients that never come back. An upload being written to right now is left to the
    request that holds it; a refusal leaves it as it was and is logged.
    """
    if upload.state != UploadState.RECEIVING:
        return upload
    path = spool_path(upload.pk)
    if not upload.sha256:
        try:
            if os.stat(path).st_nlink == 1:
                return upload  # still receiving (the common HEAD): nothing to finish
        except FileNotFoundError:
            return upload
    try:
        fd = os.open(path, os.O_RDWR)
    except FileNotFoundError:
        if not upload.sha256:
            return upload
        try:
            return _finish_from_store(upload).upload
        except TusError as error:
            log.warning("tus upload %s not finished: %s", upload.pk, error.message)
            return Upload.objects.get(pk=upload.pk)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return upload
        upload = Upload.objects.get(pk=upload.pk)
        if upload.state != UploadState.RECEIVING:
            return upload
        if not upload.sha256 and os.fstat(fd).st_nlink == 1:
            return upload  # still receiving: nothing to finish
        try:
            return _finish_received(upload, fd, path).upload
        except TusError as error:
            log.warning("tus upload %s not finished: %s", upload.pk, error.message)
            return Upload.objects.get(pk=upload.pk)
    finally:
        os.close(fd)


def _running_hash(upload: Upload, fd: int, path: Path):
    """SHA-256 of the upload's first ``offset`` bytes, from the cache or from disk."""
    size = os.fstat(fd).st_size
    if size < upload.offset:
        # The disk lost bytes we announced (a crash without a journal): say where we are.
        Upload.objects.filter(pk=upload.pk).update(offset=size)
        forget_hash(upload.pk)
        log.warning("tus upload %s: spool holds %s of %s bytes", upload.pk, size, upload.offset)
        raise TusError(
            409,
            _("Upload-Offset is %(sent)s but the server holds %(held)s bytes.")
            % {"sent": upload.offset, "held": size},
            {"Upload-Offset": str(size)},
        )
    if size > upload.offset:
        os.ftruncate(fd, upload.offset)  # the tail of a write that was never acknowledged
    cached = _take_hash(upload.pk)
    if cached is not None and cached[0] == upload.offset:
        # Bytes below a committed offset never change, so a hash of that prefix stays true.
        return cached[1]
    # Another process took the previous PATCH: it left the running state on the file.
    saved = sha256state.load(fd, upload.offset)
    if saved is not None:
        return saved
    return _hash_prefix(path, upload.offset)


def _hash_prefix(path: Path, limit: int):
    """The running hash of the file's first ``limit`` bytes, read from disk (resumable when
    the library is there, so the next PATCH need not read them again)."""
    if not sha256state.AVAILABLE:
        digest, done = hash_file(path, limit=limit)
        assert done == limit
        return digest
    digest = sha256state.new()
    done = 0
    with open(path, "rb") as handle:
        while done < limit:
            block = handle.read(min(BLOCK, limit - done))
            if not block:
                break
            digest.update(block)
            done += len(block)
    assert done == limit
    return digest


def _receive(
    fd: int,
    path: Path,
    read: Callable[[int], bytes],
    upload: Upload,
    digest,
    content_length: int | None,
    checksum: tuple[str, bytes] | None,
) -> int:
    """Copy the body to the spool file at the upload's offset, hashing as it passes.

    Returns the number of bytes taken, on disk and durable. On a full disk or a
    checksum mismatch the file is cut back and the hash restored, so the upload is
    exactly as it was before this request.
    """
    start = upload.offset
    room = upload.length - start
    # Without a Content-Length (chunked), one byte more than fits is asked for to notice it.
    limit = room + 1 if content_length is None else content_length
    check = CHECKSUMS[checksum[0]]() if checksum else None
    before = digest.copy()
    written = 0
    writer = SpoolWriter(path, fd, start, WRITE_BUFFER)

    def roll_back() -> None:
        writer.close()
        os.ftruncate(fd, start)
        _remember_hash(upload.pk, start, before)

    try:
        while written < limit:
            try:
                block = read(min(BLOCK, limit - written))
            except OSError:  # the connection dropped mid-body
                break
            if not block:
                break
            if written + len(block) > room:
                raise TusError(413, _("The body goes past the upload's declared length."))
            writer.write(block)
            digest.update(block)
            if check is not None:
                check.update(block)
            written += len(block)
        if check is not None:
            if content_length is not None and written < content_length:
                raise TusError(400, _("The body ended early; its checksum cannot be verified."))
            if check.digest() != checksum[1]:
                raise TusError(460, _("The chunk does not match its checksum; send it again."))
        if written:
            writer.finish()  # the offset we announce must survive a crash
    except OSError as exc:
        roll_back()
        _raise_if_full(exc)
        raise
    except TusError:
        roll_back()
        raise
    finally:
        writer.close()
    return written


DISK_FULL = gettext_lazy(
    "The server's disk is full. Nothing you sent before was lost: "
    "the upload will resume from where it stopped once space is freed. "
    "Tell the administrator."
)


STORE_UNAVAILABLE = gettext_lazy(
    "The evidence store cannot take the file just now. Everything you sent was received "
    "and is kept: the upload finishes when you try again."
)


def _raise_if_full(exc: OSError) -> None:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        raise TusError(507, str(DISK_FULL)) from exc


# --- finishing -----------------------------------------------------------------------


def _finish(upload: Upload, path: Path, sha256: str) -> AppendResult:
    """Hand the whole file to the evidence service and close the upload."""
    sha256state.forget(path)  # the running state is not part of the evidence
    user = upload.created_by
    case = upload.case
    if case is not None and not case_access.can(user, "edit", case):
        # Lost the right to add to the case meanwhile: the bytes are still evidence.
        case = None
    hints = services.Hints(
        device_number=upload.metadata.get("device_number", ""),
        task_reference=upload.metadata.get("task_reference", ""),
        extra={"upload": str(upload.pk), "filetype": upload.metadata.get("filetype", "")},
    )

    def close_upload(item, created: bool) -> None:
        # In the item's transaction: the upload closes with it or not at all. Another
        # request or the sweep finishing the same upload first rolls this one back.
        closed = Upload.objects.filter(pk=upload.pk, state=UploadState.RECEIVING).update(
            state=UploadState.COMPLETE, item=item, offset=upload.length, sha256=sha256
        )
        if not closed:
            raise _AlreadyClosed

    # No transaction here: the store's I/O comes first and holds no database lock.
    try:
        result = services.ingest_spooled(
            Spooled(path, sha256, upload.length),
            actor=user,
            original_name=upload.filename,
            source="tus",
            hints=hints,
            case=case,
            stage=upload.stage,
            within=close_upload,
        )
    except _AlreadyClosed:
        upload.refresh_from_db()
        return AppendResult(upload)
    except services.MediaError as exc:
        Upload.objects.filter(pk=upload.pk).update(state=UploadState.TERMINATED)
        path.unlink(missing_ok=True)
        raise TusError(403, " ".join(exc.messages)) from exc
    except StorageFull as exc:
        raise TusError(507, str(exc)) from exc
    except StoreError as exc:
        # The bytes stay received (spool file and hash): HEAD, PATCH or the sweep finish
        # the upload once the store answers again. Nothing is cut back.
        log.error("tus upload %s: the store did not take the original: %s", upload.pk, exc)
        raise TusError(503, str(STORE_UNAVAILABLE), {"Retry-After": "60"}) from exc
    forget_hash(upload.pk)
    upload.state, upload.item, upload.offset = UploadState.COMPLETE, result.item, upload.length
    return AppendResult(upload, duplicate=not result.created)


class _AlreadyClosed(Exception):
    """Rolls back a finish that another request or the sweep completed first."""


def _answer_complete(upload: Upload, offset: int, content_length: int | None) -> AppendResult:
    """A PATCH repeated after the upload finished (its answer was lost): say so again."""
    if offset != upload.length:
        raise TusError(
            409,
            _("Upload-Offset is %(sent)s but the server holds %(held)s bytes.")
            % {"sent": offset, "held": upload.length},
            {"Upload-Offset": str(upload.length)},
        )
    if content_length:
        raise TusError(413, _("The body goes past the upload's declared length."))
    return AppendResult(upload)


# --- termination and expiry -------------------------------------------------------------


def terminate(upload: Upload) -> None:
    """Cancel an unfinished upload and free its bytes (the termination extension)."""
    if upload.state == UploadState.COMPLETE:
        raise TusError(403, _("A finished upload is evidence and cannot be removed."))
    path = spool_path(upload.pk)
    try:
        fd = os.open(path, os.O_RDWR)
    except FileNotFoundError:
        fd = None
    try:
        if fd is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise TusError(423, _("Another request is writing to this upload.")) from None
        changed = Upload.objects.filter(pk=upload.pk, state=UploadState.RECEIVING).update(
            state=UploadState.TERMINATED
        )
        if not changed:
            upload.refresh_from_db()
            _refuse_if_gone(upload)
            raise TusError(403, _("A finished upload is evidence and cannot be removed."))
        path.unlink(missing_ok=True)
        forget_hash(upload.pk)
    finally:
        if fd is not None:
            os.close(fd)


def expire_stale_uploads(now: datetime | None = None) -> int:
    """Free the bytes of unfinished uploads past their expiry; returns how many expired.

    An upload being written to at this moment holds its lock and is left alone.
    """
    now = now or timezone.now()
    expired = 0
    # Received in full (a hash recorded) is evidence being finished, never expired.
    stale = Upload.objects.filter(state=UploadState.RECEIVING, expires_at__lte=now, sha256="")
    for upload_id in stale.values_list("pk", flat=True).iterator():
        path = spool_path(upload_id)
        try:
            fd = os.open(path, os.O_RDWR)
        except FileNotFoundError:
            fd = None
        try:
            if fd is not None:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    continue
            # The condition is checked again: a PATCH may have just extended it.
            if Upload.objects.filter(
                pk=upload_id, state=UploadState.RECEIVING, expires_at__lte=now, sha256=""
            ).update(state=UploadState.EXPIRED):
                path.unlink(missing_ok=True)
                forget_hash(upload_id)
                expired += 1
        finally:
            if fd is not None:
                os.close(fd)
    _sweep_orphans(now)
    return expired


ORPHAN_AGE = timedelta(hours=1)


def _sweep_orphans(now: datetime) -> None:
    """Spool files no unfinished upload owns (a crash between file and row, say)."""
    cutoff = (now - ORPHAN_AGE).timestamp()
    for path in spool_dir().glob("tus-*.part"):
        try:
            upload_id = uuid.UUID(path.name[4:-5])
            if path.stat().st_mtime > cutoff:
                continue  # perhaps an upload being created this moment
        except (ValueError, OSError):
            continue
        if not Upload.objects.filter(pk=upload_id, state=UploadState.RECEIVING).exists():
            path.unlink(missing_ok=True)
