"""Analysis reads what a camera wrote into a video: codecs, size, length, start, place."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from fullrecord.media.choices import MediaKind, ProbeStatus
from fullrecord.media.services import Hints

from .conftest import LATITUDE, LONGITUDE, RECORDED_AT
from .mediafiles import make_video

pytestmark = pytest.mark.django_db


def test_it_reads_codecs_size_length_and_container_of_an_h264_clip(analysed, h264_mp4):
    item = analysed(h264_mp4)

    assert item.kind == MediaKind.VIDEO
    assert item.status == ProbeStatus.READY
    assert item.problem == ""
    assert item.content_type == "video/mp4"
    assert (item.video_codec, item.audio_codec) == ("h264", "aac")
    assert (item.width, item.height) == (160, 120)
    assert item.duration == pytest.approx(2.0, abs=0.1)


def test_it_takes_the_recording_start_from_creation_time(analysed, h264_mp4):
    item = analysed(h264_mp4)

    assert item.device_recorded_at == RECORDED_AT
    # 第十五条: the time of use follows the device when nobody set it at ingest,
    # and the receipt time stays as it was, so the clock skew can be read off.
    assert item.used_at == RECORDED_AT
    assert item.clock_skew == (item.received_at - RECORDED_AT).total_seconds()


def test_it_keeps_a_time_of_use_the_source_already_gave(ingest, h264_mp4):
    from fullrecord.media.analysis import analyse_item

    station_time = datetime(2024, 5, 1, 8, 29, 58, tzinfo=UTC)
    item = ingest(h264_mp4, hints=Hints(used_at=station_time))
    analyse_item(item)
    item.refresh_from_db()

    assert item.device_recorded_at == RECORDED_AT
    assert item.used_at == station_time


def test_it_reads_the_iso6709_location(analysed, h264_mp4):
    item = analysed(h264_mp4)

    assert item.latitude == Decimal(f"{LATITUDE:.6f}")
    assert item.longitude == Decimal(f"{LONGITUDE:.6f}")


def test_a_clip_without_time_or_place_leaves_them_empty(analysed, silent_mp4):
    item = analysed(silent_mp4)

    assert item.device_recorded_at is None
    assert item.latitude is None and item.longitude is None
    assert abs((item.used_at - item.received_at).total_seconds()) <= 1


def test_a_video_with_no_sound_is_a_playable_video(analysed, silent_mp4):
    item = analysed(silent_mp4)

    assert item.kind == MediaKind.VIDEO
    assert item.status == ProbeStatus.READY
    assert (item.video_codec, item.audio_codec) == ("h264", "")


def test_it_reads_the_start_of_a_matroska_recording(analysed, mpeg4_mkv):
    item = analysed(mpeg4_mkv)

    assert item.content_type == "video/x-matroska"
    assert (item.video_codec, item.audio_codec) == ("mpeg4", "aac")
    assert item.device_recorded_at == RECORDED_AT


def test_an_avi_is_described_by_what_it_holds(analysed, mpeg4_avi):
    item = analysed(mpeg4_avi)

    assert item.kind == MediaKind.VIDEO
    assert item.content_type == "video/x-msvideo"
    assert (item.video_codec, item.audio_codec) == ("mpeg4", "mp3")
    assert item.duration == pytest.approx(2.0, abs=0.2)


def test_a_webm_is_recognised_as_webm(analysed, vp9_webm):
    item = analysed(vp9_webm)

    assert item.content_type == "video/webm"
    assert (item.video_codec, item.audio_codec) == ("vp9", "opus")
    assert item.status == ProbeStatus.READY


def test_the_kind_follows_the_content_not_the_file_name(analysed, mp4_named_txt):
    item = analysed(mp4_named_txt, name="notes.txt")

    assert item.kind == MediaKind.VIDEO
    assert item.content_type == "video/mp4"
    assert item.status == ProbeStatus.READY


def test_the_time_zone_of_a_quicktime_creationdate_is_kept(analysed, tmp_path):
    """Phones write ``com.apple.quicktime.creationdate`` with the local zone."""
    import av

    path = make_video(tmp_path / "phone.mov", seconds=0.5, audio=None)
    # Rewrite the container with the phone's tag (remux, no re-encoding).
    tagged = tmp_path / "phone-tagged.mov"
    with (
        av.open(str(path)) as source,
        av.open(
            str(tagged), "w", format="mov", options={"movflags": "use_metadata_tags"}
        ) as target,
    ):
        target.metadata["com.apple.quicktime.creationdate"] = "2024-05-01T16:30:00+0800"
        stream = target.add_stream_from_template(source.streams.video[0])
        for packet in source.demux(source.streams.video[0]):
            if packet.dts is None:
                continue
            packet.stream = stream
            target.mux(packet)

    item = analysed(tagged)

    assert item.device_recorded_at == RECORDED_AT.replace(hour=8, minute=30)
    assert item.device_recorded_at.utcoffset() is not None
    assert item.content_type == "video/quicktime"


def test_the_raw_probe_is_kept_as_bounded_json(analysed, h264_mp4):
    item = analysed(h264_mp4)

    probe = item.metadata["probe"]
    assert probe["format"]["name"].startswith("mov,mp4")
    assert probe["format"]["tags"]["creation_time"].startswith("2024-05-01T08:30:00")
    assert [s["codec"] for s in probe["streams"]] == ["h264", "aac"]
    assert len(json.dumps(item.metadata)) < 64 * 1024
