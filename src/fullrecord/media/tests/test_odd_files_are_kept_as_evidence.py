"""Odd files are evidence too (第七条): stored, hashed, marked, never refused or altered."""

from __future__ import annotations

import hashlib

import pytest

from fullrecord.media.choices import MediaKind, ProbeStatus
from fullrecord.media.store import get_store

pytestmark = pytest.mark.django_db

# fixture, name it arrived under, kind found, status, words the problem must contain
ODD_FILES = [
    (
        "truncated_mp4",
        "DSJ_0001.mp4",
        MediaKind.VIDEO,
        ProbeStatus.UNPLAYABLE,
        "damaged or cut short",
    ),
    ("truncated_faststart_mp4", "DSJ_0002.mp4", MediaKind.VIDEO, ProbeStatus.PROXY, "ends early"),
    (
        "random_bytes",
        "DSJ_0003.mp4",
        MediaKind.OTHER,
        ProbeStatus.UNPLAYABLE,
        "not audio, video or a picture",
    ),
    ("empty_file", "DSJ_0004.mp4", MediaKind.OTHER, ProbeStatus.UNPLAYABLE, "empty"),
    ("corrupt_jpeg", "IMG_0005.jpg", MediaKind.PHOTO, ProbeStatus.UNPLAYABLE, "damaged"),
    ("truncated_jpeg", "IMG_0006.jpg", MediaKind.PHOTO, ProbeStatus.READY, "only part of it"),
    (
        "random_bytes",
        "photo.jpg",
        MediaKind.OTHER,
        ProbeStatus.UNPLAYABLE,
        "not audio, video or a picture",
    ),
    (
        "random_bytes",
        "call.wav",
        MediaKind.OTHER,
        ProbeStatus.UNPLAYABLE,
        "not audio, video or a picture",
    ),
]
# fixture, name, kind, status: odd to a person, fine to a player
FINE_FILES = [
    ("mp4_named_txt", "notes.txt", MediaKind.VIDEO, ProbeStatus.READY),
    ("silent_mp4", "DSJ_0007.mp4", MediaKind.VIDEO, ProbeStatus.READY),
    ("wav_audio", "DSJ_0008.mp4", MediaKind.AUDIO, ProbeStatus.READY),
    ("exif_jpeg", "DSJ_0009.mp4", MediaKind.PHOTO, ProbeStatus.READY),
]


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _stored_bytes(item) -> bytes:
    with get_store().open(item.sha256) as handle:
        return handle.read()


@pytest.mark.parametrize(("fixture", "name", "kind", "status", "words"), ODD_FILES)
def test_an_odd_file_is_stored_hashed_and_marked_with_the_reason(
    request, analysed, fixture, name, kind, status, words
):
    source = request.getfixturevalue(fixture)
    data = source.read_bytes()

    item = analysed(source, name=name)

    assert item.sha256 == _sha256(data)
    assert item.size == len(data)
    assert item.original_name == name
    assert (item.kind, item.status) == (kind, status)
    assert words in item.problem
    # the bytes are exactly what arrived, before and after analysis
    assert _stored_bytes(item) == data
    assert get_store().verify(item.sha256)


@pytest.mark.parametrize(("fixture", "name", "kind", "status"), FINE_FILES)
def test_a_file_under_the_wrong_name_is_judged_by_its_content(
    request, analysed, fixture, name, kind, status
):
    source = request.getfixturevalue(fixture)

    item = analysed(source, name=name)

    assert (item.kind, item.status) == (kind, status)
    assert item.problem == ""
    assert _stored_bytes(item) == source.read_bytes()


def test_an_unplayable_file_gets_no_derived_files(analysed, random_bytes):
    item = analysed(random_bytes)

    assert not item.derivatives.exists()


def test_an_mp4_cut_short_is_still_a_video_with_its_type(analysed, truncated_mp4):
    item = analysed(truncated_mp4)

    assert item.content_type == "video/mp4"
    assert item.duration is None


def test_an_unreadable_file_keeps_ffmpegs_complaint_in_the_metadata(analysed, random_bytes):
    item = analysed(random_bytes)

    assert item.metadata["probe"]["error"]
    assert "/" not in item.metadata["probe"]["error"]  # no server paths


def test_a_video_whose_sound_track_is_lost_plays_through_a_copy_without_it(analysed, tmp_path):
    """The sound track is declared but holds nothing: the pictures survive, the loss is told."""
    import av

    from .mediafiles import make_video

    clean = make_video(tmp_path / "clean.mkv", seconds=1, codec="mpeg4", audio="aac")
    broken = tmp_path / "broken.mkv"
    with av.open(str(clean)) as source, av.open(str(broken), "w", format="matroska") as target:
        video = target.add_stream_from_template(source.streams.video[0])
        target.add_stream_from_template(source.streams.audio[0])
        for packet in source.demux(source.streams.video[0]):
            if packet.dts is None:
                continue
            packet.stream = video
            target.mux(packet)

    item = analysed(broken)

    assert item.kind == MediaKind.VIDEO
    assert item.status == ProbeStatus.PROXY
    assert "sound cannot be decoded" in item.problem
    proxy = item.derivatives.get(kind="proxy")
    with av.open(str(__import__("fullrecord.media.derived").media.derived.absolute(proxy))) as copy:
        assert [s.type for s in copy.streams] == ["video"]


def test_a_picture_too_large_to_preview_is_kept_for_the_browser(analysed, monkeypatch, large_jpeg):
    from PIL import Image

    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)  # 800×600 is now a "bomb"

    item = analysed(large_jpeg)

    assert (item.kind, item.status) == (MediaKind.PHOTO, ProbeStatus.READY)
    assert "too large to preview" in item.problem
    assert not item.derivatives.exists()
