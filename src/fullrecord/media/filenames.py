"""File names from outside are data, not paths: keep what a person would read, drop the rest."""

from __future__ import annotations

import unicodedata

MAX_NAME = 200


def safe_name(raw: str | None, fallback: str = "unnamed") -> str:
    """A display name with no directories, NULs, control or bidi characters, ≤200 chars.

    The original bytes of the name are irrelevant to evidence (the content hash is what
    identifies it), but the name is shown and exported, so it must be harmless.
    """
    if not raw:
        return fallback
    name = raw.replace("\\", "/").split("/")[-1]
    cleaned = (
        "".join(
            ch
            for ch in name
            if unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn")
            and ch not in '<>:"|?*'
        )
        .strip()
        .strip(".")
    )
    if not cleaned:
        return fallback
    if len(cleaned) > MAX_NAME:
        stem, dot, ext = cleaned.rpartition(".")
        if dot and 0 < len(ext) <= 10:
            cleaned = stem[: MAX_NAME - len(ext) - 1] + "." + ext
        else:
            cleaned = cleaned[:MAX_NAME]
    return cleaned


def extension(name: str) -> str:
    stem, dot, ext = name.rpartition(".")
    return ext.lower()[:10] if dot and stem else ""
