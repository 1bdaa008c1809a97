"""SM3 (GB/T 32905-2016) beside SHA-256: digests of originals and keyed digests.

The hash itself is OpenSSL's, through ``cryptography`` (tested against the standard's
examples in ``tests/test_sm_algorithms_match_the_standards.py``). Originals keep their
SHA-256 as their name in the store; each also gets an SM3 digest, computed after ingest
by the worker (ingest speed is unchanged), so that 密评 (GB/T 39786-2021) finds the
integrity of important data protected with a commercial-cryptography algorithm.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import BinaryIO

from cryptography.hazmat.primitives import hashes, hmac

CHUNK = 1024 * 1024


class SM3Hash:
    """An SM3 digest fed block by block, with hashlib's ``update`` and ``hexdigest``: export
    packages hash each file with SHA-256, SHA-512 and SM3 in the same read."""

    name = "sm3"

    def __init__(self, data: bytes = b"") -> None:
        self._hash = hashes.Hash(hashes.SM3())
        if data:
            self._hash.update(data)

    def update(self, data: bytes) -> None:
        self._hash.update(data)

    def hexdigest(self) -> str:
        return self._hash.copy().finalize().hex()


def sm3_hex(data: bytes) -> str:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize().hex()


def sm3_of_stream(stream: BinaryIO | Iterable[bytes]) -> str:
    digest = hashes.Hash(hashes.SM3())
    if hasattr(stream, "read"):
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    else:
        for chunk in stream:
            digest.update(chunk)
    return digest.finalize().hex()


def hmac_sm3(key: bytes, data: bytes) -> bytes:
    mac = hmac.HMAC(key, hashes.SM3())
    mac.update(data)
    return mac.finalize()


def sm3_of_original(sha256: str) -> str | None:
    """The SM3 digest recorded for the original stored under ``sha256``, or None while the
    worker has not computed it yet. Export manifests call this (one query per original)."""
    from .models import OriginalDigest

    return OriginalDigest.objects.filter(sha256=sha256).values_list("sm3", flat=True).first()


def sm3_of_originals(sha256s: Iterable[str]) -> dict[str, str]:
    """Many at once: ``{sha256: sm3}`` for those computed (exports of many originals)."""
    from .models import OriginalDigest

    wanted = list(sha256s)
    found: dict[str, str] = {}
    for start in range(0, len(wanted), 500):
        found.update(
            OriginalDigest.objects.filter(sha256__in=wanted[start : start + 500]).values_list(
                "sha256", "sm3"
            )
        )
    return found


def vouched_sm3_of_originals(sha256s: Iterable[str]) -> dict[str, str]:
    """``{sha256: sm3}`` for the originals whose SM3 an exporter may write without hashing
    the copy again: digests the last check found intact and that still say what their
    ``security.sm3_computed`` entry in the signed audit log says. A copy whose SHA-256 is
    the original's is the original, so it has that SM3; a digest row changed behind the log
    is not vouched for, and the exporter hashes the copy and compares instead."""
    from fullrecord.audit.models import AuditEntry

    from .models import DigestStatus, OriginalDigest

    wanted = list(sha256s)
    vouched: dict[str, str] = {}
    for start in range(0, len(wanted), 500):
        rows = {
            str(pk): (sha256, sm3)
            for pk, sha256, sm3 in OriginalDigest.objects.filter(
                sha256__in=wanted[start : start + 500], status=DigestStatus.INTACT
            ).values_list("pk", "sha256", "sm3")
        }
        logged = AuditEntry.objects.filter(
            action="security.sm3_computed",
            object_type=OriginalDigest._meta.label_lower,
            object_id__in=list(rows),
        ).values_list("object_id", "data")
        for object_id, data in logged:
            sha256, sm3 = rows[object_id]
            if (data or {}).get("sha256") == sha256 and (data or {}).get("sm3") == sm3:
                vouched[sha256] = sm3
    return vouched
