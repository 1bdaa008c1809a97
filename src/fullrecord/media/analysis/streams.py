"""Audio and video: probe, decode check, poster frame, and whether a browser plays it."""

from __future__ import annotations

import contextlib
import itertools
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import av
from django.utils.translation import gettext as _
from PIL import Image

from ..choices import DerivativeKind, MediaKind, ProbeStatus
from ..models import MediaItem
from .containers import codec_name, display_size, in_seconds, main_video, open_media, packets
from .findings import Findings
from .limits import too_large_problem, too_many_pixels
from .parsing import clock, coordinates, parse_device_time, parse_iso6709, plain_error
from .pictures import picture_derivatives
from .proxy import make_proxy

POSTER_AT = 1.0  # seconds in: past the black or blurred first frames of most cameras
DECODE_PACKET_LIMIT = 2000  # packets read while looking for the poster frame

# What Chromium plays as it is (checked against Debian's build in the browser tests).
PLAYABLE_MP4_VIDEO = {"h264"}
PLAYABLE_MP4_AUDIO = {"aac", "mp3"}
PLAYABLE_WEBM_VIDEO = {"vp8", "vp9"}
PLAYABLE_WEBM_AUDIO = {"vorbis", "opus"}
PLAYABLE_PIXELS = {"yuv420p", "yuvj420p"}  # 10-bit or 4:2:2 H.264 does not play
PLAYABLE_AUDIO = {  # container -> codecs
    "mp3": {"mp3"},
    "aac": {"aac"},
    "wav": {"pcm_u8", "pcm_s16le", "pcm_s24le", "pcm_s32le", "pcm_f32le"},
    "ogg": {"opus", "vorbis", "flac"},
    "flac": {"flac"},
}
DEVICE_TIME_TAGS = (
    "com.apple.quicktime.creationdate",  # carries the device's zone
    "creation_time",
    "date_recorded",
    "datetimeoriginal",
    "date",
    "icrd",
    "creation_date",
)
LOCATION_TAGS = (
    "com.apple.quicktime.location.iso6709",
    "location",
    "location-eng",
    "xyz",
)


def inspect_av(item: MediaItem, path: Path, header: bytes) -> Findings:
    try:
        container = open_media(path)
    except (av.error.FFmpegError, OSError, ValueError, UnicodeError) as exc:
        return _unreadable(header, exc)
    found = Findings()
    with container:
        found.metadata["probe"] = describe(container)
        video = main_video(container)
        audio = container.streams.audio[0] if container.streams.audio else None
        if video is None and audio is None:
            found.problems.append(_("The file holds no sound or pictures that can be played."))
            return found
        found.kind = MediaKind.VIDEO if video is not None else MediaKind.AUDIO
        found.content_type = _content_type(container, found.kind, header)
        found.video_codec = video.codec_context.name if video else ""
        found.audio_codec = codec_name(audio) if audio else ""
        tags = _tags(container, video, audio)
        found.recorded_at = _device_time(tags)
        found.latitude, found.longitude = _location(tags)
        stated = _stated_duration(container)
        poster, rotation = (None, 0)
        if video is not None and too_many_pixels(video.width, video.height):
            # A still or stream declaring a bomb's worth of pixels is described, not decoded.
            found.width, found.height = video.width, video.height
            found.problems.append(too_large_problem(video.width, video.height))
        elif video is not None:
            poster, rotation = _poster_frame(container, video, stated)
            if poster is None:
                found.problems.append(_("Its pictures cannot be decoded."))
            else:
                found.width, found.height = display_size(video, rotation)
        audio_ok = audio is not None and _audio_decodes(container, audio)
        if audio is not None and not audio_ok:
            found.problems.append(_("Its sound cannot be decoded."))
        video_ok = poster is not None
        decodable = [s for s, ok in ((video, video_ok), (audio, audio_ok)) if ok]
        extent = _playable_extent(container, decodable, stated)
        found.metadata["probe"]["decoded"] = {"extent": extent, "stated": stated}
        playable_as_is = _browser_plays(container, video, audio, header)
    if not decodable:
        found.problems.insert(0, _("Nothing in it can be decoded, so it cannot be played."))
        return found
    found.duration = extent if extent is not None else stated
    cut_short = (
        stated is not None and extent is not None and extent < stated - max(0.5, stated * 0.05)
    )
    if cut_short:
        found.problems.append(
            _("The file ends early: only %(played)s of the stated %(stated)s can be played.")
            % {"played": clock(extent), "stated": clock(stated)}
        )
    if poster is not None:
        picture_derivatives(item, poster, found)
    if playable_as_is and not found.problems:
        found.status = ProbeStatus.READY
        return found
    proxy = make_proxy(item, path, with_video=video_ok, with_audio=audio_ok, rotation=rotation)
    if proxy is None:
        found.problems.append(_("A playable copy could not be made."))
        return found
    derived_file, proxy_duration = proxy
    found.derived[DerivativeKind.PROXY] = derived_file
    found.status = ProbeStatus.PROXY
    if cut_short and proxy_duration:
        found.duration = proxy_duration
    return found


def _unreadable(header: bytes, exc: Exception) -> Findings:
    """Words for a file FFmpeg will not open; its kind from the first bytes when they tell."""
    kind, content_type, label = _sniff(header)
    found = Findings(kind=kind, content_type=content_type)
    if label:
        found.problems.append(
            _(
                "The %(format)s file is damaged or cut short (its index or header is missing), "
                "so it cannot be played. It is kept as received; specialist tools may recover it."
            )
            % {"format": label}
        )
    else:
        found.problems.append(_("This is not audio, video or a picture in any format we can read."))
    found.metadata["probe"] = {"error": plain_error(exc)}
    return found


def _sniff(header: bytes) -> tuple[str, str, str]:
    """Kind, content type and format name of a file FFmpeg would not open, by its first bytes."""
    if header[4:8] == b"ftyp":
        brand = header[8:12]
        if brand.startswith(b"M4A"):
            return MediaKind.AUDIO, "audio/mp4", "M4A"
        if brand == b"qt  ":
            return MediaKind.VIDEO, "video/quicktime", "MOV"
        return MediaKind.VIDEO, "video/mp4", "MP4"
    if header[4:8] in (b"moov", b"mdat", b"wide", b"free"):
        return MediaKind.VIDEO, "video/quicktime", "MOV"
    if header.startswith(b"RIFF") and header[8:12] == b"AVI ":
        return MediaKind.VIDEO, "video/x-msvideo", "AVI"
    if header.startswith(b"RIFF") and header[8:12] == b"WAVE":
        return MediaKind.AUDIO, "audio/wav", "WAV"
    if header.startswith(b"\x1a\x45\xdf\xa3"):
        if b"webm" in header:
            return MediaKind.VIDEO, "video/webm", "WebM"
        return MediaKind.VIDEO, "video/x-matroska", "MKV"
    if header.startswith(b"ID3"):
        return MediaKind.AUDIO, "audio/mpeg", "MP3"
    if header.startswith(b"OggS"):
        return MediaKind.AUDIO, "audio/ogg", "Ogg"
    if header.startswith(b"#!AMR"):
        return MediaKind.AUDIO, "audio/amr", "AMR"
    return MediaKind.OTHER, "application/octet-stream", ""


def describe(container) -> dict[str, Any]:
    """The raw probe, JSON-safe and bounded (kept on the item for experts)."""
    streams = []
    for stream in list(container.streams)[:16]:
        context = stream.codec_context
        entry: dict[str, Any] = {
            "index": stream.index,
            "type": stream.type,
            "codec": codec_name(stream) if context else None,
            "codec_long": context.codec.long_name if context else None,
            "profile": stream.profile,
            "time_base": str(stream.time_base) if stream.time_base else None,
            "duration": in_seconds(stream.duration, stream.time_base),
            "frames": stream.frames or None,
            "bit_rate": getattr(context, "bit_rate", None) or None,
            "attached_pic": bool(stream.disposition & av.stream.Disposition.attached_pic),
            "tags": dict(stream.metadata),
        }
        if stream.type == "video":
            entry.update(
                width=context.width,
                height=context.height,
                pix_fmt=context.pix_fmt,
                sample_aspect_ratio=str(context.sample_aspect_ratio or ""),
                frame_rate=str(stream.average_rate or stream.guessed_rate or ""),
            )
        elif stream.type == "audio":
            entry.update(
                sample_rate=context.sample_rate,
                channels=context.channels,
                layout=context.layout.name if context.layout else None,
            )
        streams.append(entry)
    return {
        "format": {
            "name": container.format.name,
            "long_name": container.format.long_name,
            "duration": container.duration / av.time_base if container.duration else None,
            "start_time": container.start_time / av.time_base if container.start_time else None,
            "bit_rate": container.bit_rate or None,
            "tags": dict(container.metadata),
        },
        "streams": streams,
    }


def _tags(container, video, audio) -> dict[str, str]:
    """Container tags first, then the streams' (lower-cased keys; first one wins)."""
    tags: dict[str, str] = {}
    for source in (container, video, audio):
        if source is None:
            continue
        for key, value in source.metadata.items():
            tags.setdefault(key.lower(), value)
    return tags


def _device_time(tags: dict[str, str]) -> datetime | None:
    for key in DEVICE_TIME_TAGS:
        if key in tags and (moment := parse_device_time(tags[key])) is not None:
            return moment
    return None


def _location(tags: dict[str, str]) -> tuple[Decimal | None, Decimal | None]:
    for key in LOCATION_TAGS:
        if key in tags and (position := parse_iso6709(tags[key])) is not None:
            return coordinates(*position)
    return None, None


def _content_type(container, kind: str, header: bytes) -> str:
    name = container.format.name
    video = kind == MediaKind.VIDEO
    if name.startswith("mov,"):
        brand = container.metadata.get("major_brand", "").strip().lower()
        if brand == "qt":
            return "video/quicktime"
        if brand.startswith("3gp") or brand.startswith("3g2"):
            return "video/3gpp" if video else "audio/3gpp"
        return "video/mp4" if video else "audio/mp4"
    if name == "matroska,webm":
        if b"webm" in header:
            return "video/webm" if video else "audio/webm"
        return "video/x-matroska" if video else "audio/x-matroska"
    by_name = {
        "avi": "video/x-msvideo",
        "mpegts": "video/mp2t",
        "mpeg": "video/mpeg",
        "flv": "video/x-flv",
        "asf": "video/x-ms-asf" if video else "audio/x-ms-wma",
        "mp3": "audio/mpeg",
        "wav": "audio/wav",
        "w64": "audio/wav",
        "ogg": "video/ogg" if video else "audio/ogg",
        "aac": "audio/aac",
        "flac": "audio/flac",
        "amr": "audio/amr",
        "amrnb": "audio/amr",
        "amrwb": "audio/amr-wb",
        "aiff": "audio/aiff",
        "caf": "audio/x-caf",
        "au": "audio/basic",
        "h264": "video/h264",
        "hevc": "video/h265",
        "dv": "video/dv",
        "mxf": "application/mxf",
    }
    return by_name.get(name, "application/octet-stream")


def _browser_plays(container, video, audio, header: bytes) -> bool:
    """Whether Chromium plays the original as it is (no copy needed)."""
    name = container.format.name
    audio_codec = codec_name(audio) if audio is not None else None
    if video is not None:
        codec = video.codec_context.name
        if name.startswith("mov,"):
            return (
                codec in PLAYABLE_MP4_VIDEO
                and video.codec_context.pix_fmt in PLAYABLE_PIXELS
                and audio_codec in (PLAYABLE_MP4_AUDIO | {None})
            )
        if name == "matroska,webm" and b"webm" in header:
            return codec in PLAYABLE_WEBM_VIDEO and audio_codec in (PLAYABLE_WEBM_AUDIO | {None})
        return False
    if name.startswith("mov,"):
        return audio_codec == "aac"
    if name == "matroska,webm" and b"webm" in header:
        return audio_codec in PLAYABLE_WEBM_AUDIO
    return audio_codec in PLAYABLE_AUDIO.get(name, set())


def _stated_duration(container) -> float | None:
    if container.duration and container.duration > 0:
        return container.duration / av.time_base
    durations = [
        in_seconds(s.duration, s.time_base) for s in container.streams if s.duration is not None
    ]
    durations = [d for d in durations if d]
    return max(durations) if durations else None


def _poster_frame(container, video, stated: float | None) -> tuple[Image.Image | None, int]:
    """The frame about one second in (the first, in a clip no longer than that), upright."""
    target = POSTER_AT if stated is None or stated > POSTER_AT else 0.0
    chosen = None
    origin = None
    video.thread_type = "AUTO"
    with contextlib.suppress(av.error.FFmpegError):
        container.seek(0)
    for packet in itertools.islice(packets(container, video), DECODE_PACKET_LIMIT):
        try:
            frames = packet.decode()
        except av.error.FFmpegError:
            continue
        reached = False
        for frame in frames:
            moment = frame.time if frame.time is not None else 0.0
            origin = moment if origin is None else origin
            if chosen is None or moment - origin <= target + 1e-6:
                chosen = frame
            reached = moment - origin >= target - 1e-6
            if reached:
                break
        if reached:
            break
    if chosen is None:
        return None, 0
    rotation = _rotation(chosen)
    return _frame_image(chosen, video, rotation), rotation


def _rotation(frame) -> int:
    try:
        angle = int(round(frame.rotation or 0))
    except Exception:
        return 0
    return angle if angle in (90, -90, 180, -180) else 0


def _frame_image(frame, video, rotation: int) -> Image.Image:
    image = frame.to_image()
    ratio = video.codec_context.sample_aspect_ratio
    if ratio and ratio != 1 and ratio > 0:
        image = image.resize((max(1, round(image.width * ratio)), image.height))
    if rotation:
        image = image.rotate(rotation, expand=True)  # counter-clockwise, as FFmpeg states it
    return image


def _audio_decodes(container, audio, limit: int = 50) -> bool:
    with contextlib.suppress(av.error.FFmpegError):
        container.seek(0)
    for packet in itertools.islice(packets(container, audio), limit):
        try:
            if packet.decode():
                return True
        except av.error.FFmpegError:
            continue
    return False


def _playable_extent(container, streams: list, stated: float | None) -> float | None:
    """How far into the file packets can really be read (a cut-short file stops early).

    Seeks near the stated end and reads from there, so a long file is not read
    through; without a stated duration (or when seeking fails) it reads it all.
    """
    if not streams:
        return None
    start = (container.start_time or 0) / av.time_base
    try:
        target = start + stated - 5 if stated and stated > 5 else 0
        container.seek(int(target * av.time_base))
    except av.error.FFmpegError:
        with contextlib.suppress(av.error.FFmpegError):
            container.seek(0)
    latest = None
    for packet in packets(container, *streams):
        stamp = packet.pts if packet.pts is not None else packet.dts
        if stamp is None:
            continue
        end = float((stamp + (packet.duration or 0)) * packet.time_base)
        latest = end if latest is None else max(latest, end)
    if latest is None:
        return None
    return round(max(0.0, latest - start), 3)
