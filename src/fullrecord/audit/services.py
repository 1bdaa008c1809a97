"""The one call site for recording what happened.

Every service that changes state calls :func:`record` inside its own
transaction, so the entry and the change commit or roll back together.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from .models import AuditEntry, AuditHead

GENESIS = "0" * 64


def canonical(entry: AuditEntry) -> bytes:
    """The bytes an entry's hash covers: every field but the hash itself."""
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
    """Append one entry to the chain, in the caller's transaction."""
    with transaction.atomic():
        head, _ = AuditHead.objects.get_or_create(pk=1)
        head = AuditHead.objects.select_for_update().get(pk=1)
        entry = AuditEntry(
            seq=head.seq + 1,
            at=timezone.now(),
            actor=actor if getattr(actor, "pk", None) else None,
            action=action,
            object_type=obj._meta.label_lower if obj is not None else "",
            object_id=str(obj.pk) if obj is not None else "",
            case_id=case_id,
            summary=summary[:500],
            data=json.loads(json.dumps(data or {}, default=str)),
            prev_hash=head.entry_hash,
        )
        entry.entry_hash = hashlib.sha256(canonical(entry)).hexdigest()
        entry.save(force_insert=True)
        head.seq = entry.seq
        head.entry_hash = entry.entry_hash
        head.save(update_fields=["seq", "entry_hash"])
    return entry


def verify_chain() -> list[str]:
    """Walk the chain; return a description of each break (empty when intact)."""
    problems: list[str] = []
    expected_prev = GENESIS
    expected_seq = 1
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=2000):
        if entry.seq != expected_seq:
            problems.append(f"entry #{entry.seq}: expected sequence {expected_seq}")
        if entry.prev_hash != expected_prev:
            problems.append(f"entry #{entry.seq}: previous-hash link broken")
        if hashlib.sha256(canonical(entry)).hexdigest() != entry.entry_hash:
            problems.append(f"entry #{entry.seq}: content does not match its hash")
        expected_prev = entry.entry_hash
        expected_seq = entry.seq + 1
    head = AuditHead.objects.filter(pk=1).first()
    if head and (head.seq != expected_seq - 1 or head.entry_hash != expected_prev):
        problems.append(f"chain head says #{head.seq} but the log ends at #{expected_seq - 1}")
    return problems
