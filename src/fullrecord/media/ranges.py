"""HTTP range requests for originals and playable copies (RFC 9110 §14).

Bytes are streamed from the store in blocks; nothing is buffered whole.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator

from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils.http import http_date

MAX_RANGES = 16  # more than this in one request is refused (a 416 storm is not playback)

Reader = Callable[[int, int], Iterator[bytes]]


def parse_range(header: str, size: int) -> list[tuple[int, int]] | None:
    """Satisfiable ranges as (start, end-inclusive); [] when none is; None when malformed."""
    unit, _, spec = header.partition("=")
    if unit.strip().lower() != "bytes" or not spec.strip():
        return None
    ranges = []
    for part in spec.split(","):
        part = part.strip()
        first, dash, last = part.partition("-")
        if not dash:
            return None
        try:
            if first == "":
                suffix = int(last)
                if suffix <= 0:
                    continue
                start, end = max(size - suffix, 0), size - 1
            else:
                start = int(first)
                end = int(last) if last else max(start, size - 1)
                if start < 0 or end < start:
                    return None
                end = min(end, size - 1)
        except ValueError:
            return None
        if start < size:
            ranges.append((start, end))
    return ranges


def serve(
    request: HttpRequest,
    *,
    size: int,
    reader: Reader,
    content_type: str,
    etag: str,
    last_modified: float,
    filename: str | None = None,
) -> HttpResponse:
    """A 200, 206 or 416 answer for GET and HEAD of a stored file."""
    common = {
        "Accept-Ranges": "bytes",
        "ETag": etag,
        "Last-Modified": http_date(last_modified),
        "Cache-Control": "private, no-transform",
    }
    if filename:
        common["Content-Disposition"] = _disposition(filename)
    header = request.headers.get("Range")
    if header and not _if_range_matches(request.headers.get("If-Range"), etag, last_modified):
        header = None
    ranges = parse_range(header, size) if header else None
    if header and ranges == []:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        for key, value in common.items():
            response[key] = value
        return response
    if ranges and len(ranges) > MAX_RANGES:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    head = request.method == "HEAD"
    if not ranges:
        response = _stream(None if head else reader(0, size), 200, content_type)
        response["Content-Length"] = str(size)
    elif len(ranges) == 1:
        start, end = ranges[0]
        response = _stream(None if head else reader(start, end - start + 1), 206, content_type)
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Content-Length"] = str(end - start + 1)
    else:
        boundary = uuid.uuid4().hex
        parts = [
            (
                (
                    f"\r\n--{boundary}\r\nContent-Type: {content_type}\r\n"
                    f"Content-Range: bytes {s}-{e}/{size}\r\n\r\n"
                ).encode(),
                s,
                e,
            )
            for s, e in ranges
        ]
        closing = f"\r\n--{boundary}--\r\n".encode()
        length = sum(len(p[0]) + p[2] - p[1] + 1 for p in parts) + len(closing)

        def body() -> Iterator[bytes]:
            for preamble, s, e in parts:
                yield preamble
                yield from reader(s, e - s + 1)
            yield closing

        response = _stream(
            None if head else body(), 206, f"multipart/byteranges; boundary={boundary}"
        )
        response["Content-Length"] = str(length)
    for key, value in common.items():
        response[key] = value
    return response


class FileSlice:
    """``length`` bytes of an open file from ``start``.

    Served whole (a 200 or a single range) it becomes a FileResponse, which a WSGI
    server with ``wsgi.file_wrapper`` and sendfile (gunicorn) sends from the page
    cache without copying the bytes through Python; iterated, it yields blocks.
    """

    def __init__(self, handle, start: int, length: int) -> None:
        handle.seek(start)
        self.handle = handle
        self.remaining = length

    def read(self, size: int = -1) -> bytes:
        size = self.remaining if size is None or size < 0 else min(size, self.remaining)
        data = self.handle.read(size) if size else b""
        self.remaining -= len(data)
        return data

    def fileno(self) -> int:
        return self.handle.fileno()

    def close(self) -> None:
        self.handle.close()

    def __iter__(self) -> Iterator[bytes]:
        try:
            while block := self.read(256 * 1024):
                yield block
        finally:
            self.close()


def _stream(body, status: int, content_type: str) -> HttpResponse:
    if body is None:
        return HttpResponse(status=status, content_type=content_type)
    if isinstance(body, FileSlice):
        return FileResponse(body, status=status, content_type=content_type)
    return StreamingHttpResponse(body, status=status, content_type=content_type)


def _if_range_matches(value: str | None, etag: str, last_modified: float) -> bool:
    if value is None:
        return True
    value = value.strip()
    if value.startswith(('"', "W/")):
        return value == etag  # strong comparison; a weak tag never matches
    from django.utils.http import parse_http_date_safe

    stamp = parse_http_date_safe(value)
    return stamp is not None and int(last_modified) <= stamp


def _disposition(filename: str) -> str:
    from urllib.parse import quote

    ascii_name = filename.encode("ascii", "ignore").decode() or "download"
    ascii_name = ascii_name.replace('"', "")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
