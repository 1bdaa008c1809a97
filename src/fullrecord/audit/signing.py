"""The bureau's Ed25519 key that signs audit tree heads.

Generated on first use into the data dir (``audit-signing-key.pem``, mode 0600)
unless ``FULLRECORD_AUDIT_SIGNING_KEY`` (or ``..._FILE``) provides a PEM. The
public key is exported for auditors, who verify offline with it.
"""

from __future__ import annotations

import hashlib
import os
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

from fullrecord import conf

SIGNATURE_CONTEXT = "fullrecord-tree-head-v1"


def tree_head_message(tree_size: int, root_hex: str, signed_at: datetime) -> bytes:
    """The exact bytes signed; the offline verifier rebuilds them the same way."""
    stamp = signed_at.astimezone(UTC).isoformat(timespec="microseconds")
    return f"{SIGNATURE_CONTEXT}\n{tree_size}\n{root_hex}\n{stamp}\n".encode()


class SigningKeyMissing(RuntimeError):
    pass


def key_path() -> Path:
    return Path(settings.DATA_DIR) / "audit-signing-key.pem"


@cache
def private_key() -> Ed25519PrivateKey:
    pem = conf.env_str("FULLRECORD_AUDIT_SIGNING_KEY")
    if pem:
        key = serialization.load_pem_private_key(pem.encode(), password=None)
    else:
        path = key_path()
        if not path.exists():
            generated = Ed25519PrivateKey.generate().private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                pass  # another process made it first: use theirs
            else:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(generated)
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("the audit signing key must be an Ed25519 key")
    return key


def public_key(*, create: bool = True) -> Ed25519PublicKey:
    """The key that checks signatures. Checking never makes a new key: a restored database
    checked without its key must say the key is missing, not that every head is forged."""
    if not create and not conf.env_str("FULLRECORD_AUDIT_SIGNING_KEY") and not key_path().exists():
        raise SigningKeyMissing(
            f"the audit signing key is missing ({key_path()}); restore it from the backup"
        )
    return private_key().public_key()


def public_key_pem() -> str:
    return (
        public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def key_id() -> str:
    raw = public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


def sign(message: bytes) -> str:
    return private_key().sign(message).hex()


def verify(message: bytes, signature_hex: str, key: Ed25519PublicKey | None = None) -> bool:
    from cryptography.exceptions import InvalidSignature

    try:
        (key or public_key()).verify(bytes.fromhex(signature_hex), message)
    except (InvalidSignature, ValueError):
        return False
    return True
