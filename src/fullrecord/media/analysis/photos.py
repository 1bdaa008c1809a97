"""Photos: EXIF time and position, orientation, and what a damaged picture still shows."""

from __future__ import annotations

import threading
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from ..choices import MediaKind, ProbeStatus
from ..models import MediaItem
from .findings import Findings
from .limits import too_large_problem, too_many_pixels
from .parsing import as_text, coordinates, parse_device_time, plain_error
from .pictures import picture_derivatives

PHOTO_FORMATS = ("JPEG", "PNG", "GIF", "WEBP", "AVIF", "TIFF", "BMP")  # JPEG opens MPO too

BROWSER_PHOTOS = {"JPEG", "MPO", "PNG", "GIF", "WEBP", "AVIF", "BMP"}

PHOTO_TYPES = {
    "JPEG": "image/jpeg",
    "MPO": "image/jpeg",
    "PNG": "image/png",
    "GIF": "image/gif",
    "WEBP": "image/webp",
    "AVIF": "image/avif",
    "TIFF": "image/tiff",
    "BMP": "image/bmp",
}

_truncated_lock = threading.Lock()


def inspect_photo(item: MediaItem, path: Path, header: bytes) -> Findings | None:
    Image.init()  # register every plugin, so ``formats`` can name them
    try:
        image = Image.open(path, formats=PHOTO_FORMATS)
    except UnidentifiedImageError:
        return _damaged_picture(header, None)
    except Image.DecompressionBombError:
        return _too_large(header)
    except (OSError, ValueError, SyntaxError) as exc:
        return _damaged_picture(header, exc)  # None: not a picture, FFmpeg may know it
    if too_many_pixels(*image.size):  # only the header has been read so far
        with image:
            found = _too_large(header, image.size)
            found.width, found.height = image.size
            found.metadata["photo"] = {"format": image.format, "size": image.size}
            return found
    found = Findings(kind=MediaKind.PHOTO, content_type=PHOTO_TYPES.get(image.format, ""))
    with image:
        found.metadata["photo"] = {"format": image.format, "mode": image.mode, "size": image.size}
        exif = _read_exif(image, found)
        try:
            image.load()
        except Image.DecompressionBombError:
            return _too_large(header)
        except (OSError, ValueError, SyntaxError, EOFError) as exc:
            image = _load_what_decodes(path)
            if image is None:
                found.problems.append(
                    _("The picture is damaged and cannot be shown (%(error)s).")
                    % {"error": plain_error(exc)}
                )
                return found
            found.problems.append(_("The picture is damaged or cut short: only part of it shows."))
        upright = ImageOps.exif_transpose(image) if exif.get(0x0112, 1) != 1 else image
        found.width, found.height = upright.size
        # A browser shows JPEG, PNG, GIF, WebP and BMP itself; for TIFF the poster is the copy.
        photo_format = found.metadata["photo"]["format"]
        found.status = ProbeStatus.READY if photo_format in BROWSER_PHOTOS else ProbeStatus.PROXY
        picture_derivatives(item, upright, found)
    return found


def _sniff_picture(header: bytes) -> str | None:
    if header.startswith(b"\xff\xd8"):
        return "image/jpeg"
    if header.startswith(b"\x89PNG"):
        return "image/png"
    return None


def _too_large(header: bytes, size: tuple[int, int] | None = None) -> Findings:
    """Beyond the decompression-bomb limit: kept, described, and left to the browser to show."""
    content_type = _sniff_picture(header)
    return Findings(
        kind=MediaKind.PHOTO,
        content_type=content_type or "application/octet-stream",
        status=ProbeStatus.READY if content_type else ProbeStatus.UNPLAYABLE,
        problems=[
            too_large_problem(*size)
            if size
            else _("The picture is too large to preview; open or download the original.")
        ],
    )


def _damaged_picture(header: bytes, exc: Exception | None) -> Findings | None:
    """A file that starts like a JPEG or PNG but that Pillow cannot read."""
    content_type = _sniff_picture(header)
    if content_type is None:
        return None
    reason = plain_error(exc) if exc else _("its contents are not a valid picture")
    return Findings(
        kind=MediaKind.PHOTO,
        content_type=content_type,
        problems=[_("The picture is damaged and cannot be shown (%(error)s).") % {"error": reason}],
    )


def _load_what_decodes(path: Path) -> Image.Image | None:
    """The part of a cut-short picture that decodes, as a browser would show it."""
    with _truncated_lock:
        previous = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = True
        try:
            with Image.open(path, formats=PHOTO_FORMATS) as image:
                image.load()
                return image.copy()
        except Exception:
            return None
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = previous


def _read_exif(image: Image.Image, found: Findings) -> Image.Exif | dict:
    try:
        exif = image.getexif()
        details = exif.get_ifd(0x8769)
        gps = exif.get_ifd(0x8825)
    except Exception as exc:  # broken EXIF does not make a broken photo
        found.metadata["exif_error"] = plain_error(exc)
        return {}
    taken = details.get(0x9003) or exif.get(0x0132)  # DateTimeOriginal, else DateTime
    offset = details.get(0x9011) or details.get(0x9010)  # OffsetTimeOriginal, OffsetTime
    if taken:
        found.recorded_at = parse_device_time(
            f"{as_text(taken)}{as_text(offset or '')}", naive_zone=timezone.get_default_timezone()
        )
    found.latitude, found.longitude = _exif_position(gps)
    found.metadata["exif"] = _exif_summary(exif, details, gps)
    return exif


def _exif_position(gps) -> tuple[Decimal | None, Decimal | None]:
    try:
        lat = _dms_to_degrees(gps[2], as_text(gps.get(1, "N")))
        lon = _dms_to_degrees(gps[4], as_text(gps.get(3, "E")))
    except (KeyError, TypeError, ValueError, ZeroDivisionError, IndexError):
        return None, None
    return coordinates(lat, lon)


def _dms_to_degrees(value, ref: str) -> float:
    degrees, minutes, seconds = (float(part) for part in value)
    result = degrees + minutes / 60 + seconds / 3600
    return -result if ref.strip().upper() in ("S", "W") else result


def _exif_summary(exif, details, gps) -> dict[str, Any]:
    from PIL.ExifTags import GPSTAGS, TAGS

    summary: dict[str, Any] = {}
    for source, names in ((exif, TAGS), (details, TAGS), (gps, GPSTAGS)):
        for tag, value in source.items():
            if tag in (0x8769, 0x8825, 0x927C, 0xA005):  # IFD pointers, MakerNote
                continue
            summary[str(names.get(tag, tag))] = value
    return summary
