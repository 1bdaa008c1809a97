"""Issue 11, as an attacker would try it: someone who may not see a record asks for a
short clip of it, the leader approves that stretch, and they press play hoping for the
whole record. The rendition they play holds only the clip, like the copy; the original
stays closed, and a whole rendition made for the request earlier is not played again."""

from __future__ import annotations

import av
import pytest

from fullrecord.access import copies, services
from fullrecord.access.models import Copy
from fullrecord.media.models import MediaItem
from fullrecord.media.tests.mediafiles import ingest_file, make_video
from fullrecord.media.tests.playing import Caller

SECONDS, FPS, GOP = 6.0, 10, 1.0


@pytest.fixture
def video(bureau, tmp_path):
    """Section two's footage: out of the section-one officer's own reach."""
    item = ingest_file(
        make_video(tmp_path / "乙村询问.mp4", seconds=SECONDS, fps=FPS, size=(320, 240)),
        actor=bureau.other_officer,
    )
    if item.duration is None:
        MediaItem.objects.filter(pk=item.pk).update(duration=SECONDS)
        item.refresh_from_db()
    return item


def clip_granted(bureau, video):
    request = services.file_request(
        requester=bureau.officer,
        reason="只需当事人签字的两秒",
        items=[video],
        purpose="copy",
        clip=(2.0, 4.5),
    )
    return services.decide(request, actor=bureau.leader, approve=True)


def seconds_in(data: bytes, tmp_path) -> float:
    path = tmp_path / "played.mp4"
    path.write_bytes(data)
    with av.open(str(path)) as container:
        times = [frame.time for frame in container.decode(container.streams.video[0])]
    return max(times) - min(times) + 1 / FPS


def test_pressing_play_under_a_clip_grant_gives_only_the_clip(
    bureau, video, tmp_path, django_capture_on_commit_callbacks
):
    clip_granted(bureau, video)
    player = Caller(bureau.officer)
    with django_capture_on_commit_callbacks(execute=True):
        assert player.start(video)[0] == 202
    status, answer = player.start(video)
    assert status == 201, answer
    assert answer["source"] == "rendition"

    played = player.get(answer["url"].removeprefix("http://testserver"))
    assert played.status == 200
    assert abs(seconds_in(played.body, tmp_path) - 2.5) <= GOP  # not the six seconds
    rendition = Copy.objects.get(kind="rendition")
    assert (rendition.clip_start, rendition.clip_end) == (2.0, 4.5)

    for path in ("content", "proxy", "poster"):
        refused = player.get(f"/api/media/{video.pk}/{path}", HTTP_RANGE="bytes=0-")
        assert refused.status in (403, 404)


def test_a_whole_rendition_made_for_a_clip_grant_before_is_not_played_again(bureau, video):
    request = clip_granted(bureau, video)
    whole = Copy.objects.create(
        request=request, item=video, made_by=bureau.officer, kind="rendition", state="ready"
    )
    rendition, created = copies.prepare_rendition(request, video, actor=bureau.officer)
    assert created and rendition.pk != whole.pk
    assert (rendition.clip_start, rendition.clip_end) == (2.0, 4.5)
