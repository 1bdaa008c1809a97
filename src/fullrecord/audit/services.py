"""The one call site for recording what happened, and the checks that prove it unaltered.

Every service that changes state calls :func:`record` inside its own
transaction, so the entry and the change commit or roll back together. Each
entry carries the hash of the one before (a chain) and is a leaf of an RFC 9162
Merkle tree whose head is signed with the bureau's Ed25519 key at least every
``FULLRECORD_AUDIT_SIGN_EVERY`` entries and at least daily.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from . import merkle, signing
from .models import AuditEntry, AuditHead, SignedTreeHead

GENESIS = "0" * 64


def canonical(entry: AuditEntry) -> bytes:
    """The bytes an entry's hashes cover: every field but the hashes themselves."""
    body = {
        "seq": entry.seq,
        "at": entry.at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": entry.actor_id,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "case": entry.case_id,
        "summary": entry.summary,
        "data": entry.data,
        "prev": entry.prev_hash,
    }
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def record(
    action: str,
    *,
    actor: Any = None,
    obj: models.Model | None = None,
    case_id: int | None = None,
    summary: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry to the log, in the caller's transaction.

    This is the hottest write in the system, so it talks SQL directly: one locked read
    of the head, one insert, one update, no savepoint (the caller's transaction is
    what must roll back together with the entry).
    """
    with transaction.atomic(savepoint=False):
        seq, prev_hash, frontier, signed_at = _lock_head()
        entry = AuditEntry(
            seq=seq + 1,
            at=timezone.now(),
            actor=actor if getattr(actor, "pk", None) else None,
            action=action,
            object_type=obj._meta.label_lower if obj is not None else "",
            object_id=str(obj.pk) if obj is not None else "",
            case_id=case_id,
            summary=summary[:500],
            data=json.loads(json.dumps(data or {}, default=str)),
            prev_hash=prev_hash,
        )
        body = canonical(entry)
        entry.entry_hash = hashlib.sha256(body).hexdigest()
        leaf = merkle.leaf_hash(body)
        entry.leaf_hash = leaf.hex()
        _insert(entry)
        frontier = merkle.append_frontier(frontier, leaf)
        sign = _signing_due(entry.seq, signed_at)
        _update_head(entry, frontier, timezone.now() if sign else signed_at)
        if sign:
            _sign(entry.seq, merkle.frontier_root(frontier))
    return entry


_INSERT = (
    "INSERT INTO audit_auditentry (seq, at, actor_id, action, object_type, object_id, case_id, "
    "summary, data, prev_hash, entry_hash, leaf_hash) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING id"
)
_UPDATE_HEAD = (
    "UPDATE audit_audithead SET seq = %s, entry_hash = %s, frontier = %s, signed_at = %s "
    "WHERE id = 1"
)


def _lock_head() -> tuple[int, str, list[tuple[int, bytes]], Any]:
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        query = "SELECT seq, entry_hash, frontier, signed_at FROM audit_audithead WHERE id = 1"
        cursor.execute(query + lock)
        row = cursor.fetchone()
    if row is None:
        AuditHead.objects.get_or_create(pk=1)
        return _lock_head()
    seq, entry_hash, frontier, signed_at = row
    if isinstance(frontier, str):
        frontier = json.loads(frontier)
    if isinstance(signed_at, str):  # SQLite hands raw SQL its text
        signed_at = datetime.fromisoformat(signed_at)
    if signed_at is not None and timezone.is_naive(signed_at):
        signed_at = timezone.make_aware(signed_at, UTC)
    return seq, entry_hash, _load_frontier(frontier), signed_at


def _insert(entry: AuditEntry) -> None:
    ops = connection.ops
    values = [
        entry.seq,
        ops.adapt_datetimefield_value(entry.at),
        entry.actor_id,
        entry.action,
        entry.object_type,
        entry.object_id,
        entry.case_id,
        entry.summary,
        ops.adapt_json_value(entry.data, None),
        entry.prev_hash,
        entry.entry_hash,
        entry.leaf_hash,
    ]
    with connection.cursor() as cursor:
        cursor.execute(_INSERT, values)
        entry.pk = cursor.fetchone()[0]
    entry._state.adding = False


def _update_head(entry: AuditEntry, frontier: list[tuple[int, bytes]], signed_at) -> None:
    ops = connection.ops
    with connection.cursor() as cursor:
        cursor.execute(
            _UPDATE_HEAD,
            [
                entry.seq,
                entry.entry_hash,
                ops.adapt_json_value([[h, n.hex()] for h, n in frontier], None),
                ops.adapt_datetimefield_value(signed_at),
            ],
        )


def _load_frontier(raw: list) -> list[tuple[int, bytes]]:
    return [(int(h), bytes.fromhex(node)) for h, node in raw]


def _signing_due(seq: int, last_signed_at) -> bool:
    if seq % settings.FULLRECORD_AUDIT_SIGN_EVERY == 0:
        return True
    return last_signed_at is None or timezone.now() - last_signed_at > timedelta(days=1)


def _sign(tree_size: int, root: bytes) -> SignedTreeHead:
    signed_at = timezone.now()
    message = signing.tree_head_message(tree_size, root.hex(), signed_at)
    sth, _ = SignedTreeHead.objects.get_or_create(
        tree_size=tree_size,
        defaults={
            "root_hash": root.hex(),
            "signed_at": signed_at,
            "key_id": signing.key_id(),
            "signature": signing.sign(message),
        },
    )
    return sth


@transaction.atomic
def sign_tree_head() -> SignedTreeHead | None:
    """Sign the current head now (the daily job and ``fullrecord audit_sign`` call this)."""
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    if head is None or head.seq == 0:
        return None
    sth = _sign(head.seq, merkle.frontier_root(_load_frontier(head.frontier)))
    AuditHead.objects.filter(pk=1).update(signed_at=sth.signed_at)
    return sth


def sth_message(sth: SignedTreeHead) -> bytes:
    return signing.tree_head_message(sth.tree_size, sth.root_hash, sth.signed_at)


# ---------------------------------------------------------------- checking


def iter_entries() -> Iterator[AuditEntry]:
    return AuditEntry.objects.order_by("seq").iterator(chunk_size=5000)


def verify_log(progress=None) -> list[str]:
    """Walk the whole log once: chain links, entry hashes, leaf hashes, every signed head.

    Returns a description of each problem (empty when intact).
    """
    problems: list[str] = []
    heads = {sth.tree_size: sth for sth in SignedTreeHead.objects.all()}
    try:
        public_key = signing.public_key(create=not heads)
    except signing.SigningKeyMissing as exc:
        return [str(exc)]
    expected_prev, expected_seq, count = GENESIS, 1, 0
    frontier: list[tuple[int, bytes]] = []
    for entry in iter_entries():
        body = canonical(entry)
        if entry.seq != expected_seq:
            problems.append(
                f"entry #{entry.seq}: expected sequence number {expected_seq} "
                "(an entry is missing, inserted or moved)"
            )
        if entry.prev_hash != expected_prev:
            problems.append(f"entry #{entry.seq}: the link to the previous entry is broken")
        if hashlib.sha256(body).hexdigest() != entry.entry_hash:
            problems.append(f"entry #{entry.seq}: its content does not match its hash (edited)")
        leaf = merkle.leaf_hash(body)
        if leaf.hex() != entry.leaf_hash:
            problems.append(f"entry #{entry.seq}: its Merkle leaf does not match its content")
        frontier = merkle.append_frontier(frontier, leaf)
        count += 1
        sth = heads.pop(count, None)
        if sth is not None:
            problems += _check_head(sth, merkle.frontier_root(frontier), public_key)
        expected_prev, expected_seq = entry.entry_hash, entry.seq + 1
        if progress:
            progress(count)
    for size in sorted(heads):
        problems.append(f"signed head at size {size}: the log has only {count} entries (truncated)")
    head = AuditHead.objects.filter(pk=1).first()
    if head and (head.seq != count or head.entry_hash != expected_prev):
        problems.append(f"the chain head says #{head.seq} but the log ends at #{count}")
    return problems


def _check_head(sth: SignedTreeHead, root: bytes, public_key) -> list[str]:
    problems = []
    if sth.root_hash != root.hex():
        problems.append(f"signed head at size {sth.tree_size}: the log no longer has that root")
    if not signing.verify(sth_message(sth), sth.signature, public_key):
        problems.append(f"signed head at size {sth.tree_size}: the signature is not valid")
    return problems


def verify_chain() -> list[str]:
    """Kept for callers that only need the chain: the full check covers it."""
    return verify_log()


def leaf_hashes(limit: int | None = None) -> list[bytes]:
    qs = AuditEntry.objects.order_by("seq").values_list("leaf_hash", flat=True)
    if limit is not None:
        qs = qs[:limit]
    return [bytes.fromhex(h) for h in qs.iterator(chunk_size=10000)]


def inclusion_proof(seq: int, tree_size: int) -> dict:
    """The audit path proving entry ``seq`` is in the tree of ``tree_size`` entries."""
    leaves = leaf_hashes(tree_size)
    if not 1 <= seq <= len(leaves) or tree_size != len(leaves):
        raise ValueError("no such entry in a tree of that size")
    path = merkle.inclusion_proof(seq - 1, leaves)
    return {
        "seq": seq,
        "leaf_index": seq - 1,
        "tree_size": tree_size,
        "leaf_hash": leaves[seq - 1].hex(),
        "root_hash": merkle.root(leaves).hex(),
        "path": [node.hex() for node in path],
    }


def consistency_proof(old_size: int, new_size: int) -> dict:
    """The proof that the tree of ``new_size`` entries extends the one of ``old_size``."""
    leaves = leaf_hashes(new_size)
    if new_size != len(leaves) or not 1 <= old_size <= new_size:
        raise ValueError("sizes out of range")
    return {
        "old_size": old_size,
        "new_size": new_size,
        "old_root": merkle.root(leaves[:old_size]).hex(),
        "new_root": merkle.root(leaves).hex(),
        "path": [node.hex() for node in merkle.consistency_proof(old_size, leaves)],
    }
