"""Analysis of sound recordings (录音): codecs, length, and whether a browser plays them."""

from __future__ import annotations

import pytest

from fullrecord.media.choices import MediaKind, ProbeStatus

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("fixture", "content_type", "codec"),
    [
        ("wav_audio", "audio/wav", "pcm_s16le"),
        ("mp3_audio", "audio/mpeg", "mp3"),
        ("m4a_audio", "audio/mp4", "aac"),
    ],
)
def test_common_recordings_are_audio_that_plays_as_it_is(
    request, analysed, fixture, content_type, codec
):
    item = analysed(request.getfixturevalue(fixture))

    assert item.kind == MediaKind.AUDIO
    assert item.status == ProbeStatus.READY
    assert item.problem == ""
    assert item.content_type == content_type
    assert (item.video_codec, item.audio_codec) == ("", codec)
    assert item.duration == pytest.approx(1.0, abs=0.1)
    assert item.width is None and item.height is None
    assert not item.derivatives.filter(kind="proxy").exists()


def test_sound_in_a_container_the_browser_cannot_open_gets_an_aac_copy(analysed, flac_audio):
    item = analysed(flac_audio)

    assert item.kind == MediaKind.AUDIO
    assert item.status == ProbeStatus.PROXY
    proxy = item.derivatives.get(kind="proxy")
    assert proxy.content_type == "audio/mp4"
    assert proxy.path.endswith("proxy.m4a")
