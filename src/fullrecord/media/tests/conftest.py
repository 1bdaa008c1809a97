"""Real media files for the media tests, made once per test session (see mediafiles.py).

The files are shared and must not be modified; a test that needs a variant makes
its own with the ``make_*`` functions into its ``tmp_path``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from .mediafiles import (
    ingest_file,
    make_audio,
    make_corrupt_jpeg,
    make_empty_file,
    make_photo,
    make_random_bytes,
    make_truncated_video,
    make_video,
)

# What the fixtures' devices wrote: tests compare against these.
RECORDED_AT = datetime(2024, 5, 1, 8, 30, tzinfo=UTC)
LOCATION = "+39.9042+116.4074+044.000/"  # Tiananmen, ISO 6709
LATITUDE, LONGITUDE = 39.9042, 116.4074
PHOTO_TAKEN = datetime(2024, 5, 1, 16, 30, 5, tzinfo=timezone(timedelta(hours=8)))


@pytest.fixture(scope="session")
def media_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="session")
def h264_mp4(media_dir):
    """2 s of H.264/AAC with a creation_time and an ISO 6709 location: plays as it is."""
    return make_video(
        media_dir / "DSJ_20240501_083000.mp4", seconds=2, start=RECORDED_AT, location=LOCATION
    )


@pytest.fixture(scope="session")
def silent_mp4(media_dir):
    """H.264 with no sound track."""
    return make_video(media_dir / "silent.mp4", seconds=1, audio=None)


@pytest.fixture(scope="session")
def mpeg4_avi(media_dir):
    """MPEG-4 Part 2 (Xvid-style) with MP3 in AVI: a browser cannot play it."""
    return make_video(media_dir / "old-camera.avi", seconds=2, codec="mpeg4", audio="mp3")


@pytest.fixture(scope="session")
def mpeg4_mkv(media_dir):
    """MPEG-4 Part 2 with AAC in Matroska, recorded at RECORDED_AT: needs a copy too."""
    return make_video(
        media_dir / "recorder.mkv", seconds=1, codec="mpeg4", audio="aac", start=RECORDED_AT
    )


@pytest.fixture(scope="session")
def vp9_webm(media_dir):
    return make_video(media_dir / "browser.webm", seconds=1, codec="vp9", audio="opus")


@pytest.fixture(scope="session")
def wav_audio(media_dir):
    return make_audio(media_dir / "interview.wav", seconds=1)


@pytest.fixture(scope="session")
def mp3_audio(media_dir):
    return make_audio(media_dir / "interview.mp3", seconds=1)


@pytest.fixture(scope="session")
def m4a_audio(media_dir):
    return make_audio(media_dir / "interview.m4a", seconds=1)


@pytest.fixture(scope="session")
def flac_audio(media_dir):
    """FLAC in Matroska: sound a browser cannot play from that container."""
    return make_audio(media_dir / "recorder-audio.mka", seconds=1, codec="flac", fmt="matroska")


@pytest.fixture(scope="session")
def exif_jpeg(media_dir):
    """64×48 JPEG taken at PHOTO_TAKEN (+08:00) at Tiananmen, camera turned (orientation 6)."""
    return make_photo(
        media_dir / "scene.jpg",
        size=(64, 48),
        taken=PHOTO_TAKEN,
        gps=(LATITUDE, LONGITUDE),
        orientation=6,
    )


@pytest.fixture(scope="session")
def large_jpeg(media_dir):
    return make_photo(media_dir / "wide.jpg", size=(800, 600))


@pytest.fixture(scope="session")
def truncated_mp4(media_dir):
    """An MP4 cut in half with its index at the end: nothing can be decoded."""
    return make_truncated_video(media_dir / "cut.mp4")


@pytest.fixture(scope="session")
def truncated_faststart_mp4(media_dir):
    """An MP4 cut in half with its index at the front: the first part still plays."""
    return make_truncated_video(media_dir / "cut-faststart.mp4", faststart=True)


@pytest.fixture(scope="session")
def random_bytes(media_dir):
    return make_random_bytes(media_dir / "random.mp4")


@pytest.fixture(scope="session")
def empty_file(media_dir):
    return make_empty_file(media_dir / "empty.mp4")


@pytest.fixture(scope="session")
def corrupt_jpeg(media_dir):
    return make_corrupt_jpeg(media_dir / "corrupt.jpg")


@pytest.fixture(scope="session")
def truncated_jpeg(media_dir):
    return make_corrupt_jpeg(media_dir / "cut.jpg", how="truncated")


@pytest.fixture(scope="session")
def mp4_named_txt(media_dir, h264_mp4):
    """An MP4 whose name says it is text."""
    path = media_dir / "notes.txt"
    path.write_bytes(h264_mp4.read_bytes())
    return path


@pytest.fixture
def ingest(bureau):
    """``ingest(path, name=None, actor=None)``: take a file in as the officer would."""

    def _ingest(path, *, name=None, actor=None, **kwargs):
        return ingest_file(path, actor=actor or bureau.officer, name=name, **kwargs)

    return _ingest


@pytest.fixture
def analysed(ingest):
    """``analysed(path, name=None)``: ingest a file, analyse it, return the fresh MediaItem.

    The problem is written in English here, so tests can read it.
    """
    from django.utils import translation

    from fullrecord.media.analysis import analyse_item

    def _analysed(path, *, name=None, **kwargs):
        item = ingest(path, name=name, **kwargs)
        with translation.override("en"):
            analyse_item(item)
        item.refresh_from_db()
        return item

    return _analysed
