"""The bureau's Ed25519 keys that sign audit tree heads.

Where the private key comes from, first match wins: the file
``FULLRECORD_AUDIT_SIGNING_KEY_FILE`` names (production: outside the data dir, e.g.
``/etc/fullrecord/audit-signing-key.pem``, see docs/operations.md), the PEM text in
``FULLRECORD_AUDIT_SIGNING_KEY``, or ``$DATA_DIR/audit-signing-key.pem``, generated on
first use (mode 0600). The file is read again whenever it changes on disk, so a key
rotated by ``fullrecord audit_key rotate`` signs the next head in every running process.

The public halves are exported for auditors, who verify offline with them.
"""

from __future__ import annotations

import hashlib
import os
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

SIGNATURE_CONTEXT = "fullrecord-tree-head-v1"
ROTATION_CONTEXT = "fullrecord-key-rotation-v1"


def tree_head_message(tree_size: int, root_hex: str, signed_at: datetime) -> bytes:
    """The exact bytes signed; the offline verifier rebuilds them the same way."""
    stamp = signed_at.astimezone(UTC).isoformat(timespec="microseconds")
    return f"{SIGNATURE_CONTEXT}\n{tree_size}\n{root_hex}\n{stamp}\n".encode()


def rotation_message(old_key_id: str, old_public_hex: str, retired_at: datetime, new_key_id: str):
    """What the new key signs at a rotation: "I replace this key, which signed until then"."""
    stamp = retired_at.astimezone(UTC).isoformat(timespec="microseconds")
    return f"{ROTATION_CONTEXT}\n{old_key_id}\n{old_public_hex}\n{stamp}\n{new_key_id}\n".encode()


class SigningKeyMissing(RuntimeError):
    pass


def key_path() -> Path:
    configured = settings.FULLRECORD_AUDIT_SIGNING_KEY_FILE
    return Path(configured) if configured else Path(settings.DATA_DIR) / "audit-signing-key.pem"


def key_in_data_dir() -> bool:
    """True when the private key lives where the database and its backups live."""
    if _inline_pem():
        return False
    data = Path(settings.DATA_DIR).resolve()
    return key_path().resolve().is_relative_to(data)


def _inline_pem() -> str | None:
    if settings.FULLRECORD_AUDIT_SIGNING_KEY_FILE:
        return None
    return os.environ.get("FULLRECORD_AUDIT_SIGNING_KEY") or None


def generate_pem() -> bytes:
    return Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _create_default_key(path: Path) -> None:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return  # another process made it first: use theirs
    with os.fdopen(fd, "wb") as handle:
        handle.write(generate_pem())
        handle.flush()
        os.fsync(handle.fileno())


def private_key() -> Ed25519PrivateKey:
    pem = _inline_pem()
    if pem:
        return _load(pem.encode())
    path = key_path()
    if not path.exists() and not settings.FULLRECORD_AUDIT_SIGNING_KEY_FILE:
        _create_default_key(path)
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise SigningKeyMissing(
            f"the audit signing key file {path} is missing (FULLRECORD_AUDIT_SIGNING_KEY_FILE)"
        ) from None
    return _load_file(str(path), stat.st_ino, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=8)
def _load_file(path: str, inode: int, mtime_ns: int, size: int) -> Ed25519PrivateKey:
    """Cached per version of the file: a rotated key is read once, then reused."""
    return _load(Path(path).read_bytes())


@lru_cache(maxsize=8)
def _load(pem: bytes) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("the audit signing key must be an Ed25519 key")
    return key


def forget_keys() -> None:
    """Drop cached keys (tests that swap key files within one clock tick)."""
    _load_file.cache_clear()
    _load.cache_clear()


def public_key(*, create: bool = True) -> Ed25519PublicKey:
    """The key that checks signatures. Checking never makes a new key: a restored database
    checked without its key must say the key is missing, not that every head is forged."""
    if not create and not _inline_pem() and not key_path().exists():
        raise SigningKeyMissing(
            f"the audit signing key is missing ({key_path()}); restore it from the backup, "
            "or give its public key with --public-key"
        )
    return private_key().public_key()


def public_bytes(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def pem_of(key: Ed25519PublicKey) -> str:
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def public_key_pem() -> str:
    return pem_of(public_key())


def load_public_pem(data: bytes) -> Ed25519PublicKey:
    key = serialization.load_pem_public_key(data)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key


def key_id_of(key: Ed25519PublicKey) -> str:
    """hex(SHA-256(raw 32-byte public key)): the fingerprint every head carries."""
    return hashlib.sha256(public_bytes(key)).hexdigest()


def key_id() -> str:
    return key_id_of(public_key())


def sign(message: bytes, key: Ed25519PrivateKey | None = None) -> str:
    return (key or private_key()).sign(message).hex()


def verify(message: bytes, signature_hex: str, key: Ed25519PublicKey | None = None) -> bool:
    try:
        (key or public_key()).verify(bytes.fromhex(signature_hex), message)
    except (InvalidSignature, ValueError):
        return False
    return True


def inline_pem() -> str | None:
    """The key given as text in the environment (then there is no file to rotate)."""
    return _inline_pem()


def load_private_pem(pem: bytes) -> Ed25519PrivateKey:
    return _load(pem)


def write_key_file(path: Path, pem: bytes, *, like: Path | None = None) -> None:
    """Write a new key file (0600, or the mode and owner of ``like``), durably."""
    mode = 0o600
    owner = None
    if like is not None and like.exists():
        stat = like.stat()
        mode, owner = stat.st_mode & 0o777, (stat.st_uid, stat.st_gid)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
            handle.flush()
            os.fsync(handle.fileno())
        if owner is not None and owner != (os.getuid(), os.getgid()):
            os.chown(path, *owner)  # root rotating the root:fullrecord key keeps it so
        os.chmod(path, mode)
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def install_key_file(temporary: Path, path: Path) -> None:
    """Put the new key in place in one step and make the rename durable."""
    os.replace(temporary, path)
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
