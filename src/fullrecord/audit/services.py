"""The one call site for recording what happened, and the checks that prove it unaltered.

Every service that changes state calls :func:`record` inside its own
transaction, so the entry and the change commit or roll back together. Each
entry carries the hash of the one before (a chain) and is a leaf of an RFC 9162
Merkle tree whose head is signed with the bureau's Ed25519 key at least every
``FULLRECORD_AUDIT_SIGN_EVERY`` entries and, while the log grows, at least every
``FULLRECORD_AUDIT_SIGN_SECONDS`` (by the append that finds the last head older, and by
the every-minute job for the quiet tail). Signed heads are then delivered to the places
outside the machine the operator names (``sinks.py``).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from . import merkle, signing
from .models import AuditEntry, AuditHead, SignedTreeHead, SigningKey

GENESIS = "0" * 64
logger = logging.getLogger("fullrecord.audit.heads")


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
        key = _key_for_append() if _signing_due(entry.seq, signed_at) else None
        _update_head(entry, frontier, timezone.now() if key else signed_at)
        if key:
            _sign(entry.seq, merkle.frontier_root(frontier), key)
    return entry


def _key_for_append() -> Ed25519PrivateKey | None:
    """The signing key, or None when it cannot be read: the action and its entry still
    commit (evidence work must not stop), the error is logged, the next append and the
    every-minute job try again, and ``/healthz`` shows the heads falling behind."""
    try:
        return _rotating_to.get() or signing.private_key()
    except (signing.SigningKeyMissing, OSError, ValueError) as exc:
        logger.error("audit tree head not signed: %s", exc)
        return None


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
    if seq % settings.FULLRECORD_AUDIT_SIGN_EVERY == 0 or last_signed_at is None:
        return True
    every = timedelta(seconds=settings.FULLRECORD_AUDIT_SIGN_SECONDS)
    return timezone.now() - last_signed_at >= every


def _register_key(public: Ed25519PublicKey) -> str:
    """Keep the public half of every key that signs, so retired keys stay on record."""
    kid = signing.key_id_of(public)
    SigningKey.objects.get_or_create(
        key_id=kid, defaults={"public_key": signing.public_bytes(public).hex()}
    )
    return kid


# During a rotation, before the new key file is in place, heads are signed with the new key.
_rotating_to: ContextVar[Ed25519PrivateKey | None] = ContextVar("rotating_to", default=None)


def _sign(tree_size: int, root: bytes, key: Ed25519PrivateKey | None = None) -> SignedTreeHead:
    key = key or _rotating_to.get() or signing.private_key()
    kid = _register_key(key.public_key())
    signed_at = timezone.now()
    message = signing.tree_head_message(tree_size, root.hex(), signed_at)
    sth, created = SignedTreeHead.objects.get_or_create(
        tree_size=tree_size,
        defaults={
            "root_hash": root.hex(),
            "signed_at": signed_at,
            "key_id": kid,
            "signature": signing.sign(message, key),
        },
    )
    if created:
        # 密评: the same head signed with SM2 too, in this transaction (security/heads.py).
        from fullrecord.security.heads import cosign

        cosign(sth.tree_size, sth.root_hash, sth.signed_at)
    return sth


def _sign_if_grown(key: Ed25519PrivateKey | None = None) -> SignedTreeHead | None:
    """Under the head's row lock (the caller's transaction): sign unless already signed."""
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    if head is None or head.seq == 0:
        return None
    if SignedTreeHead.objects.filter(tree_size=head.seq).exists():
        return None
    sth = _sign(head.seq, merkle.frontier_root(_load_frontier(head.frontier)), key)
    AuditHead.objects.filter(pk=1).update(signed_at=sth.signed_at)
    return sth


def sign_tree_head() -> SignedTreeHead | None:
    """Sign the current tree if it grew since its last head (the every-minute job and
    ``fullrecord audit_sign``). An unchanged tree gets no new head: returns None."""
    with transaction.atomic():
        return _sign_if_grown()


def sth_message(sth: SignedTreeHead) -> bytes:
    return signing.tree_head_message(sth.tree_size, sth.root_hash, sth.signed_at)


class RotationRefused(Exception):
    pass


def rotate_signing_key(*, actor: Any = None) -> tuple[str | None, str]:
    """Replace the signing key file with a new key; the old key's heads keep verifying.

    In one transaction, under the head's lock: the old key signs the tree as it stands,
    the new key signs a statement naming the old key and the moment it retired (what
    lets ``verify`` trust the old key's heads without trusting the database), an
    ``audit.key_rotate`` entry records the change and the new key signs the tree with it.
    The file is replaced only after the commit: a crash before leaves the old key in
    place and nothing to undo. Returns (old key id or None, new key id).
    """
    if signing.inline_pem():
        raise RotationRefused(
            "the key is given as text in FULLRECORD_AUDIT_SIGNING_KEY: put it in a file "
            "named by FULLRECORD_AUDIT_SIGNING_KEY_FILE to rotate it"
        )
    path = signing.key_path()
    old_key = signing.private_key() if path.exists() else None
    new_pem = signing.generate_pem()
    new_key = signing.load_private_pem(new_pem)
    new_public = new_key.public_key()
    new_id = signing.key_id_of(new_public)
    temporary = path.with_name(f".{path.name}.{new_id[:12]}.new")
    signing.write_key_file(temporary, new_pem, like=path if old_key else None)
    try:
        with transaction.atomic():
            old_id = None
            if old_key is not None:
                _sign_if_grown(old_key)
                old_id = _register_key(old_key.public_key())
            retired_at = timezone.now()
            SigningKey.objects.update_or_create(
                key_id=new_id,
                defaults={
                    "public_key": signing.public_bytes(new_public).hex(),
                    "created_at": retired_at,
                },
            )
            if old_key is not None:
                old_hex = signing.public_bytes(old_key.public_key()).hex()
                message = signing.rotation_message(old_id, old_hex, retired_at, new_id)
                SigningKey.objects.filter(key_id=old_id).update(
                    retired_at=retired_at,
                    successor_key_id=new_id,
                    successor_signature=signing.sign(message, new_key),
                )
            token = _rotating_to.set(new_key)
            try:
                record(
                    "audit.key_rotate",
                    actor=actor,
                    summary=f"更换审计签名密钥：{(old_id or '无')[:16]} → {new_id[:16]}",
                    data={
                        "old_key_id": old_id,
                        "new_key_id": new_id,
                        "new_public_key": signing.public_bytes(new_public).hex(),
                    },
                )
                _sign_if_grown(new_key)
            finally:
                _rotating_to.reset(token)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    signing.install_key_file(temporary, path)
    return old_id, new_id


# ---------------------------------------------------------------- checking


def iter_entries() -> Iterator[AuditEntry]:
    return AuditEntry.objects.order_by("seq").iterator(chunk_size=5000)


@contextmanager
def read_snapshot() -> Iterator[None]:
    """Read everything inside as of one moment, without holding up anyone who writes.

    Without it a check run beside appends reads the heads, then the entries, then the
    chain head at three different moments and reports a log that grew as a log that was
    cut or altered. PostgreSQL: one REPEATABLE READ, READ ONLY transaction. SQLite: the
    settings open transactions with BEGIN IMMEDIATE, which takes the write lock, so the
    check opens a plain (deferred) BEGIN itself on its connection in autocommit mode;
    its first SELECT pins the WAL snapshot and writers carry on beside it. A caller
    already inside a transaction reads through that transaction.
    """
    if connection.in_atomic_block:
        yield
        return
    # A health check of a reused connection ("SELECT 1") must not become the first
    # statement of the transaction below, where only SET TRANSACTION may come first.
    connection.ensure_connection()
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
        return
    if connection.vendor != "sqlite":
        raise NotImplementedError(f"no snapshot read for {connection.vendor}")
    with connection.cursor() as cursor:
        cursor.execute("BEGIN DEFERRED")
    try:
        yield
    finally:
        if connection.connection is not None and connection.connection.in_transaction:
            with connection.cursor() as cursor:
                cursor.execute("ROLLBACK")  # read only: nothing to keep


@dataclass
class LogReport:
    """What ``check_log`` found: problems (the record is not intact) and plain notes."""

    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    entries: int = 0


def verify_log(progress=None) -> list[str]:
    """Walk the whole log once: chain links, entry hashes, leaf hashes, every signed head.

    Returns a description of each problem (empty when intact).
    """
    return check_log(progress).problems


def verify_chain() -> list[str]:
    """Kept for callers that only need the chain: the full check covers it."""
    return verify_log()


def check_log(
    progress: Callable[[int], None] | None = None,
    *,
    against: Sequence[ExternalHead] = (),
    public_keys: Sequence[Ed25519PublicKey] = (),
) -> LogReport:
    """The whole log, its signed heads and heads kept elsewhere, in one consistent read.

    ``against``: heads kept outside this machine (a head destination's file, an earlier
    export). Each must be validly signed, be in the database, and have the root the
    entries give at its size: a log rewritten with the key still differs from them.
    ``public_keys``: keys obtained out of band, trusted besides the current one.
    """
    with read_snapshot():
        return _check_log(progress, against, public_keys)


def _check_log(progress, against, public_keys) -> LogReport:
    report = LogReport()
    problems = report.problems
    heads = {sth.tree_size: sth for sth in SignedTreeHead.objects.all()}
    keys, key_problems = trusted_keys(public_keys)
    if key_problems and (heads or against):  # nothing signed yet: no key needed
        problems += key_problems
        if not keys:
            return report
    kept = _index_external(against, keys, problems)
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
        sth = heads.get(count)
        if sth is not None or count in kept:
            root = merkle.frontier_root(frontier)
            if sth is not None:
                problems += _check_head(sth, root, keys)
            if count in kept:
                problems += _check_kept(kept[count], root, sth)
        expected_prev, expected_seq = entry.entry_hash, entry.seq + 1
        if progress:
            progress(count)
    report.entries = count
    for size in sorted(heads):
        if size > count:
            problems.append(
                f"signed head at size {size}: the log has only {count} entries (truncated)"
            )
    for size in sorted(kept):
        if size > count:
            problems.append(
                f"the head of size {size} kept outside ({kept[size].source}) covers more "
                f"than the {count} entries the log has: entries were removed (cut back)"
            )
    head = AuditHead.objects.filter(pk=1).first()
    if head and (head.seq != count or head.entry_hash != expected_prev):
        problems.append(f"the chain head says #{head.seq} but the log ends at #{count}")
    if kept:
        newest = kept[max(kept)]
        tail = max(count - newest.tree_size, 0)
        report.notes.append(
            f"{len(kept)} head(s) kept outside checked; the newest covers entries "
            f"1-{newest.tree_size} (signed {newest.signed_at}); the {tail} entries after it "
            "rest on this database's own heads only"
        )
    return report


def _check_head(sth: SignedTreeHead, root: bytes, keys: dict[str, Ed25519PublicKey]) -> list:
    problems = []
    if sth.root_hash != root.hex():
        problems.append(f"signed head at size {sth.tree_size}: the log no longer has that root")
    key = keys.get(sth.key_id)
    if key is None:
        problems.append(
            f"signed head at size {sth.tree_size}: signed with key {sth.key_id[:16]}, which "
            "is neither the current key nor vouched for by it (give its public key with "
            "--public-key if it is one of the bureau's)"
        )
    elif not signing.verify(sth_message(sth), sth.signature, key):
        problems.append(f"signed head at size {sth.tree_size}: the signature is not valid")
    return problems


def _check_kept(kept: ExternalHead, root: bytes, sth: SignedTreeHead | None) -> list[str]:
    problems = []
    size = kept.tree_size
    if kept.root_hash != root.hex():
        problems.append(
            f"the head of size {size} kept outside ({kept.source}, signed {kept.signed_at}) "
            f"does not match the log: entries 1-{size} were rewritten"
        )
    if sth is None:
        problems.append(
            f"the head of size {size} kept outside ({kept.source}) is missing from the "
            "database (signed heads were deleted)"
        )
    elif (sth.root_hash, sth.signature, _stamp(sth.signed_at)) != (
        kept.root_hash,
        kept.signature,
        kept.signed_at,
    ):
        problems.append(
            f"signed head at size {size}: the database holds another head than the one "
            f"kept outside ({kept.source}): it was signed again"
        )
    return problems


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _index_external(
    against: Sequence[ExternalHead], keys: dict[str, Ed25519PublicKey], problems: list[str]
) -> dict[int, ExternalHead]:
    """The heads kept outside by size, each checked for its signature and for a rival."""
    kept: dict[int, ExternalHead] = {}
    for head in against:
        key = keys.get(head.key_id)
        if key is None:
            problems.append(
                f"the head of size {head.tree_size} kept outside ({head.source}) is signed "
                f"with key {head.key_id[:16]}, which is not trusted"
            )
            continue
        if not signing.verify(head.message(), head.signature, key):
            problems.append(
                f"the head of size {head.tree_size} kept outside ({head.source}): the "
                "signature is not valid (the file was altered or is not this log's)"
            )
            continue
        other = kept.get(head.tree_size)
        if other is not None and other.root_hash != head.root_hash:
            problems.append(
                f"two different validly signed heads of size {head.tree_size} ({other.source}, "
                f"{head.source}): the key signed a rewritten log"
            )
            continue
        kept.setdefault(head.tree_size, head)
    return kept


def trusted_keys(
    extra: Sequence[Ed25519PublicKey] = (), *, create: bool = False
) -> tuple[dict[str, Ed25519PublicKey], list[str]]:
    """The public keys whose signatures count, by key id, and why any is missing.

    Trusted: the key the server signs with now (from its file), the keys given out of
    band, and each retired key whose successor — itself trusted — signed the rotation
    statement naming it. A key row a database owner adds on their own is not trusted.
    """
    keys = {signing.key_id_of(key): key for key in extra}
    problems = []
    try:
        current = signing.public_key(create=create)
    except signing.SigningKeyMissing as exc:
        if not keys:
            problems.append(str(exc))
    else:
        keys[signing.key_id_of(current)] = current
    rows = list(SigningKey.objects.exclude(successor_key_id=""))
    grew = True
    while grew:
        grew = False
        for row in rows:
            successor = keys.get(row.successor_key_id)
            if row.key_id in keys or successor is None or row.retired_at is None:
                continue
            try:
                public = Ed25519PublicKey.from_public_bytes(bytes.fromhex(row.public_key))
            except ValueError:
                continue
            if signing.key_id_of(public) != row.key_id:
                continue
            message = signing.rotation_message(
                row.key_id, row.public_key, row.retired_at, row.successor_key_id
            )
            if signing.verify(message, row.successor_signature, successor):
                keys[row.key_id] = public
                grew = True
    return keys, problems


@dataclass(frozen=True)
class ExternalHead:
    """A signed head as written outside the machine (head destinations, exports)."""

    tree_size: int
    root_hash: str
    signed_at: str  # exactly as signed
    key_id: str
    signature: str
    source: str

    def message(self) -> bytes:
        return (
            f"{signing.SIGNATURE_CONTEXT}\n{self.tree_size}\n{self.root_hash}\n{self.signed_at}\n"
        ).encode()


class HeadsFileError(ValueError):
    pass


def head_line(sth: SignedTreeHead) -> dict[str, Any]:
    """One head as the destinations write it and ``verify --against`` reads it."""
    return {
        "tree_size": sth.tree_size,
        "root_hash": sth.root_hash,
        "signed_at": _stamp(sth.signed_at),
        "key_id": sth.key_id,
        "signature": sth.signature,
    }


def load_heads(path: Path) -> list[ExternalHead]:
    """Heads kept elsewhere: a destination's ``audit-heads.jsonl`` (or its directory), an
    export's ``tree-heads.json`` (or the export directory), or a saved head e-mail (lines
    that do not start with ``{`` are skipped)."""
    if path.is_dir():
        files = [p for p in (path / HEADS_FILE, path / "tree-heads.json") if p.exists()]
        if not files:
            raise HeadsFileError(f"{path}: neither {HEADS_FILE} nor tree-heads.json is there")
        return [head for file in files for head in load_heads(file)]
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise HeadsFileError(f"{path}: {exc.strerror or exc}") from exc
    rows: list[tuple[str, Any]] = []
    try:
        if text.lstrip().startswith("["):
            rows = [(f"{path.name}[{i}]", row) for i, row in enumerate(json.loads(text))]
        else:
            for number, line in enumerate(text.splitlines(), 1):
                if line.strip().startswith("{"):
                    rows.append((f"{path.name}:{number}", json.loads(line)))
    except json.JSONDecodeError as exc:
        raise HeadsFileError(f"{path}: not JSON ({exc})") from exc
    heads = []
    for source, row in rows:
        try:
            heads.append(
                ExternalHead(
                    tree_size=int(row["tree_size"]),
                    root_hash=str(row["root_hash"]),
                    signed_at=str(row["signed_at"]),
                    key_id=str(row["key_id"]),
                    signature=str(row["signature"]),
                    source=source,
                )
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise HeadsFileError(f"{source}: not a signed tree head ({exc})") from exc
    return heads


HEADS_FILE = "audit-heads.jsonl"


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
