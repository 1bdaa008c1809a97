"""Debian's Chromium plays what analysis judged playable, and the copies it made of the rest.

Chromium here plays H.264/AAC in MP4 (checked by the first test), so copies are
made in that form; WebM/VP9 originals play as they are.
"""

from __future__ import annotations

import pytest

from fullrecord.audit.models import AuditEntry
from fullrecord.core.testing.browser import press_play, sign_in
from fullrecord.media.choices import ProbeStatus
from fullrecord.media.models import PlaybackGrant

from .mediafiles import ingest_file

pytestmark = pytest.mark.browser


# Load, seek to just before the end, play to the end; report what the element saw.
PLAY_TO_THE_END = """
async (element) => {
  const waitFor = (name, ms) => new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    element.addEventListener(name, () => { clearTimeout(timer); resolve(true); }, {once: true});
  });
  element.muted = true;
  if (element.readyState < 2) {
    element.preload = "auto";
    const loaded = waitFor("loadeddata", 8000);
    element.load();
    await loaded;
  }
  const result = {
    readyState: element.readyState,
    duration: element.duration,
    error: element.error && element.error.message,
    videoWidth: element.videoWidth || 0,
  };
  const seeked = waitFor("seeked", 8000);
  element.currentTime = Math.max(0, element.duration - 0.3);
  result.seeked = await seeked;
  result.timeAfterSeek = element.currentTime;
  result.readyStateAfterSeek = element.readyState;
  const ended = waitFor("ended", 8000);
  await element.play();
  result.ended = await ended;
  result.timeAtEnd = element.currentTime;
  return result;
}
"""


def test_chromium_here_plays_h264_aac_mp4(page, site):
    """Which copy format to make depends on this build; Debian's carries H.264."""
    page.goto("/accounts/login/")
    answer = page.evaluate(
        """() => document.createElement("video").canPlayType('video/mp4; codecs="avc1.640028, mp4a.40.2"')"""
    )
    assert answer == "probably"


@pytest.mark.parametrize(
    ("fixture", "status", "source"),
    [
        ("mpeg4_avi", ProbeStatus.PROXY, "proxy"),
        ("h264_mp4", ProbeStatus.READY, "content"),
        ("vp9_webm", ProbeStatus.READY, "content"),
        ("flac_audio", ProbeStatus.PROXY, "proxy"),
        ("wav_audio", ProbeStatus.READY, "content"),
    ],
)
def test_the_player_loads_seeks_to_the_end_and_finishes(
    page, bureau, request, fixture, status, source
):
    item = ingest_file(request.getfixturevalue(fixture), actor=bureau.officer)
    item.refresh_from_db()  # analysis ran when the ingest committed
    assert item.status == status

    sign_in(page, "officer")
    page.goto(item.get_absolute_url())
    assert page.get_by_test_id("player").get_attribute("preload") == "none"
    player = press_play(page)
    assert "/playback/" in player.get_attribute("src")
    grant = PlaybackGrant.objects.exclude(source="stills").get(user=bureau.officer, item=item)
    assert grant.source == {"content": "original", "proxy": "proxy"}[source]
    assert grant.entry.action == "media.play"

    seen = player.evaluate(PLAY_TO_THE_END)

    assert seen["error"] is None
    # Seeking and playing to the end asked for ranges; the one entry covers them all.
    assert AuditEntry.objects.filter(action="media.play", object_id=str(item.pk)).count() == 1
    assert seen["readyState"] >= 2
    assert seen["duration"] == pytest.approx(item.duration, abs=0.25)
    assert seen["seeked"] is True
    assert seen["timeAfterSeek"] == pytest.approx(seen["duration"] - 0.3, abs=0.15)
    assert seen["ended"] is True
    assert seen["timeAtEnd"] == pytest.approx(seen["duration"], abs=0.1)
    if item.kind == "video":
        assert seen["videoWidth"] == item.width
