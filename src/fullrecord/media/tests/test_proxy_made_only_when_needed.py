"""A playable copy is made only when Chromium cannot play the original, and it decodes."""

from __future__ import annotations

import av
import pytest

from fullrecord.media import derived
from fullrecord.media.choices import ProbeStatus
from fullrecord.media.models import Derivative

from .mediafiles import make_video

pytestmark = pytest.mark.django_db


def _proxy_path(item):
    return derived.absolute(Derivative.objects.get(item=item, kind="proxy"))


def _decoded(path) -> dict:
    """What PyAV makes of a file: codecs, size, frames decoded, seconds covered."""
    with av.open(str(path)) as container:
        video = container.streams.video[0] if container.streams.video else None
        audio = container.streams.audio[0] if container.streams.audio else None
        frames = samples = 0
        for frame in container.decode(*[s for s in (video, audio) if s is not None]):
            if isinstance(frame, av.VideoFrame):
                frames += 1
            else:
                samples += frame.samples
        return {
            "format": container.format.name,
            "video": video.codec_context.name if video else None,
            "audio": audio.codec_context.name if audio else None,
            "size": (video.codec_context.width, video.codec_context.height) if video else None,
            "pix_fmt": video.codec_context.pix_fmt if video else None,
            "frames": frames,
            "audio_seconds": samples / audio.codec_context.sample_rate if audio else 0,
            "duration": container.duration / av.time_base if container.duration else None,
        }


@pytest.mark.parametrize(
    "fixture",
    ["h264_mp4", "silent_mp4", "vp9_webm", "wav_audio", "mp3_audio", "m4a_audio", "exif_jpeg"],
)
def test_an_original_the_browser_plays_gets_no_copy(request, analysed, fixture):
    item = analysed(request.getfixturevalue(fixture))

    assert item.status == ProbeStatus.READY
    assert not Derivative.objects.filter(item=item, kind="proxy").exists()


@pytest.mark.parametrize("fixture", ["mpeg4_avi", "mpeg4_mkv"])
def test_mpeg4_part2_gets_an_h264_aac_copy_that_decodes(request, analysed, fixture):
    original = request.getfixturevalue(fixture)
    item = analysed(original)

    assert item.status == ProbeStatus.PROXY
    proxy = Derivative.objects.get(item=item, kind="proxy")
    assert proxy.content_type == "video/mp4"
    assert (proxy.width, proxy.height) == (160, 120)
    copy = _decoded(_proxy_path(item))
    source = _decoded(original)
    assert copy["format"].startswith("mov,mp4")
    assert (copy["video"], copy["audio"]) == ("h264", "aac")
    assert copy["pix_fmt"] == "yuv420p"
    assert copy["frames"] == source["frames"]
    assert copy["audio_seconds"] == pytest.approx(source["audio_seconds"], abs=0.1)


def test_the_copy_has_its_index_first_so_playback_starts_at_once(analysed, mpeg4_avi):
    item = analysed(mpeg4_avi)

    data = _proxy_path(item).read_bytes()
    assert 0 <= data.find(b"moov") < data.find(b"mdat")


def test_a_large_original_is_copied_at_720p_at_most(analysed, tmp_path):
    original = make_video(
        tmp_path / "hd.avi", seconds=0.3, size=(1600, 900), codec="mpeg4", audio=None
    )

    item = analysed(original)

    assert _decoded(_proxy_path(item))["size"] == (1280, 720)
    assert (item.width, item.height) == (1600, 900)  # the original's own size


def test_an_upright_original_keeps_its_shape(analysed, tmp_path):
    original = make_video(
        tmp_path / "upright.avi", seconds=0.3, size=(720, 1280), codec="mpeg4", audio=None
    )

    item = analysed(original)

    assert _decoded(_proxy_path(item))["size"] == (720, 1280)


def test_a_video_without_sound_gets_a_copy_without_sound(analysed, tmp_path):
    item = analysed(make_video(tmp_path / "mute.avi", seconds=0.5, codec="mpeg4", audio=None))

    copy = _decoded(_proxy_path(item))
    assert (copy["video"], copy["audio"]) == ("h264", None)


def test_h264_in_a_container_the_browser_cannot_open_is_copied(analysed, tmp_path):
    item = analysed(make_video(tmp_path / "ts.ts", seconds=0.5, codec="h264", audio="aac"))

    assert item.content_type == "video/mp2t"
    assert item.status == ProbeStatus.PROXY
    assert _decoded(_proxy_path(item))["video"] == "h264"


def test_a_cut_short_file_that_still_decodes_is_copied_as_far_as_it_goes(
    analysed, truncated_faststart_mp4
):
    item = analysed(truncated_faststart_mp4)

    assert item.status == ProbeStatus.PROXY
    assert "ends early" in item.problem
    copy = _decoded(_proxy_path(item))
    assert copy["frames"] >= 5
    assert item.duration == pytest.approx(copy["duration"], abs=0.2)
    assert item.duration < 1.9


def test_a_turned_picture_is_copied_upright(analysed, tmp_path):
    """A phone held upright: stored 64×48 with a white block top left, turned on playback."""
    original = make_video(
        tmp_path / "phone.mov", seconds=0.5, size=(64, 48), codec="mpeg4", audio=None, rotation=90
    )

    item = analysed(original)

    assert item.status == ProbeStatus.PROXY
    assert (item.width, item.height) == (48, 64)
    with av.open(str(_proxy_path(item))) as copy:
        frame = next(copy.decode(video=0))
        assert frame.rotation == 0  # turned already: no player may turn it again
        picture = frame.to_image()
    assert picture.size == (48, 64)
    assert min(picture.getpixel((44, 4))) > 200
    assert max(picture.getpixel((4, 40))[:2]) < 100
