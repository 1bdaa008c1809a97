"""/api/media/<id>/content: HEAD, GET, Range, multipart ranges, If-Range, 416."""

from __future__ import annotations

import os

import pytest

from .evidence import ingest_bytes

DATA = os.urandom(100_000)


@pytest.fixture
def item(bureau):
    return ingest_bytes(bureau.officer, DATA, "clip.mp4").item


@pytest.fixture
def client_as(api_client, bureau):
    api_client.force_authenticate(bureau.officer)
    return api_client


def url(item):
    return f"/api/media/{item.pk}/content"


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_it_serves_the_whole_original(client_as, item):
    response = client_as.get(url(item))
    assert response.status_code == 200
    assert body(response) == DATA
    assert response["Content-Length"] == str(len(DATA))
    assert response["Accept-Ranges"] == "bytes"
    assert response["ETag"] == f'"{item.sha256}"'


def test_head_answers_headers_without_a_body(client_as, item):
    response = client_as.head(url(item))
    assert response.status_code == 200
    assert response["Content-Length"] == str(len(DATA))
    assert body(response) == b""


@pytest.mark.parametrize(
    ("header", "start", "end"),
    [
        ("bytes=0-99", 0, 99),
        ("bytes=99000-", 99000, 99999),
        ("bytes=-500", 99500, 99999),
        ("bytes=99990-200000", 99990, 99999),
    ],
)
def test_a_single_range_answers_206(client_as, item, header, start, end):
    response = client_as.get(url(item), HTTP_RANGE=header)
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {start}-{end}/{len(DATA)}"
    assert body(response) == DATA[start : end + 1]


def test_several_ranges_answer_multipart_byteranges(client_as, item):
    response = client_as.get(url(item), HTTP_RANGE="bytes=0-9,500-509")
    assert response.status_code == 206
    assert response["Content-Type"].startswith("multipart/byteranges; boundary=")
    payload = body(response)
    assert len(payload) == int(response["Content-Length"])
    assert b"Content-Range: bytes 0-9/100000" in payload
    assert DATA[0:10] in payload and DATA[500:510] in payload


def test_an_unsatisfiable_range_answers_416_with_the_length(client_as, item):
    response = client_as.get(url(item), HTTP_RANGE="bytes=200000-")
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(DATA)}"


def test_a_malformed_range_is_ignored(client_as, item):
    response = client_as.get(url(item), HTTP_RANGE="bytes=abc")
    assert response.status_code == 200
    assert body(response) == DATA


def test_if_range_with_the_current_etag_honours_the_range(client_as, item):
    response = client_as.get(url(item), HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE=f'"{item.sha256}"')
    assert response.status_code == 206


def test_if_range_with_another_etag_sends_the_whole_file(client_as, item):
    response = client_as.get(url(item), HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE='"stale"')
    assert response.status_code == 200
    assert body(response) == DATA


def test_the_original_cannot_be_downloaded_only_played(client_as, item):
    """第十八条第三项: copies go through an approved request, watermarked."""
    response = client_as.get(url(item) + "?download=1")
    assert response.status_code == 403


def test_playback_is_recorded_once_not_per_seek(client_as, item):
    from fullrecord.audit.models import AuditEntry

    client_as.get(url(item), HTTP_RANGE="bytes=0-")
    client_as.get(url(item), HTTP_RANGE="bytes=5000-")
    assert AuditEntry.objects.filter(action="media.play", object_id=str(item.pk)).count() == 1


@pytest.mark.parametrize("persona", ["other_officer", "outsider_leader", "nobody", "admin"])
def test_people_without_reach_get_404(api_client, bureau, item, persona):
    api_client.force_authenticate(getattr(bureau, persona))
    assert api_client.get(url(item)).status_code == 404


@pytest.mark.parametrize("pk", ["999999", "abc", "99999999999999999999999"])
def test_unknown_ids_give_404(client_as, pk):
    assert client_as.get(f"/api/media/{pk}/content").status_code == 404


def test_anonymous_callers_are_refused(api_client, item):
    assert api_client.get(url(item)).status_code in (401, 403)
