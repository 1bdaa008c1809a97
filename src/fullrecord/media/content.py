"""Serving originals and derived files to those allowed to see them."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse

from . import derived
from .fixity import require_original
from .models import Derivative, MediaItem
from .ranges import FileSlice, serve
from .services import record_access
from .store import get_store


def original_response(request: HttpRequest, item: MediaItem, *, download: bool) -> HttpResponse:
    """Playback of the original in the browser. A download of it is refused: 第十八条第三项
    lets originals leave only in the archivist's approved export; others take watermarked
    copies under an approved request."""
    if download:
        from django.core.exceptions import PermissionDenied
        from django.utils.translation import gettext as _

        raise PermissionDenied(
            _(
                "Originals leave the system only in the archivist's approved "
                "export. File an access request for a watermarked copy."
            )
        )
    require_original(item, actor=request.user)  # a lost original: 410, recorded, not a 500
    store = get_store()

    local = store.local_path(item.sha256) is not None

    def reader(start: int, length: int):
        if local:  # sent with sendfile where the WSGI server has it
            return FileSlice(store.open(item.sha256), start, length)
        return store.iter_range(item.sha256, start, length)

    response = serve(
        request,
        size=item.size,
        reader=reader,
        content_type=item.content_type or "application/octet-stream",
        etag=f'"{item.sha256}"',
        last_modified=item.received_at.timestamp(),
    )
    _log(request, item, response, "play")
    if local and response.status_code in (200, 206):
        from . import fastpath

        fastpath.remember(
            request.META,
            item.pk,
            store.local_path(item.sha256),
            size=item.size,
            etag=f'"{item.sha256}"',
            content_type=item.content_type or "application/octet-stream",
            last_modified=item.received_at.timestamp(),
        )
    return response


def derivative_response(request: HttpRequest, item: MediaItem, kind: str) -> HttpResponse:
    derivative = Derivative.objects.filter(item=item, kind=kind).first()
    if derivative is None:
        raise Http404
    path = derived.absolute(derivative)
    if not path.exists():
        raise derived.lost_file(item)  # queued to be made again; 503 until it is
    stat = path.stat()

    def reader(start: int, length: int):
        with open(path, "rb") as handle:
            handle.seek(start)
            remaining = length
            while remaining > 0:
                block = handle.read(min(256 * 1024, remaining))
                if not block:
                    break
                remaining -= len(block)
                yield block

    response = serve(
        request,
        size=stat.st_size,
        reader=reader,
        content_type=derivative.content_type,
        etag=f'"{item.sha256}-{kind}"',
        last_modified=stat.st_mtime,
    )
    if kind == "proxy":
        _log(request, item, response, "play")
    return response


def _log(request: HttpRequest, item: MediaItem, response: HttpResponse, action: str) -> None:
    """One entry per playback or download, not per range a player asks for while seeking."""
    if request.method != "GET" or response.status_code not in (200, 206):
        return
    starts_at_zero = response.status_code == 200 or response.get("Content-Range", "").startswith(
        "bytes 0-"
    )
    if action == "download" or starts_at_zero:
        record_access(
            item,
            actor=request.user,
            action=action,
            data={"range": request.headers.get("Range", "")},
        )
