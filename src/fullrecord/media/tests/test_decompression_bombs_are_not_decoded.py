"""A picture declaring a bomb's worth of pixels is kept and described, never decoded.

The bomb is real: a valid 1-bit PNG of 12 500 × 12 500 pixels (156 megapixels) whose
all-zero rows compress to about 19 KB — the file that drove a worker to 1.5 GB.
Decoding it would cost 156 MB as it is and three times that as RGB; the test checks
that the analysing process's peak memory does not grow by anything near that.
"""

from __future__ import annotations

import resource
import struct
import zlib
from pathlib import Path

import pytest

from fullrecord.media.choices import MediaKind
from fullrecord.media.store import get_store

pytestmark = pytest.mark.django_db

SIDE = 12_500


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def make_png_bomb(path: Path, side: int = SIDE) -> Path:
    """A valid PNG, bit depth 1, greyscale, every pixel black; rows compressed as a stream."""
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    row = b"\x00" * (1 + (side + 7) // 8)  # filter byte, then the packed bits
    packer = zlib.compressobj(9)
    data = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", data)
        + _chunk(b"IEND", b"")
    )
    return path


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


# Pillow warns when it reads a header this large; the warning is what the test is about.
@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_a_png_bomb_is_kept_with_the_finding_and_not_decoded(analysed, tmp_path):
    bomb = make_png_bomb(tmp_path / "IMG_0001.png")
    assert bomb.stat().st_size < 64 * 1024
    before = peak_rss_mb()

    item = analysed(bomb)

    grown = peak_rss_mb() - before
    assert grown < 60, f"analysis raised the peak memory by {grown:.0f} MB"
    assert item.kind == MediaKind.PHOTO
    assert (item.width, item.height) == (SIDE, SIDE)
    assert "12500×12500 pixels (156 megapixels)" in item.problem
    assert "not decoded" in item.problem
    assert not item.derivatives.exists()
    assert get_store().exists(item.sha256)  # evidence is kept, never refused


def test_video_frames_past_the_limit_are_not_decoded_either(analysed, settings, h264_mp4):
    """Stills and frames PyAV would decode are checked by their declared size too."""
    settings.FULLRECORD_ANALYSIS_MAX_PIXELS = 160 * 120 - 1  # the fixture is 160×120

    item = analysed(h264_mp4)

    assert "160×120 pixels" in item.problem and "not decoded" in item.problem
    assert not item.derivatives.filter(kind__in=["poster", "thumbnail"]).exists()
    assert get_store().exists(item.sha256)


def test_a_picture_within_the_limit_is_still_previewed(analysed, large_jpeg):
    item = analysed(large_jpeg)

    assert item.problem == ""
    assert item.derivatives.filter(kind="poster").exists()
