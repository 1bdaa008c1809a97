"""第十七条: someone who sees a record only through an approved access request plays a
rendition with their name, 执法证号, the time and the request's number burned in — never
the original's bytes — and every byte of it is covered by their play entry."""

from __future__ import annotations

import hashlib
import io
import re

import pytest
from django.utils import translation

from fullrecord.access import services
from fullrecord.access.models import Copy
from fullrecord.audit.models import AuditEntry
from fullrecord.media.models import PlaybackGrant
from fullrecord.media.store import get_store
from fullrecord.media.tests.mediafiles import ingest_file, make_video
from fullrecord.media.tests.playing import Caller, plays

DOORS = ["wsgi", "django"]


@pytest.fixture
def video(bureau, tmp_path):
    """Section two's footage: out of the section-one officer's own reach."""
    return ingest_file(
        make_video(tmp_path / "乙村现场.mp4", seconds=1, size=(320, 240)),
        actor=bureau.other_officer,
    )


def approved(bureau, video, purpose="view"):
    request = services.file_request(
        requester=bureau.officer, reason="行政复议答辩", items=[video], purpose=purpose
    )
    return services.decide(request, actor=bureau.leader, approve=True)


def zh(message: str) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(message)


def play_rendition(player: Caller, video, capture) -> str:
    """Press play: 202 while the rendition is made, then the signed URL."""
    with capture(execute=True):
        status, answer = player.start(video)
        assert status == 202, answer
        assert not PlaybackGrant.objects.exists()  # nothing plays, nothing is recorded yet
    status, answer = player.start(video)
    assert status == 201, answer
    assert answer["source"] == "rendition"
    return answer["url"].removeprefix("http://testserver")


@pytest.mark.parametrize("door", DOORS)
def test_a_request_holder_plays_a_watermarked_rendition_covered_by_their_entry(
    bureau, video, door, django_capture_on_commit_callbacks
):
    request = approved(bureau, video)
    player = Caller(bureau.officer)
    url = play_rendition(player, video, django_capture_on_commit_callbacks)

    answer = player.get(url, door=door)
    assert answer.status == 200
    rendition = Copy.objects.get(kind="rendition")
    assert rendition.state == "ready" and rendition.made_by == bureau.officer
    assert hashlib.sha256(answer.body).hexdigest() == rendition.sha256 != video.sha256
    for mark in (bureau.officer.full_name, bureau.officer.certificate_number, request.number):
        assert mark in rendition.watermark
    entry = AuditEntry.objects.get(action="media.play")
    assert entry.actor == bureau.officer and entry.object_id == str(video.pk)
    assert entry.data["request"] == request.number and entry.data["source"] == "rendition"
    assert PlaybackGrant.objects.get().entry == entry
    assert player.get(url, door=door, HTTP_RANGE="bytes=100-199").body == answer.body[100:200]
    assert len(plays(bureau.officer, video)) == 1
    assert get_store().verify(video.sha256)  # the original is untouched


@pytest.mark.parametrize("door", DOORS)
def test_revoking_the_request_stops_the_next_range(
    bureau, video, door, django_capture_on_commit_callbacks
):
    request = approved(bureau, video)
    player = Caller(bureau.officer)
    url = play_rendition(player, video, django_capture_on_commit_callbacks)
    assert player.get(url, door=door, HTTP_RANGE="bytes=0-99").status == 206

    services.revoke(request, actor=bureau.leader, reason="案件已结")

    assert player.get(url, door=door, HTTP_RANGE="bytes=100-199").status == 404
    assert player.start(video)[0] == 404


def status_line(page: str) -> str:
    found = re.search(r'data-testid="playback-status"[^>]*>(.*?)</p>', page, re.S)
    assert found, "the player says nothing"
    return found.group(1)


def test_the_page_says_the_rendition_is_being_prepared_while_it_is_made(
    bureau, video, django_capture_on_commit_callbacks
):
    request = approved(bureau, video)
    player = Caller(bureau.officer)
    preparing = zh("A copy watermarked with your name is being prepared for playback.")
    with django_capture_on_commit_callbacks(execute=True):
        page = player.client.get(video.get_absolute_url()).content.decode()
        assert status_line(page) == preparing
        assert 'preload="none"' in page and "/content" not in page and "/poster" not in page
    page = player.client.get(video.get_absolute_url()).content.decode()
    assert request.number in status_line(page) and preparing not in status_line(page)
    assert Copy.objects.filter(kind="rendition").count() == 1  # made once, not per visit
    assert not AuditEntry.objects.filter(action="media.play").exists()  # opening is a view


def test_the_rendition_is_not_a_copy_handed_out(bureau, video, django_capture_on_commit_callbacks):
    request = approved(bureau, video, purpose="copy")
    player = Caller(bureau.officer)
    play_rendition(player, video, django_capture_on_commit_callbacks)
    rendition = Copy.objects.get(kind="rendition")

    assert player.client.get(f"/access/copies/{rendition.pk}/download/").status_code == 404
    assert player.client.get(f"/api/copies/{rendition.pk}/").status_code == 404
    assert player.client.get(f"/api/copies/{rendition.pk}/content").status_code == 404
    page = player.client.get(request.get_absolute_url()).content.decode()
    assert rendition.filename not in page


def test_the_original_and_its_plain_copy_stay_closed_to_them(bureau, video):
    approved(bureau, video)
    player = Caller(bureau.officer)
    for path in ("content", "proxy", "poster"):
        answer = player.get(f"/api/media/{video.pk}/{path}", HTTP_RANGE="bytes=0-")
        assert answer.status in (403, 404) and answer.status != 200
    assert not AuditEntry.objects.filter(action="media.play").exists()


def test_a_photo_seen_through_a_request_shows_as_a_watermarked_image(
    bureau, tmp_path, django_capture_on_commit_callbacks
):
    from PIL import Image

    from fullrecord.media.tests.mediafiles import make_photo

    photo = ingest_file(
        make_photo(tmp_path / "现场.jpg", size=(400, 300)), actor=bureau.other_officer
    )
    request = approved(bureau, photo)
    player = Caller(bureau.officer)
    with django_capture_on_commit_callbacks(execute=True):  # opening starts the making
        page = player.client.get(photo.get_absolute_url()).content.decode()
    assert f'data-playback="/api/media/{photo.pk}/playback"' in page and "/poster" not in page

    status, started = player.start(photo)  # what the page's script asks at once
    assert status == 201 and started["source"] == "rendition"
    answer = player.get(started["url"].removeprefix("http://testserver"))
    assert answer.status == 200 and answer.headers["Content-Type"] == "image/jpeg"
    with Image.open(io.BytesIO(answer.body)) as image:
        assert image.size == (400, 300)
    assert hashlib.sha256(answer.body).hexdigest() != photo.sha256
    entry = AuditEntry.objects.get(action="media.play", actor=bureau.officer)
    assert entry.data["request"] == request.number
