"""Poster frames and thumbnails: JPEGs from about one second in, the right way up."""

from __future__ import annotations

import pytest
from PIL import Image

from fullrecord.media import derived
from fullrecord.media.models import Derivative

from .mediafiles import make_photo, make_video

pytestmark = pytest.mark.django_db


def _picture(item, kind) -> Image.Image:
    derivative = Derivative.objects.get(item=item, kind=kind)
    image = Image.open(derived.absolute(derivative))
    image.load()
    assert image.format == "JPEG"
    assert derivative.content_type == "image/jpeg"
    assert (derivative.width, derivative.height) == image.size
    assert derivative.size == derived.absolute(derivative).stat().st_size
    return image


def _reddish(pixel) -> bool:
    red, _green, blue = pixel[:3]
    return red > 150 and blue < 100


def _bluish(pixel) -> bool:
    red, _green, blue = pixel[:3]
    return blue > 150 and red < 100


def test_a_video_gets_a_poster_from_about_one_second_in(analysed, h264_mp4):
    """The fixture is blue for its first second and red after it."""
    item = analysed(h264_mp4)

    poster = _picture(item, "poster")
    assert poster.size == (160, 120)
    assert _reddish(poster.getpixel((155, 60)))


def test_a_clip_shorter_than_a_second_gets_its_first_frame(analysed, tmp_path):
    item = analysed(make_video(tmp_path / "blink.mp4", seconds=0.5, audio=None))

    assert _bluish(_picture(item, "poster").getpixel((155, 60)))


def test_a_video_needing_a_copy_gets_a_poster_too(analysed, mpeg4_avi):
    item = analysed(mpeg4_avi)

    assert _picture(item, "poster").size == (160, 120)
    assert _picture(item, "thumbnail").width <= 320


def test_thumbnails_are_at_most_320_pixels_wide(analysed, tmp_path):
    item = analysed(make_video(tmp_path / "wide.mp4", seconds=0.3, size=(640, 360), audio=None))

    thumbnail = _picture(item, "thumbnail")
    assert thumbnail.size == (320, 180)
    assert _picture(item, "poster").size == (640, 360)


def test_a_photo_gets_a_poster_and_thumbnail_the_right_way_up(analysed, exif_jpeg):
    """Stored 64×48 with the white quarter top left; orientation 6 puts it top right."""
    item = analysed(exif_jpeg)

    for kind in ("poster", "thumbnail"):
        picture = _picture(item, kind)
        assert picture.size == (48, 64)
        assert picture.getpixel((40, 6))[2] > 200 and picture.getpixel((40, 6))[0] > 200
        assert _bluish(picture.getpixel((6, 6)))


def test_a_large_photo_gets_a_small_thumbnail(analysed, large_jpeg):
    item = analysed(large_jpeg)

    assert _picture(item, "thumbnail").size == (320, 240)


def test_a_transparent_png_is_flattened_on_white(analysed, tmp_path):
    path = tmp_path / "sign.png"
    Image.new("RGBA", (20, 20), (0, 0, 0, 0)).save(path)

    item = analysed(path)

    assert _picture(item, "poster").getpixel((10, 10)) == (255, 255, 255)


def test_sound_gets_no_picture(analysed, wav_audio):
    item = analysed(wav_audio)

    assert not item.derivatives.filter(kind__in=["poster", "thumbnail"]).exists()


def test_a_photo_in_tiff_is_shown_through_its_poster(analysed, tmp_path):
    path = make_photo(tmp_path / "scan.tiff", size=(40, 30))

    item = analysed(path)

    assert item.content_type == "image/tiff"
    assert item.status == "proxy"
    assert _picture(item, "poster").size == (40, 30)


def _white(pixel) -> bool:
    return min(pixel[:3]) > 200


def test_a_phone_video_held_upright_gets_an_upright_poster(analysed, tmp_path):
    """Stored 64×48 with a white block top left, to be turned a quarter clockwise."""
    phone = make_video(tmp_path / "phone.mp4", seconds=0.5, size=(64, 48), audio=None, rotation=90)

    item = analysed(phone)

    assert item.status == "ready"  # the browser turns it itself
    assert (item.width, item.height) == (48, 64)
    poster = _picture(item, "poster")
    assert poster.size == (48, 64)
    assert _white(poster.getpixel((44, 4)))
    assert _bluish(poster.getpixel((4, 40)))
