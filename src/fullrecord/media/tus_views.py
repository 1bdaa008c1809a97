"""/api/uploads/: tus 1.0.0 over HTTP. The rules live in ``tus``; this is headers and codes.

Authentication is the API token (``Authorization: Token <key>``) or the browser
session; a session must send its CSRF token (``X-CSRFToken``) on every unsafe
request, as with the rest of the API. The views are plain Django views, not DRF
ones, so that no parser or negotiation ever touches the body: it is streamed to disk
with ``request.read(n)``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import AuthenticationFailed, PermissionDenied

from fullrecord.accounts.authentication import TokenAuthentication

from . import tus
from .access import visible_media
from .choices import UploadState
from .models import Upload

OFFSET_TYPE = "application/offset+octet-stream"
# Bytes of an unread body still swallowed before an error answer, so the client can
# read the answer; past this the connection is closed instead.
DRAIN_LIMIT = 16 * 1024 * 1024
REASONS = {460: "Checksum Mismatch"}


def _response(status: int, headers: dict[str, str] | None = None, text: str = "") -> HttpResponse:
    response = HttpResponse(
        text, status=status, content_type="text/plain; charset=utf-8", reason=REASONS.get(status)
    )
    response["Tus-Resumable"] = tus.TUS_VERSION
    response["Cache-Control"] = "no-store"
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _options() -> HttpResponse:
    return _response(
        204,
        {
            "Tus-Version": tus.TUS_VERSION,
            "Tus-Extension": ",".join(tus.EXTENSIONS),
            "Tus-Max-Size": str(tus.max_size()),
            "Tus-Checksum-Algorithm": ",".join(tus.CHECKSUMS),
        },
    )


def _user(request: HttpRequest):
    """The token's user (knox: refused when expired, inactive or locked), or the session's
    (whose unsafe requests must carry CSRF)."""
    try:
        found = TokenAuthentication().authenticate(request)
    except AuthenticationFailed as exc:
        raise tus.TusError(401, str(exc.detail), {"WWW-Authenticate": "Token"}) from None
    if found is not None:
        return found[0]
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.is_active:
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            try:
                SessionAuthentication().enforce_csrf(request)
            except PermissionDenied as exc:
                raise tus.TusError(403, str(exc.detail)) from None
        return user
    raise tus.TusError(
        401,
        _("Sign in or send an API token (Authorization: Token <key>)."),
        {"WWW-Authenticate": "Token"},
    )


def _method(request: HttpRequest) -> str:
    # tus lets clients behind proxies that know only GET/POST tunnel PATCH and DELETE.
    override = request.headers.get("X-HTTP-Method-Override", "").upper()
    if request.method == "POST" and override in ("PATCH", "DELETE"):
        return override
    return request.method or ""


def _int_header(request: HttpRequest, name: str) -> int:
    value = request.headers.get(name, "")
    if not value.isdigit() or not value.isascii():
        raise tus.TusError(
            400, _("%(header)s must be a whole number, 0 or more.") % {"header": name}
        )
    return int(value)


def _body(request: HttpRequest) -> tuple[Callable[[int], bytes], int | None]:
    """The body as ``read(n)`` and its announced length (None when sent chunked)."""
    raw = request.META.get("CONTENT_LENGTH") or ""
    if raw:
        if not raw.isdigit():
            raise tus.TusError(
                400,
                _("%(header)s must be a whole number, 0 or more.") % {"header": "Content-Length"},
            )
        return request.read, int(raw)
    if request.META.get("wsgi.input_terminated"):
        return request.META["wsgi.input"].read, None
    return request.read, 0


def _may_close(request: HttpRequest) -> bool:
    """Whether the server lets the application close the connection.

    ``wsgiref`` (under ``runserver``) refuses any hop-by-hop header from an application
    and turns the answer into a 500; there the body is swallowed instead (in blocks,
    so memory stays flat), which Django's server would otherwise do after the answer
    by reading the rest of the body into memory at once.
    """
    return not request.META.get("SERVER_SOFTWARE", "").startswith("WSGIServer/")


def _drain(request: HttpRequest, response: HttpResponse) -> None:
    """Swallow what is left of a refused body, or close the connection if it is large."""
    if request.method not in ("POST", "PATCH"):
        return
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > DRAIN_LIMIT and _may_close(request):
        response["Connection"] = "close"
        return
    try:
        while request.read(1024 * 1024):
            pass
    except OSError:
        pass


def _upload_headers(upload: Upload, user) -> dict[str, str]:
    headers = {"Upload-Offset": str(upload.offset)}
    if upload.state == UploadState.RECEIVING and not upload.sha256:
        headers["Upload-Expires"] = http_date(upload.expires_at.timestamp())
    if upload.state == UploadState.COMPLETE and upload.item_id:
        # The uploader knows the hash (they hold the bytes). The record's id and page
        # only if they may see it: the same bytes sent by someone outside the record's
        # reach must not tell them it exists where, or in which case.
        headers["X-Media-Sha256"] = upload.item.sha256
        if visible_media(user).filter(pk=upload.item_id).exists():
            headers["X-Media-Id"] = str(upload.item_id)
            headers["X-Media-Url"] = upload.item.get_absolute_url()
    return headers


def _location(request: HttpRequest, upload: Upload) -> str:
    return request.build_absolute_uri(reverse("api:tus-upload", args=[upload.pk]))


def _tus_view(*methods: str):
    """Method, version and authentication checks and error answers for an endpoint."""
    allow = ", ".join((*methods, "OPTIONS"))

    def decorate(handler):
        @csrf_exempt
        def view(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method == "OPTIONS":
                return _options()
            if _method(request) not in methods:
                return _response(405, {"Allow": allow})
            return _answer(handler, request, *args, **kwargs)

        view.__name__ = handler.__name__
        view.__doc__ = handler.__doc__
        return view

    return decorate


def _answer(handler, request: HttpRequest, *args, **kwargs) -> HttpResponse:
    try:
        if request.headers.get("Tus-Resumable") != tus.TUS_VERSION:
            raise tus.TusError(
                412,
                _("This server speaks tus %(version)s; send Tus-Resumable: %(version)s.")
                % {"version": tus.TUS_VERSION},
                {"Tus-Version": tus.TUS_VERSION},
            )
        response = handler(request, _method(request), _user(request), *args, **kwargs)
    except tus.TusError as error:
        response = _response(error.status, error.headers, error.message)
        _drain(request, response)
    return response


@_tus_view("POST")
def uploads(request: HttpRequest, method: str, user) -> HttpResponse:
    """Create an upload (creation), optionally with its first bytes (creation-with-upload)."""
    read, content_length = _body(request)
    with_body = content_length is None or content_length > 0
    # An empty creation request may say any type; bytes must come as offset+octet-stream.
    if with_body and request.content_type != OFFSET_TYPE:
        raise tus.TusError(415, _("Content-Type must be %(type)s.") % {"type": OFFSET_TYPE})
    if request.headers.get("Upload-Defer-Length"):
        raise tus.TusError(400, _("Upload-Defer-Length is not supported; send Upload-Length."))
    length = _int_header(request, "Upload-Length")
    checksum = tus.parse_checksum(request.headers.get("Upload-Checksum"))
    upload = tus.create_upload(
        user, length=length, metadata_header=request.headers.get("Upload-Metadata", "")
    )
    headers = {"Location": _location(request, upload)}
    if with_body:
        try:
            result = tus.append(
                upload, read, offset=0, content_length=content_length, checksum=checksum
            )
        except tus.TusError as error:
            # The upload exists: tell the client where, so it can carry on with PATCH.
            error.headers = {**headers, "Upload-Offset": "0", **error.headers}
            raise
        upload = result.upload
        headers.update(_finished_headers(result))
    elif length == 0:
        # Nothing to wait for: an empty file is evidence too.
        result = tus.append(upload, read, offset=0, content_length=0)
        upload = result.upload
        headers.update(_finished_headers(result))
    headers.update(_upload_headers(upload, user))
    return _response(201, headers)


def _finished_headers(result: tus.AppendResult) -> dict[str, str]:
    if result.upload.state != UploadState.COMPLETE:
        return {}
    return {"X-Media-Duplicate": "1" if result.duplicate else "0"}


@_tus_view("HEAD", "PATCH", "DELETE")
def upload(request: HttpRequest, method: str, user, upload_id: str) -> HttpResponse:
    """One upload: HEAD for its offset, PATCH to append, DELETE to cancel (termination)."""
    try:
        key = uuid.UUID(upload_id)
    except ValueError:
        raise tus.TusError(404, _("No such upload.")) from None
    current = tus.get_upload(user, key)
    if method == "HEAD":
        # All bytes received before a crash: finish now and answer the truth.
        current = tus.resume_finish(current)
        headers = _upload_headers(current, user)
        headers["Upload-Length"] = str(current.length)
        if current.metadata.get("raw"):
            headers["Upload-Metadata"] = current.metadata["raw"]
        return _response(200, headers)
    if method == "DELETE":
        tus.terminate(current)
        return _response(204)
    if request.content_type != OFFSET_TYPE:
        raise tus.TusError(415, _("Content-Type must be %(type)s.") % {"type": OFFSET_TYPE})
    offset = _int_header(request, "Upload-Offset")
    checksum = tus.parse_checksum(request.headers.get("Upload-Checksum"))
    read, content_length = _body(request)
    result = tus.append(
        current, read, offset=offset, content_length=content_length, checksum=checksum
    )
    headers = _upload_headers(result.upload, user)
    headers.update(_finished_headers(result))
    response = _response(204, headers)
    # A PATCH that resumed a finish cut short by a crash wrote nothing of its body.
    _drain(request, response)
    return response
