"""Opening originals and derived files, and sending them with HTTP ranges.

One place opens a stored original (:func:`open_original`), one a derived file
(:func:`open_derived`), one any other file handed to a player (:func:`open_file`);
:func:`send` answers GET and HEAD with ranges from what they opened. *Who* may have
the bytes, and the audit entry that covers them, is decided before: in
``media/playback.py`` (the rule) and the views that call it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse

from . import derived
from .fixity import OriginalMissing, StoreDown
from .models import Derivative, MediaItem
from .ranges import FileSlice, Reader, serve
from .store import StoreUnavailable, get_store


@dataclass(frozen=True)
class Source:
    """Bytes ready to be sent: their length, type, validators and a range reader."""

    size: int
    content_type: str
    etag: str
    last_modified: float
    reader: Reader
    path: Path | None = None  # a local file: a proxy may send it (X-Accel-Redirect)


def open_original(item: MediaItem) -> Source:
    """The original in the evidence store: from the local file (sendfile where the WSGI
    server has it) or streamed from S3 one ranged GET per range."""
    return open_stored(item.sha256, item.size, item.content_type, item.received_at)


def open_stored(sha256: str, size: int, content_type: str, received_at: datetime) -> Source:
    """:func:`open_original` from the row's columns (the signed playback path reads them
    in its one query and builds no model instance)."""
    store = get_store()
    path = store.local_path(sha256)
    if path is not None:
        if not path.is_file():
            raise OriginalMissing  # 410 with its reason, never a 500 from the reader
        reader = _file_reader(path)
    else:
        path = None

        def reader(start: int, length: int):
            try:  # the first GET is made here, before the response starts
                return store.iter_range(sha256, start, length)
            except StoreUnavailable as exc:
                raise StoreDown from exc

    return Source(
        size=size,
        content_type=content_type or "application/octet-stream",
        etag=f'"{sha256}"',
        last_modified=received_at.timestamp(),
        reader=reader,
        path=path,
    )


def open_derived(derivative: Derivative) -> Source:
    """A poster, thumbnail or playable copy; 404 when its file is not there."""
    path = derived.absolute(derivative)
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise derived.lost_file(derivative.item) from None  # queued again; 503 until made
    return Source(
        size=stat.st_size,
        content_type=derivative.content_type,
        etag=f'"{derivative.item.sha256}-{derivative.kind}-{derivative.pk}"',
        last_modified=stat.st_mtime,
        reader=_file_reader(path),
        path=path,
    )


def open_file(path: Path, content_type: str, etag: str) -> Source:
    """Any other file a player is given (a watermarked rendition); 404 when missing."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise Http404 from None
    return Source(
        size=stat.st_size,
        content_type=content_type,
        etag=etag,
        last_modified=stat.st_mtime,
        reader=_file_reader(path),
        path=path,
    )


def derivative_of(item: MediaItem, kind: str) -> Derivative:
    derivative = Derivative.objects.filter(item=item, kind=kind).select_related("item").first()
    if derivative is None:
        raise Http404
    return derivative


def send(request: HttpRequest, source: Source) -> HttpResponse:
    """A 200, 206 (one range or multipart) or 416 answer to GET or HEAD; or, behind nginx
    with ``FULLRECORD_ACCEL_REDIRECT`` set, an empty answer telling nginx which file to
    send (it answers the ranges, and no thread here waits on the player)."""
    accelerated = _accel_redirect(source)
    if accelerated is not None:
        return accelerated
    return serve(
        request,
        size=source.size,
        reader=source.reader,
        content_type=source.content_type,
        etag=source.etag,
        last_modified=source.last_modified,
    )


def _accel_redirect(source: Source) -> HttpResponse | None:
    """``X-Accel-Redirect`` to the proxy's internal location for a file in the data dir.

    nginx keeps this answer's Content-Type and Cache-Control and handles Range, If-Range
    and HEAD itself from the file (docs/operations.md, "Behind nginx"). Files outside
    the data dir, and originals in S3, are sent from here as before.
    """
    prefix = settings.FULLRECORD_ACCEL_REDIRECT
    if not prefix or source.path is None:
        return None
    try:
        relative = source.path.resolve().relative_to(Path(settings.DATA_DIR).resolve())
    except ValueError:
        return None
    response = HttpResponse(content_type=source.content_type)
    response["X-Accel-Redirect"] = prefix + quote(relative.as_posix())
    response["Accept-Ranges"] = "bytes"
    response["Cache-Control"] = "private, no-transform"
    return response


def carries_bytes(request: HttpRequest, response: HttpResponse) -> bool:
    """Whether this answer lets content out (HEAD and 416 do not)."""
    return request.method != "HEAD" and response.status_code in (200, 206)


def _file_reader(path: Path) -> Reader:
    def reader(start: int, length: int) -> FileSlice:
        return FileSlice(open(path, "rb"), start, length)  # noqa: SIM115 - closed by the response

    return reader
