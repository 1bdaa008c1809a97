"""Repeat ranges skip Django only for the credentials just allowed, for a few seconds."""

from __future__ import annotations

import io
import time

import pytest

from fullrecord.media import fastpath
from fullrecord.media.store import get_store

from .evidence import ingest_bytes

DATA = bytes(range(256)) * 400


class Inner:
    """Stands for Django behind the fast path: records that it was asked."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, environ, start_response):
        self.calls += 1
        start_response("404 Not Found", [])
        return [b""]


def call(app, path, headers=None, query=""):
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "wsgi.input": io.BytesIO(),
    }
    environ.update(headers or {})
    seen = {}

    def start_response(status, response_headers):
        seen["status"], seen["headers"] = status, dict(response_headers)

    body = b"".join(app(environ, start_response))
    return seen["status"], seen["headers"], body


@pytest.fixture(autouse=True)
def _fresh_grants():
    fastpath.forget_all()
    yield
    fastpath.forget_all()


@pytest.fixture
def item(bureau):
    return ingest_bytes(bureau.officer, DATA, "clip.mp4").item


TOKEN = {"HTTP_AUTHORIZATION": "Token abc"}


def allow(item, meta=TOKEN):
    fastpath.remember(
        meta,
        item.pk,
        get_store().local_path(item.sha256),
        size=item.size,
        etag=f'"{item.sha256}"',
        content_type="video/mp4",
        last_modified=0,
    )


def test_without_a_grant_django_answers(item):
    inner = Inner()
    call(
        fastpath.RangeFastPath(inner),
        f"/api/media/{item.pk}/content",
        {**TOKEN, "HTTP_RANGE": "bytes=100-199"},
    )
    assert inner.calls == 1


def test_a_fresh_grant_serves_the_range_from_the_file(item):
    allow(item)
    inner = Inner()
    status, headers, body = call(
        fastpath.RangeFastPath(inner),
        f"/api/media/{item.pk}/content",
        {**TOKEN, "HTTP_RANGE": "bytes=100-199"},
    )
    assert inner.calls == 0 and status.startswith("206")
    assert body == DATA[100:200]
    assert headers["Content-Range"] == f"bytes 100-199/{len(DATA)}"
    assert "default-src 'self'" in headers["Content-Security-Policy"]


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_AUTHORIZATION": "Token someone-else", "HTTP_RANGE": "bytes=100-199"},
        {**TOKEN, "HTTP_RANGE": "bytes=0-199"},  # a play from the start is recorded by Django
        {**TOKEN, "HTTP_RANGE": "bytes=0-9,100-199"},
        {**TOKEN, "HTTP_RANGE": "bytes=100-199", "HTTP_IF_RANGE": '"x"'},
        {**TOKEN},
    ],
)
def test_other_credentials_or_requests_go_through_django(item, headers):
    allow(item)
    inner = Inner()
    call(fastpath.RangeFastPath(inner), f"/api/media/{item.pk}/content", headers)
    assert inner.calls == 1


def test_a_grant_lapses_after_its_seconds(item, settings, monkeypatch):
    settings.FULLRECORD_RANGE_GRANT_SECONDS = 5
    allow(item)
    later = time.monotonic() + 6
    monkeypatch.setattr(fastpath.time, "monotonic", lambda: later)
    inner = Inner()
    call(
        fastpath.RangeFastPath(inner),
        f"/api/media/{item.pk}/content",
        {**TOKEN, "HTTP_RANGE": "bytes=100-199"},
    )
    assert inner.calls == 1


def test_zero_seconds_turns_it_off(item, settings):
    settings.FULLRECORD_RANGE_GRANT_SECONDS = 0
    allow(item)
    inner = Inner()
    call(
        fastpath.RangeFastPath(inner),
        f"/api/media/{item.pk}/content",
        {**TOKEN, "HTTP_RANGE": "bytes=100-199"},
    )
    assert inner.calls == 1


def test_the_content_view_leaves_a_grant_only_for_who_it_allowed(api_client, bureau, item):
    api_client.force_authenticate(bureau.officer)
    response = api_client.get(
        f"/api/media/{item.pk}/content",
        HTTP_RANGE="bytes=0-9",
        HTTP_AUTHORIZATION="Token officer-token",
    )
    b"".join(response.streaming_content) if response.streaming else response.content
    assert fastpath.credentials({"HTTP_AUTHORIZATION": "Token officer-token"}) in {
        key for _, key in fastpath._grants
    }
    api_client.force_authenticate(bureau.other_officer)
    assert (
        api_client.get(
            f"/api/media/{item.pk}/content",
            HTTP_RANGE="bytes=0-9",
            HTTP_AUTHORIZATION="Token other-token",
        ).status_code
        == 404
    )
    assert fastpath.credentials({"HTTP_AUTHORIZATION": "Token other-token"}) not in {
        key for _, key in fastpath._grants
    }
