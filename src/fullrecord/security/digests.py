"""SM3 digests of originals: made by the worker after ingest, checked by ``fullrecord
verify`` and by the daily SM3 sweep (密评: integrity of important data with SM3).

The first digest is computed in the same read as a fresh SHA-256, and kept only when
that SHA-256 is still the original's name: an SM3 digest never vouches for bytes that had
already changed. Later checks compare the stored bytes with the kept SM3 digest.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from cryptography.hazmat.primitives import hashes
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fullrecord.audit.services import record

from .models import DigestStatus, OriginalDigest

CHUNK = 1024 * 1024


def _store():
    from fullrecord.media.store import get_store

    return get_store()


def _hash_both(sha256: str) -> tuple[str, str]:
    sha = hashlib.sha256()
    sm3 = hashes.Hash(hashes.SM3())
    with _store().open(sha256) as handle:
        while chunk := handle.read(CHUNK):
            sha.update(chunk)
            sm3.update(chunk)
    return sha.hexdigest(), sm3.finalize().hex()


def compute(sha256: str) -> OriginalDigest | None:
    """The SM3 digest of one original, computed once; None when its bytes are missing or
    no longer match their SHA-256 (the fixity check reports those)."""
    existing = OriginalDigest.objects.filter(sha256=sha256).first()
    if existing is not None:
        return existing
    try:
        fresh_sha, sm3 = _hash_both(sha256)
    except Exception:  # noqa: BLE001 — a missing or unreadable original: fixity's to report
        return None
    if fresh_sha != sha256:
        return None
    try:
        with transaction.atomic():
            digest = OriginalDigest.objects.create(
                sha256=sha256, sm3=sm3, checked_at=timezone.now()
            )
            record(
                "security.sm3_computed",
                obj=digest,
                summary=_("SM3 digest of original %(sha)s computed") % {"sha": sha256[:12]},
                data={"sha256": sha256, "sm3": sm3},
            )
    except IntegrityError:  # two workers at once: the other one's row stands
        return OriginalDigest.objects.get(sha256=sha256)
    return digest


def missing() -> list[str]:
    from fullrecord.media.models import MediaItem

    have = OriginalDigest.objects.values("sha256")
    return list(MediaItem.objects.exclude(sha256__in=have).values_list("sha256", flat=True))


@dataclass
class Report:
    checked: int = 0
    computed: int = 0
    failures: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return self.failures


def check(progress=None, *, compute_missing: bool = True) -> Report:
    """Re-hash every original with a kept SM3 digest and compare; compute missing ones."""
    report = Report()
    if compute_missing:
        for sha256 in missing():
            if compute(sha256) is not None:
                report.computed += 1
    last = 0
    while page := list(OriginalDigest.objects.filter(pk__gt=last).order_by("pk")[:500]):
        for digest in page:
            report.checked += 1
            try:
                with _store().open(digest.sha256) as handle:
                    sm3 = hashes.Hash(hashes.SM3())
                    while chunk := handle.read(CHUNK):
                        sm3.update(chunk)
                    found = (
                        DigestStatus.INTACT
                        if sm3.finalize().hex() == digest.sm3
                        else DigestStatus.ALTERED
                    )
            except Exception:  # noqa: BLE001 — missing from the store
                found = DigestStatus.MISSING
            if found != DigestStatus.INTACT:
                report.failures.append(
                    _("original %(sha)s: its SM3 digest no longer matches (%(status)s)")
                    % {"sha": digest.sha256, "status": DigestStatus(found).label}
                )
            _mark(digest, found)
            if progress:
                progress(report.checked)
        last = page[-1].pk
    return report


def _mark(digest: OriginalDigest, found: str) -> None:
    with transaction.atomic():
        if found != digest.status:
            record(
                "security.sm3_failed" if found != DigestStatus.INTACT else "security.sm3_restored",
                obj=digest,
                summary=_("SM3 check of original %(sha)s: %(status)s")
                % {"sha": digest.sha256[:12], "status": DigestStatus(found).label},
                data={"sha256": digest.sha256, "status": found},
            )
        OriginalDigest.objects.filter(pk=digest.pk).update(status=found, checked_at=timezone.now())
