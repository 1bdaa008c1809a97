"""Visible watermarks burned into copies handed out (第十八条第三项).

The text names who took the copy, their account or 执法证号, when, and under which
request, so a leaked copy says where it came from. Originals are never touched:
the copy is decoded from the original and encoded anew.
"""

from __future__ import annotations

from fractions import Fraction
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, ImageOps

FONT_CANDIDATES = [
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
]


@cache
def _font_path() -> str | None:
    return next((p for p in FONT_CANDIDATES if Path(p).exists()), None)


def _font(size: int):
    path = _font_path()
    if path is None:
        return ImageFont.load_default(size=size)
    return ImageFont.truetype(path, size=size)


def overlay(width: int, height: int, lines: list[str]) -> Image.Image:
    """A transparent layer: the text in a band at the top and bottom, and once diagonally."""
    layer = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    size = max(12, width // 40)
    font = _font(size)
    draw = ImageDraw.Draw(layer)
    text = "  ".join(lines)
    for y in (size // 2, height - size * 2):
        box = draw.textbbox((0, 0), text, font=font)
        draw.rectangle((0, y - 2, min(width, box[2] + size), y + box[3] + 4), fill=(0, 0, 0, 110))
        draw.text((size // 2, y), text, font=font, fill=(255, 255, 255, 230))
    big = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    ImageDraw.Draw(big).text(
        (width // 10, height // 2), text, font=_font(size * 2), fill=(255, 255, 255, 70)
    )
    layer.alpha_composite(big.rotate(20, center=(width // 2, height // 2)))
    return layer


def watermark_image(source: Path, target: Path, lines: list[str]) -> None:
    with Image.open(source) as image:
        image = ImageOps.exif_transpose(image).convert("RGBA")
    image.alpha_composite(overlay(image.width, image.height, lines))
    image.convert("RGB").save(target, "JPEG", quality=90)


def seek_before(container, stream, seconds: float) -> None:
    """Put the demuxer on the keyframe at or before ``seconds`` (decoding starts there)."""
    if seconds > 0 and stream.time_base:
        container.seek(int(seconds / stream.time_base), stream=stream, backward=True)


def keep_frame(frame, clip: tuple[float, float]) -> bool:
    """A decoded frame belongs in a clip copy when it starts within [from, to)."""
    return frame.time is not None and clip[0] - 1e-3 <= frame.time < clip[1]


def watermark_video(
    source: Path,
    target: Path,
    lines: list[str],
    progress=None,
    clip: tuple[float, float] | None = None,
    metadata: dict[str, str] | None = None,
) -> None:
    """Re-encode as H.264/AAC MP4 with the watermark on every frame (≤ 1280 px wide).

    With ``clip`` (from, to in seconds) only that stretch is kept: the demuxer seeks to the
    keyframe before it, the frames before ``from`` are decoded and dropped, and the copy's
    clock starts at the clip's first frame.
    """
    import av  # FFmpeg is loaded only where a copy is made, not in every web process

    with (
        av.open(str(source)) as src,
        av.open(str(target), "w", format="mp4", options={"movflags": "+faststart"}) as dst,
    ):
        vin = next((s for s in src.streams if s.type == "video"), None)
        ain = next((s for s in src.streams if s.type == "audio"), None)
        if vin is None:
            raise ValueError("no video stream")
        dst.metadata.update(metadata or {})
        width = min(vin.codec_context.width or 640, 1280) // 2 * 2
        height = (
            int((vin.codec_context.height or 360) * width / (vin.codec_context.width or 640))
            // 2
            * 2
        )
        rate = vin.average_rate or Fraction(25, 1)
        vout = dst.add_stream("libx264", rate=rate)
        vout.width, vout.height, vout.pix_fmt = width, height, "yuv420p"
        vout.options = {"preset": "veryfast", "crf": "23"}
        aout = None
        if ain is not None:
            aout = dst.add_stream("aac", rate=ain.codec_context.sample_rate or 44100)
        layer = overlay(width, height, lines)
        duration = float(src.duration / av.time_base) if src.duration else None
        streams = [s for s in (vin, ain) if s is not None]
        shift = None  # a clip's copy starts at 0: the pts of its first video frame
        if clip is not None:
            seek_before(src, vin, clip[0])
            duration = clip[1] - clip[0]
        for packet in src.demux(*streams):
            try:
                frames = packet.decode()
            except av.error.InvalidDataError:
                continue  # a damaged packet: keep going, the copy shows what decodes
            for frame in frames:
                if clip is not None and not keep_frame(frame, clip):
                    continue
                if packet.stream is vin:
                    image = frame.to_image().resize((width, height)).convert("RGBA")
                    image.alpha_composite(layer)
                    out = av.VideoFrame.from_image(image.convert("RGB"))
                    if clip is not None and shift is None:
                        shift = frame.pts
                    out.pts, out.time_base = frame.pts - (shift or 0), frame.time_base
                    dst.mux(vout.encode(out))
                    if progress and duration and frame.time is not None:
                        progress(min((frame.time - (clip[0] if clip else 0)) / duration, 1.0))
                elif aout is not None:
                    frame.pts = None
                    dst.mux(aout.encode(frame))
        dst.mux(vout.encode(None))
        if aout is not None:
            dst.mux(aout.encode(None))
