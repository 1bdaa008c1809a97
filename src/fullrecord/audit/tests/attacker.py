"""What an insider with the database (and perhaps the signing key) does to the log.

Each step is what such a person would type into a database shell: drop the append-only
triggers, delete or rewrite rows, recompute the hashes the way the code does, rewrite
the chain head row and, holding the key, sign fresh heads for the rewritten log.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from django.db import connection
from django.utils import timezone

from fullrecord.audit import guards, merkle, signing
from fullrecord.audit.models import AuditEntry, SignedTreeHead
from fullrecord.audit.services import GENESIS, _insert, canonical
from fullrecord.security.heads import cosign


def sql(statement: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def drop_triggers() -> None:
    guards.uninstall(connection)


def rechain_from(
    first: int,
    *,
    drop: set[int] = frozenset(),
    change: Callable[[AuditEntry], None] | None = None,
) -> int:
    """Delete entries ``drop``, apply ``change`` to the rest from ``first`` on, and re-chain
    them so every hash, link and the chain head row agree again. Returns the new size."""
    entries = list(AuditEntry.objects.order_by("seq"))
    kept = [e for e in entries if e.seq < first]
    tail = [e for e in entries if e.seq >= first and e.seq not in drop]
    sql("DELETE FROM audit_auditentry WHERE seq >= %s", [first])
    previous = kept[-1].entry_hash if kept else GENESIS
    frontier: list = []
    for entry in kept:
        frontier = merkle.append_frontier(frontier, bytes.fromhex(entry.leaf_hash))
    size = len(kept)
    for entry in tail:
        size += 1
        entry.seq, entry.prev_hash = size, previous
        if change:
            change(entry)
        body = canonical(entry)
        entry.entry_hash = hashlib.sha256(body).hexdigest()
        leaf = merkle.leaf_hash(body)
        entry.leaf_hash = leaf.hex()
        _insert(entry)
        frontier = merkle.append_frontier(frontier, leaf)
        previous = entry.entry_hash
    sql(
        "UPDATE audit_audithead SET seq = %s, entry_hash = %s, frontier = %s WHERE id = 1",
        [size, previous, json.dumps([[h, node.hex()] for h, node in frontier])],
    )
    return size


def delete_heads_from(size: int) -> list[int]:
    """Remove the signed heads a rewrite would contradict; returns their sizes."""
    sizes = list(
        SignedTreeHead.objects.filter(tree_size__gte=size).values_list("tree_size", flat=True)
    )
    sql("DELETE FROM audit_signedtreehead WHERE tree_size >= %s", [size])
    sql("DELETE FROM security_sm2treehead WHERE tree_size >= %s", [size])
    return sizes


def sign_again(sizes: list[int]) -> None:
    """Holding the keys (Ed25519 and SM2, both on the machine): sign the rewritten log at
    the sizes the deleted heads had."""
    leaves = [bytes.fromhex(h) for h in AuditEntry.objects.values_list("leaf_hash", flat=True)]
    for size in sizes:
        if size > len(leaves):
            continue
        root, signed_at = merkle.root(leaves[:size]).hex(), timezone.now()
        SignedTreeHead.objects.create(
            tree_size=size,
            root_hash=root,
            signed_at=signed_at,
            key_id=signing.key_id(),
            signature=signing.sign(signing.tree_head_message(size, root, signed_at)),
        )
        cosign(size, root, signed_at)
