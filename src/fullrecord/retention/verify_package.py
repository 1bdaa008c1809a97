#!/usr/bin/env python3
"""Verify a fullrecord case-file package offline, trusting nothing but this file.

Usage: python3 verify.py BAG_DIR [--public-key KEY.pem]

Needs Python 3.11+ and the ``cryptography`` package; nothing from fullrecord. BAG_DIR is
the package's top directory (where bagit.txt is). What is checked:

1. BagIt (RFC 8493): every file in every payload manifest (SHA-256, SHA-512 and, in
   packages made since 密评 support, SM3 after GB/T 32905) is there with that digest, no
   payload file is missing from a manifest, Payload-Oxum matches, and every tag file
   matches the tag manifests. A package without SM3 manifests (exported before them) is
   checked with SHA-256 and SHA-512 and a note says so; one whose SM3 manifest disagrees
   with its files is refused.
2. The audit trail (data/audit/entries.jsonl): each entry's SHA-256 covers its content,
   each is the RFC 9162 Merkle leaf it claims, and its inclusion proof leads to the root
   of the signed tree head (data/audit/tree-head.json), whose Ed25519 signature is valid
   for the public key — the one given with ``--public-key`` (obtained from the bureau by
   another channel: this proves origin), else the one in the package (integrity only).

Exit status 0 when everything holds; otherwise each problem is printed and it is 1.
Notes (``NOTE ...``) do not change the status.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

CONTEXT = "fullrecord-tree-head-v1"
CHUNK = 4 * 1024 * 1024
ALGORITHMS = {"sha256": hashlib.sha256, "sha512": hashlib.sha512}
# Checked when the package has them: packages exported before 密评 support have none.
OPTIONAL = ("sm3",)


class _SM3:
    """SM3 (GB/T 32905) through the ``cryptography`` package (OpenSSL), else hashlib."""

    def __init__(self) -> None:
        try:
            from cryptography.hazmat.primitives import hashes

            self._hash = hashes.Hash(hashes.SM3())
            self._final = lambda: self._hash.finalize().hex()
        except Exception:  # noqa: BLE001 — no cryptography, or an OpenSSL without SM3
            self._hash = hashlib.new("sm3")
            self._final = self._hash.hexdigest

    def update(self, data: bytes) -> None:
        self._hash.update(data)

    def hexdigest(self) -> str:
        return self._final()


def sm3_available() -> bool:
    try:
        _SM3()
    except ValueError:
        return False
    return True


ALGORITHMS["sm3"] = _SM3


def decode(name: str) -> str:
    return name.replace("%0A", "\n").replace("%0D", "\r").replace("%25", "%")


def digest_of(path: Path, algorithm: str) -> str:
    digest = ALGORITHMS[algorithm]()
    with open(path, "rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def read_manifest(path: Path) -> dict[str, str]:
    entries = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            digest, name = line.split(None, 1)
            entries[decode(name.strip())] = digest.lower()
    return entries


def check_bag(bag: Path, notes: list[str] | None = None) -> list[str]:
    notes = [] if notes is None else notes
    problems = []
    if not (bag / "bagit.txt").is_file():
        return [f"{bag}: no bagit.txt, not a BagIt package"]
    payload_files = {
        p.relative_to(bag).as_posix() for p in (bag / "data").rglob("*") if p.is_file()
    }
    for algorithm in ALGORITHMS:
        manifest = bag / f"manifest-{algorithm}.txt"
        if algorithm in OPTIONAL and not manifest.is_file():
            if (bag / f"tagmanifest-{algorithm}.txt").is_file():
                problems.append(f"manifest-{algorithm}.txt is missing")
            else:
                notes.append(
                    f"no {algorithm} manifests: the package was exported before they were "
                    "written; its files were checked with the SHA-256 and SHA-512 manifests"
                )
            continue
        if algorithm == "sm3" and not sm3_available():
            notes.append(
                "manifest-sm3.txt NOT checked: neither the cryptography package nor "
                "hashlib offers SM3 on this machine; its files were checked with the "
                "SHA-256 and SHA-512 manifests"
            )
            continue
        if not manifest.is_file():
            problems.append(f"manifest-{algorithm}.txt is missing")
            continue
        listed = read_manifest(manifest)
        for name in sorted(payload_files - set(listed)):
            problems.append(f"{name}: in the package but not in manifest-{algorithm}.txt")
        for name, digest in listed.items():
            path = bag / name
            if not path.is_file():
                problems.append(f"{name}: listed in manifest-{algorithm}.txt but missing")
            elif digest_of(path, algorithm) != digest:
                problems.append(f"{name}: {algorithm} differs from the manifest (changed)")
        tags = bag / f"tagmanifest-{algorithm}.txt"
        if tags.is_file():
            for name, digest in read_manifest(tags).items():
                if not (bag / name).is_file() or digest_of(bag / name, algorithm) != digest:
                    problems.append(f"{name}: {algorithm} differs from tagmanifest (changed)")
    info = (
        (bag / "bag-info.txt").read_text(encoding="utf-8")
        if (bag / "bag-info.txt").is_file()
        else ""
    )
    for line in info.splitlines():
        if line.startswith("Payload-Oxum:"):
            octets, count = line.split(":", 1)[1].strip().split(".")
            size = sum((bag / n).stat().st_size for n in payload_files)
            if (int(octets), int(count)) != (size, len(payload_files)):
                problems.append(
                    f"Payload-Oxum {octets}.{count} but the payload is {size}.{len(payload_files)}"
                )
    return problems


def node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def verify_inclusion(index: int, size: int, leaf: bytes, path: list, root: bytes) -> bool:
    """RFC 9162 §2.1.3.2."""
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def canonical(row: dict) -> bytes:
    keys = (
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
    body = {key: row[key] for key in keys}
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def check_audit(bag: Path, public_key: Path | None) -> list[str]:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import serialization

    audit = bag / "data" / "audit"
    problems = []
    head = json.loads((audit / "tree-head.json").read_text(encoding="utf-8"))
    key_file = public_key or audit / "public-key.pem"
    key = serialization.load_pem_public_key(key_file.read_bytes())
    message = f"{CONTEXT}\n{head['tree_size']}\n{head['root_hash']}\n{head['signed_at']}\n"
    try:
        key.verify(bytes.fromhex(head["signature"]), message.encode())
    except (InvalidSignature, ValueError):
        problems.append(f"the tree head's signature is not valid for {key_file.name}")
    root = bytes.fromhex(head["root_hash"])
    count = 0
    for line in (audit / "entries.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        count += 1
        body = canonical(row)
        if hashlib.sha256(body).hexdigest() != row["entry_hash"]:
            problems.append(f"audit entry {row['seq']}: its content no longer matches its hash")
        leaf = hashlib.sha256(b"\x00" + body).digest()
        if leaf.hex() != row["leaf_hash"]:
            problems.append(f"audit entry {row['seq']}: not the Merkle leaf it claims")
        path = [bytes.fromhex(n) for n in row["proof"]]
        if not verify_inclusion(row["seq"] - 1, head["tree_size"], leaf, path, root):
            problems.append(
                f"audit entry {row['seq']}: not in the signed tree of {head['tree_size']}"
            )
    if count == 0:
        problems.append("the package holds no audit entries")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bag", type=Path)
    parser.add_argument("--public-key", type=Path, default=None)
    args = parser.parse_args(argv)
    notes: list[str] = []
    problems = check_bag(args.bag, notes)
    if not problems:
        problems += check_audit(args.bag, args.public_key)
    for note in notes:
        print(f"NOTE {note}")
    for problem in problems:
        print(f"FAIL {problem}")
    if problems:
        return 1
    checked = [a for a in ALGORITHMS if not any(n.startswith(f"no {a} ") for n in notes)]
    if not sm3_available():
        checked = [a for a in checked if a != "sm3"]
    print(
        f"OK: every file matches the {', '.join(a.upper() for a in checked)} manifests; "
        "the audit trail is in the signed log."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
