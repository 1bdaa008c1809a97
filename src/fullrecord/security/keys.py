"""Where the commercial-cryptography keys come from (密评: keys outside the database).

Two keys, each a small text file of hex digits:

- the personal-data key (``FULLRECORD_DATA_KEY_FILE``): 32 random bytes from which the
  SM4 key that encrypts parties' ID numbers, addresses and phones and the HMAC-SM3 key of
  their blind index are derived (so one file is backed up and rotated, not two);
- the SM2 signing key of audit tree heads (``FULLRECORD_SM2_KEY_FILE``): the 32-byte
  private key on the curve sm2p256v1.

In production both must be named and must lie outside the data directory (the database
and its backups must not carry the key that opens them); a missing one stops the process
with ``ImproperlyConfigured`` at its first use and ``fullrecord check`` says so first. In
embedded and demo mode each is made once in the data directory (mode 0600), like the
Ed25519 audit key, and the compliance self-check reports that as a failure.
"""

from __future__ import annotations

import os
import secrets
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DATA_KEY_DEFAULT = "personal-data-key"
SM2_KEY_DEFAULT = "audit-sm2-key"


def _configured(setting: str) -> str | None:
    return getattr(settings, setting, None) or None


def key_file(setting: str, default_name: str) -> Path:
    configured = _configured(setting)
    return Path(configured) if configured else Path(settings.DATA_DIR) / default_name


def in_data_dir(setting: str, default_name: str) -> bool:
    return (
        key_file(setting, default_name).resolve().is_relative_to(Path(settings.DATA_DIR).resolve())
    )


def _read_hex(setting: str, default_name: str, size: int) -> bytes:
    path = key_file(setting, default_name)
    if not _configured(setting):
        if settings.FULLRECORD_PRODUCTION:
            raise ImproperlyConfigured(
                f"{setting} is not set: in production the key must be a file outside the "
                "data directory (docs/security.md)"
            )
        if not path.exists():
            _create(path, size)
    try:
        text = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise ImproperlyConfigured(f"{setting}: the key file {path} cannot be read: {exc}") from exc
    try:
        raw = bytes.fromhex(text)
    except ValueError:
        raw = b""
    if len(raw) != size:
        raise ImproperlyConfigured(
            f"{setting}: the key file {path} must hold {size * 2} hex digits"
        )
    return raw


def _create(path: Path, size: int) -> None:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return  # another process made it first: use theirs
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_hex(size) + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def data_key() -> bytes:
    return _cached(
        "FULLRECORD_DATA_KEY_FILE", DATA_KEY_DEFAULT, 32, _where("FULLRECORD_DATA_KEY_FILE")
    )


def previous_data_keys() -> tuple[bytes, ...]:
    """The earlier personal-data keys, kept for reading while ``rotate_sm4_key`` re-seals
    (FULLRECORD_DATA_KEY_PREVIOUS_FILES); each file as strict as the current one."""
    return _previous(tuple(getattr(settings, "FULLRECORD_DATA_KEY_PREVIOUS_FILES", None) or ()))


@lru_cache(maxsize=4)
def _previous(paths: tuple[str, ...]) -> tuple[bytes, ...]:
    found = []
    for path in paths:
        try:
            text = Path(path).read_text(encoding="ascii").strip()
            raw = bytes.fromhex(text)
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise ImproperlyConfigured(
                f"FULLRECORD_DATA_KEY_PREVIOUS_FILES: the key file {path} cannot be read: {exc}"
            ) from exc
        if len(raw) != 32:
            raise ImproperlyConfigured(
                f"FULLRECORD_DATA_KEY_PREVIOUS_FILES: the key file {path} must hold 64 hex digits"
            )
        found.append(raw)
    return tuple(found)


def sm2_private_key() -> bytes:
    return _cached(
        "FULLRECORD_SM2_KEY_FILE", SM2_KEY_DEFAULT, 32, _where("FULLRECORD_SM2_KEY_FILE")
    )


def _where(setting: str) -> tuple:
    """What names the key: read once per process and place (tests that swap settings get
    their own key; a key file replaced on disk is read at the next start)."""
    return (_configured(setting), str(settings.DATA_DIR), settings.FULLRECORD_PRODUCTION)


@lru_cache(maxsize=16)
def _cached(setting: str, default_name: str, size: int, where: tuple) -> bytes:
    return _read_hex(setting, default_name, size)


def forget() -> None:
    _cached.cache_clear()
    _previous.cache_clear()
