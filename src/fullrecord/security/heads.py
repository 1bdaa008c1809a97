"""SM2 co-signatures of audit tree heads (密评: non-repudiation with SM2).

Each signed tree head (Ed25519, ``audit``) is signed again with the bureau's SM2 key over
the same size, root and time, in the same transaction (``audit.services._sign`` calls
:func:`cosign`); heads signed before this existed, or while the SM2 key could not be
read, are signed by the every-minute job (:func:`cosign_pending`). ``fullrecord verify``
and the offline verifier (``tools/verify_audit_export.py``) check both signatures.
"""

from __future__ import annotations

import logging
from datetime import UTC

from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction

from . import sm2
from .models import SM2TreeHead

logger = logging.getLogger("fullrecord.security.heads")


def stamp(signed_at) -> str:
    return signed_at.astimezone(UTC).isoformat(timespec="microseconds")


def message_of(head: SM2TreeHead) -> bytes:
    return sm2.tree_head_message(head.tree_size, head.root_hash, head.signed_at)


def cosign(tree_size: int, root_hex: str, signed_at) -> SM2TreeHead | None:
    """SM2-sign one head; None (logged, retried by the job) when the key cannot be read."""
    try:
        public = sm2.public_key()
        signature = sm2.sign(sm2.tree_head_message(tree_size, root_hex, stamp(signed_at)))
    except (ImproperlyConfigured, OSError, ValueError) as exc:
        logger.error("tree head %s not signed with SM2: %s", tree_size, exc)
        return None
    try:
        with transaction.atomic():
            return SM2TreeHead.objects.create(
                tree_size=tree_size,
                root_hash=root_hex,
                signed_at=stamp(signed_at),
                key_id=sm2.key_id_of(public),
                public_key=public,
                signature=signature,
            )
    except IntegrityError:
        return SM2TreeHead.objects.filter(tree_size=tree_size).first()


def cosign_pending() -> int:
    from fullrecord.audit.models import SignedTreeHead

    done = SM2TreeHead.objects.values("tree_size")
    count = 0
    for head in SignedTreeHead.objects.exclude(tree_size__in=done).order_by("tree_size"):
        if cosign(head.tree_size, head.root_hash, head.signed_at):
            count += 1
    return count


def check(ed25519_heads, public_keys: list[str] | None = None) -> list[str]:
    """Problems with the SM2 co-signatures of ``ed25519_heads`` (the Ed25519 heads checked
    in the same snapshot). Trusted: the key the SM2 key file holds now, and keys given."""
    trusted = set(public_keys or [])
    try:
        trusted.add(sm2.public_key())
    except (ImproperlyConfigured, OSError, ValueError) as exc:
        if not trusted:
            return [f"SM2: the SM2 key cannot be read ({exc}); give its public key"]
    kept = {head.tree_size: head for head in SM2TreeHead.objects.all()}
    problems = []
    for head in ed25519_heads:
        co = kept.get(head.tree_size)
        if co is None:
            problems.append(f"signed head {head.tree_size}: no SM2 signature")
            continue
        if co.root_hash != head.root_hash or co.signed_at != stamp(head.signed_at):
            problems.append(f"signed head {head.tree_size}: the SM2-signed head differs")
            continue
        if co.public_key not in trusted:
            problems.append(f"signed head {head.tree_size}: SM2 key {co.key_id[:16]} not trusted")
            continue
        if not sm2.verify(message_of(co), co.signature, co.public_key):
            problems.append(f"signed head {head.tree_size}: SM2 signature is not valid")
    return problems


def export_rows() -> list[dict]:
    return [
        {
            "tree_size": head.tree_size,
            "root_hash": head.root_hash,
            "signed_at": head.signed_at,
            "key_id": head.key_id,
            "public_key": head.public_key,
            "signature": head.signature,
        }
        for head in SM2TreeHead.objects.order_by("tree_size")
    ]
