"""``fullrecord audit_export DIR``: the log, its signed heads and the public key, for auditors.

The directory verifies offline with ``tools/verify_audit_export.py`` (Python's standard
library plus ``cryptography``), without trusting this server.
"""

from __future__ import annotations

import json
from datetime import UTC
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.core.management.base import BaseCommand

from fullrecord.audit import signing
from fullrecord.audit.models import AuditEntry, SignedTreeHead, SigningKey
from fullrecord.security import heads as sm2_heads


class Command(BaseCommand):
    help = "Export the audit log, signed tree heads and public key for offline verification."

    def add_arguments(self, parser) -> None:
        parser.add_argument("directory")

    def handle(self, *args, directory: str, **options) -> None:
        out = Path(directory)
        out.mkdir(parents=True, exist_ok=True)
        count = 0
        with open(out / "entries.jsonl", "w", encoding="utf-8") as handle:
            for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=5000):
                handle.write(
                    json.dumps(
                        {
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
                            "entry_hash": entry.entry_hash,
                            "leaf_hash": entry.leaf_hash,
                        },
                        ensure_ascii=False,
                    )
                    + "\n"
                )
                count += 1
        heads = [
            {
                "tree_size": h.tree_size,
                "root_hash": h.root_hash,
                "signed_at": h.signed_at.astimezone(UTC).isoformat(timespec="microseconds"),
                "key_id": h.key_id,
                "signature": h.signature,
            }
            for h in SignedTreeHead.objects.order_by("tree_size")
        ]
        (out / "tree-heads.json").write_text(json.dumps(heads, indent=1), encoding="utf-8")
        (out / "public-key.pem").write_text(signing.public_key_pem(), encoding="utf-8")
        # Every key that signed a head, retired ones included, named by key id: the
        # offline script checks each head with the key it names.
        keys = out / "public-keys"
        keys.mkdir(exist_ok=True)
        for key in SigningKey.objects.all():
            public = Ed25519PublicKey.from_public_bytes(bytes.fromhex(key.public_key))
            (keys / f"{key.key_id}.pem").write_text(signing.pem_of(public), encoding="utf-8")
        # 密评: the SM2 co-signature of each head, checked by the offline verifier too.
        (out / "sm2-tree-heads.json").write_text(
            json.dumps(sm2_heads.export_rows(), indent=1), encoding="utf-8"
        )
        self.stdout.write(f"exported {count} entries and {len(heads)} signed heads to {out}")
