#!/usr/bin/env python3
"""Verify an exported fullrecord audit log offline, trusting nothing but this file.

Needs only Python 3.11+ and the ``cryptography`` package (and ``gmssl`` for the SM2
co-signatures an export carries since 密评 support). Usage:

    python3 verify_audit_export.py EXPORT_DIR [--public-key KEY.pem ...] [--against HEADS ...]

EXPORT_DIR is what ``fullrecord audit_export`` wrote: entries.jsonl, tree-heads.json,
public-key.pem and public-keys/ (every key that signed, retired ones too). Give
``--public-key`` once per key you obtained from the bureau by another channel (after a
key rotation: the old and the new); otherwise the exported keys are used (which proves
integrity, not origin). Give ``--against`` with heads kept outside the bureau's machine
(the JSON lines a head destination wrote, a head e-mail saved as a file, an earlier
export's tree-heads.json). Exit status 0 when everything holds, 1 otherwise, each
problem printed.

What is checked: every entry's hash covers its content; each entry links to the one
before; sequence numbers have no gaps; every entry is the RFC 9162 Merkle leaf it
claims; the Merkle root at every signed tree head matches and its Ed25519 signature is
valid for the key its key_id names; every head kept outside is validly signed, is in
the export, and matches the entries at its size; when the export has
sm2-tree-heads.json, every signed head also has an SM2 signature (GB/T 32918, signer ID
1234567812345678) over the same size, root and time that is valid for the SM2 key given
with ``--sm2-public-key`` (128 hex digits, x|y) or, without it, the exported one.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization

CONTEXT = "fullrecord-tree-head-v1"
SM2_CONTEXT = "fullrecord-tree-head-sm2-v1"
SM2_ID = b"1234567812345678"
# sm2p256v1 (GB/T 32918.5-2017)
SM2_CURVE = {
    "n": "FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123",
    "p": "FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF",
    "g": "32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7"
    "bc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0",
    "a": "FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC",
    "b": "28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93",
}


def sm3(data: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes

    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize()


def sm2_ok(head: dict, co: dict | None, public_hex: str) -> str | None:
    """None when ``co`` is a valid SM2 signature of ``head`` by ``public_hex``."""
    if co is None:
        return "no SM2 signature"
    if co["root_hash"] != head["root_hash"] or co["signed_at"] != head["signed_at"]:
        return "the SM2-signed head differs from the Ed25519-signed one"
    if co["public_key"].lower() != public_hex.lower():
        return "SM2-signed with a key other than the one given"
    try:
        from gmssl.sm2 import CryptSM2
    except ImportError:
        return "has an SM2 signature, but gmssl is not installed (pip install gmssl)"
    n = int(SM2_CURVE["n"], 16)
    signature = co["signature"]
    try:
        r, s = int(signature[:64], 16), int(signature[64:], 16)
    except ValueError:
        return "SM2 signature is not valid"
    if len(signature) != 128 or not (0 < r < n and 0 < s < n):
        return "SM2 signature is not valid"
    message = f"{SM2_CONTEXT}\n{head['tree_size']}\n{head['root_hash']}\n{head['signed_at']}\n"
    curve = SM2_CURVE
    z = sm3(
        (len(SM2_ID) * 8).to_bytes(2, "big")
        + SM2_ID
        + bytes.fromhex(curve["a"] + curve["b"] + curve["g"] + public_hex)
    )
    e = sm3(z + message.encode())
    crypt = CryptSM2("00", "00" * 64, ecc_table=curve)
    crypt.public_key = public_hex  # not through gmssl's lstrip("04")
    try:
        if crypt.verify(signature, e):
            return None
    except (ValueError, TypeError):
        pass
    return "SM2 signature is not valid"


def node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def push(frontier: list, leaf: bytes) -> None:
    frontier.append((0, leaf))
    while len(frontier) >= 2 and frontier[-1][0] == frontier[-2][0]:
        (height, right), (_, left) = frontier.pop(), frontier.pop()
        frontier.append((height + 1, node(left, right)))


def root_of(frontier: list) -> bytes:
    if not frontier:
        return hashlib.sha256(b"").digest()
    acc = frontier[-1][1]
    for _, left in reversed(frontier[:-1]):
        acc = node(left, acc)
    return acc


def canonical(row: dict) -> bytes:
    body = {
        key: row[key]
        for key in (
            "seq",
            "at",
            "actor",
            "action",
            "object_type",
            "object_id",
            "case",
            "summary",
            "data",
            "prev",
        )
    }
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def key_id(public_key) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


def load_keys(paths: list) -> dict:
    keys = {}
    for path in paths:
        key = serialization.load_pem_public_key(path.read_bytes())
        keys[key_id(key)] = key
    return keys


def signature_ok(head: dict, keys: dict) -> str | None:
    """None when the head's signature is valid for the key it names, else why not."""
    key = keys.get(head["key_id"])
    if key is None:
        return f"signed with key {head['key_id'][:16]}, which is not among the keys given"
    message = f"{CONTEXT}\n{head['tree_size']}\n{head['root_hash']}\n{head['signed_at']}\n"
    try:
        key.verify(bytes.fromhex(head["signature"]), message.encode())
    except (InvalidSignature, ValueError):
        return "signature is not valid for this key"
    return None


def load_heads(path: Path) -> list:
    """JSON lines (lines not starting with { are skipped: a saved e-mail) or a JSON array."""
    text = path.read_text(encoding="utf-8")
    if text.lstrip().startswith("["):
        return json.loads(text)
    return [json.loads(line) for line in text.splitlines() if line.strip().startswith("{")]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--public-key", type=Path, action="append", default=[])
    parser.add_argument("--against", type=Path, action="append", default=[], metavar="HEADS")
    parser.add_argument(
        "--trusted-head",
        action="append",
        default=[],
        metavar="SIZE:ROOT",
        help="a tree size and root hex you kept from an earlier check; the export must still "
        "contain that tree (catches a log cut back and rewritten since)",
    )
    parser.add_argument(
        "--sm2-public-key",
        metavar="HEX",
        help="the bureau's SM2 public key (128 hex digits, x|y), obtained by another channel",
    )
    args = parser.parse_args()
    sm2_file = args.directory / "sm2-tree-heads.json"
    sm2_heads = None
    if sm2_file.exists():
        sm2_heads = {h["tree_size"]: h for h in json.loads(sm2_file.read_text())}
    sm2_key = args.sm2_public_key or next((h["public_key"] for h in (sm2_heads or {}).values()), "")
    trusted = {}
    for value in args.trusted_head:
        size, _, root = value.partition(":")
        trusted[int(size)] = root.lower()
    key_paths = args.public_key or [
        args.directory / "public-key.pem",
        *sorted((args.directory / "public-keys").glob("*.pem")),
    ]
    keys = load_keys([p for p in key_paths if p.exists() or args.public_key])
    heads = {
        h["tree_size"]: h for h in json.loads((args.directory / "tree-heads.json").read_text())
    }
    problems: list[str] = []
    for path in args.against:
        for head in load_heads(path):
            why = signature_ok(head, keys)
            if why:
                problems.append(f"kept head {head['tree_size']} ({path.name}): {why}")
                continue
            size = head["tree_size"]
            if trusted.get(size, head["root_hash"].lower()) != head["root_hash"].lower():
                problems.append(f"two different validly signed heads of size {size} kept")
            trusted[size] = head["root_hash"].lower()
            exported = heads.get(size)
            if exported is None:
                problems.append(f"kept head {size} ({path.name}): missing from the export")
            elif (
                exported["root_hash"] != head["root_hash"]
                or exported["signature"] != head["signature"]
            ):
                problems.append(f"kept head {size} ({path.name}): the export has another head")
    previous, expected_seq, frontier, count = "0" * 64, 1, [], 0
    with open(args.directory / "entries.jsonl", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            body = canonical(row)
            seq = row["seq"]
            if seq != expected_seq:
                problems.append(f"entry #{seq}: expected sequence number {expected_seq}")
            if row["prev"] != previous:
                problems.append(f"entry #{seq}: the link to the previous entry is broken")
            if hashlib.sha256(body).hexdigest() != row["entry_hash"]:
                problems.append(f"entry #{seq}: content does not match its hash")
            leaf = hashlib.sha256(b"\x00" + body).digest()
            if leaf.hex() != row["leaf_hash"]:
                problems.append(f"entry #{seq}: Merkle leaf does not match its content")
            push(frontier, leaf)
            count += 1
            if count in trusted and root_of(frontier).hex() != trusted.pop(count):
                problems.append(
                    f"trusted head {count}: the export's tree differs from the one kept"
                )
            head = heads.pop(count, None)
            if head:
                root = root_of(frontier).hex()
                if root != head["root_hash"]:
                    problems.append(f"signed head {count}: root does not match the entries")
                why = signature_ok(head, keys)
                if why:
                    problems.append(f"signed head {count}: {why}")
                if sm2_heads is not None:
                    why = sm2_ok(head, sm2_heads.get(count), sm2_key)
                    if why:
                        problems.append(f"signed head {count}: {why}")
            previous, expected_seq = row["entry_hash"], seq + 1
    for size in sorted(heads):
        problems.append(f"signed head {size}: the export has only {count} entries")
    for size in sorted(trusted):
        problems.append(f"trusted head {size}: the export has only {count} entries (cut back)")
    for problem in problems:
        print("FAIL", problem)
    if problems:
        return 1
    both = " (Ed25519 and SM2)" if sm2_heads is not None else ""
    print(f"OK: {count} entries, chain and Merkle tree intact, every signed head valid{both}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
