"""Photos (照片): when and where the camera says it was taken, and which way is up."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from fullrecord.media.choices import MediaKind, ProbeStatus

from .conftest import LATITUDE, LONGITUDE, PHOTO_TAKEN
from .mediafiles import make_photo

pytestmark = pytest.mark.django_db


def test_it_reads_date_time_original_with_its_offset(analysed, exif_jpeg):
    item = analysed(exif_jpeg)

    assert item.kind == MediaKind.PHOTO
    assert item.status == ProbeStatus.READY
    assert item.content_type == "image/jpeg"
    assert item.device_recorded_at == PHOTO_TAKEN
    assert item.device_recorded_at == datetime(2024, 5, 1, 8, 30, 5, tzinfo=UTC)
    assert item.used_at == PHOTO_TAKEN


def test_it_reads_the_gps_position(analysed, exif_jpeg):
    item = analysed(exif_jpeg)

    assert item.latitude == Decimal(f"{LATITUDE:.6f}")
    assert item.longitude == Decimal(f"{LONGITUDE:.6f}")


def test_southern_and_western_positions_are_negative(analysed, tmp_path):
    item = analysed(make_photo(tmp_path / "south.jpg", gps=(-33.8688, -70.6693)))

    assert item.latitude == Decimal("-33.868800")
    assert item.longitude == Decimal("-70.669300")


def test_a_time_without_offset_is_taken_as_the_bureaus_local_time(analysed, tmp_path):
    """Cameras write EXIF in local time; the bureau's zone is Asia/Shanghai (UTC+8)."""
    item = analysed(make_photo(tmp_path / "naive.jpg", taken=datetime(2024, 5, 1, 9, 0)))  # noqa: DTZ001

    assert item.device_recorded_at == datetime(2024, 5, 1, 1, 0, tzinfo=UTC)


def test_the_size_is_the_upright_size(analysed, exif_jpeg):
    """The camera was turned (orientation 6): 64×48 stored, 48×64 seen."""
    item = analysed(exif_jpeg)

    assert (item.width, item.height) == (48, 64)


def test_a_photo_without_exif_has_no_time_or_place(analysed, tmp_path):
    item = analysed(make_photo(tmp_path / "plain.jpg"))

    assert item.status == ProbeStatus.READY
    assert item.device_recorded_at is None
    assert item.latitude is None
    assert abs((item.used_at - item.received_at).total_seconds()) <= 1


def test_the_exif_is_kept_in_the_metadata(analysed, exif_jpeg):
    item = analysed(exif_jpeg)

    exif = item.metadata["exif"]
    assert exif["Model"] == "DSJ-Test"
    assert exif["DateTimeOriginal"] == "2024:05:01 16:30:05"
    assert exif["GPSLatitudeRef"] == "N"


def test_a_png_is_a_photo(analysed, tmp_path):
    item = analysed(make_photo(tmp_path / "screen.png"))

    assert item.kind == MediaKind.PHOTO
    assert item.content_type == "image/png"
    assert item.status == ProbeStatus.READY
