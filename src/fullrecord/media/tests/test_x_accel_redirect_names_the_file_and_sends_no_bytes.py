"""With ``FULLRECORD_ACCEL_REDIRECT`` the application sends no bytes: after the same checks
and the same entry, it names the file under the proxy's internal location. Refusals
stay refusals (nothing named). The real nginx is in
``test_playback_behind_nginx_goes_out_by_x_accel_redirect``."""

from __future__ import annotations

import os

import pytest

from fullrecord.audit.models import AuditEntry
from fullrecord.media.models import MediaItem

from .evidence import ingest_bytes
from .playing import Caller

DATA = os.urandom(50_000)


@pytest.fixture
def item(bureau):
    item = ingest_bytes(bureau.officer, DATA, "clip.mp4").item
    MediaItem.objects.filter(pk=item.pk).update(
        kind="video", status="ready", content_type="video/mp4", duration=3.0
    )
    item.refresh_from_db()
    return item


@pytest.fixture
def accel(settings):
    settings.FULLRECORD_ACCEL_REDIRECT = "/_fullrecord/"


@pytest.mark.parametrize("door", ["wsgi", "django"])
def test_a_signed_range_names_the_original_for_the_proxy(bureau, item, accel, door):
    player = Caller(bureau.officer)
    status, answer = player.start(item)
    assert status == 201
    url = answer["url"].removeprefix("http://testserver")

    answer = player.get(url, door=door, HTTP_RANGE="bytes=10-19")

    sha = item.sha256
    assert answer.status == 200 and answer.body == b""
    assert answer.headers["X-Accel-Redirect"] == (
        f"/_fullrecord/store/originals/{sha[:2]}/{sha[2:4]}/{sha}"
    )
    assert answer.headers["Content-Type"] == "video/mp4"
    assert AuditEntry.objects.filter(action="media.play").count() == 1


def test_the_api_content_endpoint_names_it_too_and_is_covered(bureau, item, accel):
    player = Caller(bureau.officer)
    answer = player.get(f"/api/media/{item.pk}/content", door="django", HTTP_RANGE="bytes=0-9")
    assert answer.headers["X-Accel-Redirect"].endswith(item.sha256)
    assert AuditEntry.objects.filter(action="media.play").count() == 1


def test_someone_without_reach_is_named_nothing(bureau, item, accel):
    outsider = Caller(bureau.outsider_leader)
    answer = outsider.get(f"/api/media/{item.pk}/content", door="django")
    assert answer.status == 404
    assert "X-Accel-Redirect" not in answer.headers
