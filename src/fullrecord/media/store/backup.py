"""Backing up the S3 bucket into a directory, and putting it back into an empty bucket.

Object Lock keeps originals from being deleted through the API; it is no backup against
losing the cluster, the site or the account. ``fullrecord backup`` (core/backup.py)
calls :func:`back_up_bucket` after the database dump and ``fullrecord restore`` calls
:func:`restore_bucket` after the database is back.

The target is a directory, not a second bucket: it is what a bureau can carry to another
site or tape, it needs no second S3 service to restore from, and it is the same layout as
the local store's backup, so one backup directory serves both modes::

    DIR/store/ab/cd/<sha256>       each object's bytes, named by their SHA-256, read-only,
                                   shared by every backup in DIR: an object whose digest is
                                   there already is not copied again (incremental)
    DIR/<time>/objects.jsonl       one line per object: key, SHA-256, size, the version
                                   backed up, its Object Lock mode and retain-until date,
                                   its legal hold, and what else was on the key

What is backed up of a key is its *oldest* version: the one the store wrote and locked
and the only one it ever reads (``s3.py``, "Reading"). Later versions (a write that went
round the application) are counted in the line, not copied; ``fullrecord verify`` on the
source already reports them.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from .base import CHUNK, SHA256_RE, StoreError, StoreUnavailable
from .s3 import PREFIX, S3Store, _b64, _code, _translate

log = logging.getLogger(__name__)

NO_HOLD = (
    "NoSuchObjectLockConfiguration",
    "ObjectLockConfigurationNotFoundError",
    "InvalidRequest",
)
SINGLE_PUT_MAX = 5 * 1024**3  # S3's largest PutObject; originals above it go multipart


@dataclass
class BucketCopy:
    count: int = 0
    bytes: int = 0
    copied: int = 0
    kept: int = 0
    damaged: list[str] = field(default_factory=list)


def blob_path(blobs: Path, sha256: str) -> Path:
    return blobs / sha256[:2] / sha256[2:4] / sha256


def _original_name(key: str) -> str | None:
    """The SHA-256 an original's key is named by (``originals/ab/cd/<sha256>``), else None."""
    name = key.rsplit("/", 1)[-1]
    if key.startswith(PREFIX) and SHA256_RE.match(name) and key == S3Store.key(name):
        return name
    return None


def _oldest_versions(store: S3Store) -> Iterator[tuple[dict, int, int]]:
    """Each key's oldest version, with how many later versions and delete markers it has.

    S3 lists versions by key, newest first, so one key at a time is held, whatever the
    bucket's size.
    """
    key: str | None = None
    oldest: dict | None = None
    later = markers = 0
    pages = store.client.get_paginator("list_object_versions").paginate(Bucket=store.bucket)
    try:
        for page in pages:
            entries = [(v, False) for v in page.get("Versions", [])]
            entries += [(m, True) for m in page.get("DeleteMarkers", [])]
            # Within a page both lists are in key order; merge them back into one.
            entries.sort(key=lambda pair: pair[0]["Key"])
            for entry, is_marker in entries:
                if entry["Key"] != key:
                    if oldest is not None:
                        yield oldest, later, markers
                    key, oldest, later, markers = entry["Key"], None, 0, 0
                if is_marker:
                    markers += 1
                    continue
                if oldest is not None:
                    later += 1
                oldest = entry
    except ClientError as exc:
        raise _translate(exc, "listing the bucket", store.bucket) from exc
    except BotoCoreError as exc:
        raise StoreUnavailable(f"S3 endpoint unreachable: {exc}") from exc
    if oldest is not None:
        yield oldest, later, markers


def _lock_state(store: S3Store, key: str, version_id: str | None) -> dict[str, Any]:
    version = {"VersionId": version_id} if version_id else {}
    head = store._call("reading the lock", "head_object", Key=key, **version)
    until = head.get("ObjectLockRetainUntilDate")
    try:
        hold = store.client.get_object_legal_hold(Bucket=store.bucket, Key=key, **version)
        held = hold.get("LegalHold", {}).get("Status") == "ON"
    except ClientError as exc:
        if _code(exc) not in NO_HOLD:
            raise _translate(exc, "reading the legal hold", store.bucket) from exc
        held = False
    return {
        "content_type": head.get("ContentType") or "application/octet-stream",
        "lock_mode": head.get("ObjectLockMode"),
        "retain_until": until.astimezone(UTC).isoformat() if until else None,
        "legal_hold": held,
    }


def _download(store: S3Store, key: str, version_id: str | None, blobs: Path) -> tuple[str, int]:
    """Stream one version into the backup under its SHA-256; (digest, size)."""
    version = {"VersionId": version_id} if version_id else {}
    body = store._call("reading the object", "get_object", Key=key, **version)["Body"]
    blobs.mkdir(parents=True, exist_ok=True)
    partial = blobs / f".{os.getpid()}.partial"
    digest = hashlib.sha256()
    size = 0
    try:
        with open(partial, "wb") as handle:
            for block in body.iter_chunks(CHUNK):
                handle.write(block)
                digest.update(block)
                size += len(block)
            handle.flush()
            os.fsync(handle.fileno())
        sha256 = digest.hexdigest()
        target = blob_path(blobs, sha256)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(partial, 0o444)
        os.replace(partial, target)
    finally:
        body.close()
        partial.unlink(missing_ok=True)
    return sha256, size


def known_digests(listings: list[Path]) -> dict[tuple[str, str, int], str]:
    """(key, version, size) -> SHA-256 from earlier backups' listings, so an object that
    is not named by its hash is not downloaded again to learn that it has not changed."""
    known: dict[tuple[str, str, int], str] = {}
    for listing in listings:
        with open(listing, encoding="utf-8") as handle:
            for line in handle:
                entry = json.loads(line)
                known[(entry["key"], entry["version_id"] or "", entry["size"])] = entry["sha256"]
    return known


def back_up_bucket(
    store: S3Store, blobs: Path, listing: Path, earlier: list[Path] | None = None
) -> BucketCopy:
    """Copy every object the backup lacks into ``blobs``; describe all of them in ``listing``."""
    known = known_digests(earlier or [])
    report = BucketCopy()
    with open(listing, "w", encoding="utf-8") as out:
        for version, later, markers in _oldest_versions(store):
            key, version_id, size = version["Key"], version.get("VersionId"), int(version["Size"])
            if version_id == "null":
                version_id = None
            state = _lock_state(store, key, version_id)  # before the bytes: a hold set meanwhile
            name = _original_name(key)
            sha256 = name or known.get((key, version_id or "", size))
            there = blob_path(blobs, sha256) if sha256 else None
            if there is not None and there.is_file() and there.stat().st_size == size:
                report.kept += 1
            else:
                sha256, got = _download(store, key, version_id, blobs)
                report.copied += 1
                if (name and sha256 != name) or got != size:
                    log.error("backup: %s does not hash to its name (it hashes to %s)", key, sha256)
                    report.damaged.append(key)
            report.count += 1
            report.bytes += size
            line = {
                "key": key,
                "sha256": sha256,
                "size": size,
                "version_id": version_id,
                "etag": version.get("ETag", "").strip('"'),
                **state,
                "later_versions": later,
                "delete_markers": markers,
            }
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
        out.flush()
        os.fsync(out.fileno())
    return report


# --- Restore ---------------------------------------------------------------------------


def require_empty(store: S3Store) -> None:
    """Create the bucket with Object Lock when missing; refuse one that holds anything."""
    store.ensure_bucket()
    answer = store._call("listing the bucket", "list_object_versions", MaxKeys=1)
    if answer.get("Versions") or answer.get("DeleteMarkers"):
        raise StoreError(
            f"the bucket {store.bucket!r} is not empty: restore only into an empty bucket"
        )


def _until(entry: dict) -> datetime | None:
    if not entry.get("retain_until"):
        return None
    until = datetime.fromisoformat(entry["retain_until"])
    return until if until > datetime.now(UTC) else None


def _put_other(store: S3Store, path: Path, entry: dict, until: datetime | None) -> None:
    """An object that is not an original (none today): put as it was, lock and all."""
    if entry["size"] > SINGLE_PUT_MAX:
        raise StoreError(f"{entry['key']}: larger than one PutObject; not restored")
    md5 = hashlib.md5(usedforsecurity=False)
    with open(path, "rb") as handle:
        while block := handle.read(CHUNK):
            md5.update(block)
        handle.seek(0)
        lock: dict[str, Any] = {}
        if until is not None and entry.get("lock_mode"):
            lock = {"ObjectLockMode": entry["lock_mode"], "ObjectLockRetainUntilDate": until}
        store._call(
            "restoring an object",
            "put_object",
            Key=entry["key"],
            Body=handle,
            ContentLength=entry["size"],
            ContentMD5=_b64(md5.digest()),
            ContentType=entry["content_type"],
            **lock,
        )


def _relock(store: S3Store, key: str, entry: dict, until: datetime | None) -> None:
    """The recorded lock again: a retain-until later than the one just set, the hold."""
    if until is not None and entry.get("lock_mode"):
        head = store._call("reading the lock", "head_object", Key=key)
        current = head.get("ObjectLockRetainUntilDate")
        if current is None or current < until:
            store._call(
                "restoring the lock",
                "put_object_retention",
                Key=key,
                Retention={"Mode": entry["lock_mode"], "RetainUntilDate": until},
            )
    if entry.get("legal_hold"):
        store._call(
            "restoring the legal hold",
            "put_object_legal_hold",
            Key=key,
            LegalHold={"Status": "ON"},
        )


def restore_bucket(store: S3Store, blobs: Path, listing: Path) -> BucketCopy:
    """Put every object of ``listing`` back into the (empty) bucket with its lock and hold.

    An original goes through the store's own write (re-hashed while sent, proved, locked
    for at least the six-month floor from now), then gets its recorded retain-until date
    when that is later, and its legal hold. A backup file that does not hash to what the
    listing says is not put into the bucket (a locked bucket would keep it for good): it
    is reported, and ``verify`` then names the original as missing.
    """
    report = BucketCopy()
    with open(listing, encoding="utf-8") as handle:
        for line in handle:
            entry = json.loads(line)
            key, sha256, size = entry["key"], entry["sha256"], entry["size"]
            path = blob_path(blobs, sha256)
            until = _until(entry)
            try:
                if not path.is_file() or path.stat().st_size != size:
                    raise StoreError(f"{path} is missing from the backup")
                if _original_name(key) == sha256:
                    store.store_copy(path, sha256, size)
                else:
                    if _original_name(key):
                        raise StoreError(f"{key} was backed up with other bytes ({sha256})")
                    if _sha256(path) != sha256:
                        raise StoreError(f"{path} does not hash to its name")
                    _put_other(store, path, entry, until)
                _relock(store, key, entry, until)
            except StoreUnavailable:
                raise  # not this object's fault: the whole restore stops
            except StoreError as exc:
                log.error("restore: %s not restored: %s", key, exc)
                report.damaged.append(key)
                continue
            report.count += 1
            report.copied += 1
            report.bytes += size
    return report


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()
