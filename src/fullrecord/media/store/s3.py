"""Originals as S3 objects ``originals/<ab>/<cd>/<sha256>``, locked in compliance mode.

Any S3-compatible store that implements Object Lock will do (Ceph RGW, MinIO,
the object stores of government clouds: see ``docs/storage.md`` for what to
check first). What this backend promises, and how:

- Written once. Each object is uploaded with ``ObjectLockMode=COMPLIANCE`` and a
  retain-until date no earlier than ``retention_days`` from now (第十二条: at
  least six months), so nobody, the bucket owner included, can delete or
  shorten it before then. The bucket must have Object Lock enabled; a bucket
  without it is refused before anything is written. After the upload the
  object's lock is read back, and set with ``PutObjectRetention`` when the
  server ignored the upload headers (Huawei OBS does for multipart uploads).
- Our bytes. The spool file is re-hashed while it is sent; every request
  carries ``Content-MD5`` (checked by every S3 server) and
  ``x-amz-checksum-sha256`` of our digest (checked where the server supports
  checksums). Afterwards the stored object's SHA-256 checksum, else its ETag,
  must equal what we computed; when the server reports neither usefully, the
  object is read back and re-hashed.
- Never overwritten. ``If-None-Match: *`` makes the server refuse a second
  write of the key (a race between two ingests of the same bytes); we also
  look first, so duplicates cost one listing, not a second upload. Because the
  bucket is versioned and locked, even a write that slipped past (a server
  ignoring the condition, an intruder with the keys) adds a version instead of
  replacing ours: reads always use the oldest version of the key, the one we
  locked, and ``verify`` reports any later version or delete marker.
- Constant memory. Uploads stream from the spool file (one request below
  ``multipart_threshold``, parts of ``part_size`` above it); reads stream
  ranged GETs.
"""

from __future__ import annotations

import base64
import hashlib
import io
import logging
import math
import threading
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any, BinaryIO

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from .base import CHUNK, SHA256_RE, BlobStore, StorageFull, StoreError, StoreUnavailable, check_key
from .streams import FileSlice, RangeReader, stream_body

log = logging.getLogger(__name__)

MIB = 1024 * 1024
MIN_RETENTION_DAYS = 183  # 第十二条: routine footage is kept at least six months
MIN_PART_SIZE = 5 * MIB  # S3's smallest part (but the last)
MAX_PARTS = 10_000
PREFIX = "originals/"
# Error codes S3-compatible servers use for "no room" (AWS has none; Ceph, MinIO, OBS do).
NO_LOCK_CODES = ("ObjectLockConfigurationNotFoundError", "NoSuchObjectLockConfiguration")
FULL_CODES = {"QuotaExceeded", "XMinioStorageFull", "InsufficientStorage", "StorageFull"}


@dataclass(frozen=True)
class Version:
    version_id: str | None
    size: int
    etag: str


@dataclass(frozen=True)
class _Sent:
    """What we computed from the bytes we sent, to compare with what the server holds."""

    sha256: str
    checksum: str  # the SHA-256 checksum S3 should report (base64, composite for multipart)
    etag: str  # the ETag S3 computes for unencrypted objects (MD5 based)


class S3Store(BlobStore):
    name = "s3"

    def __init__(
        self,
        bucket: str,
        endpoint_url: str | None,
        region: str,
        access_key: str | None,
        secret_key: str | None,
        retention_days: int = MIN_RETENTION_DAYS,
        *,
        addressing_style: str = "path",
        multipart_threshold: int = 64 * MIB,
        part_size: int = 16 * MIB,
        read_ahead: int = 1 * MIB,
    ) -> None:
        if retention_days < MIN_RETENTION_DAYS:
            raise StoreError(
                f"retention_days={retention_days}: originals are kept at least "
                f"{MIN_RETENTION_DAYS} days (第十二条)"
            )
        if part_size < MIN_PART_SIZE:
            raise StoreError(f"part_size must be at least {MIN_PART_SIZE} bytes")
        self.bucket = bucket
        self.endpoint_url = endpoint_url
        self.retention_days = retention_days
        self.multipart_threshold = max(multipart_threshold, 1)
        self.part_size = part_size
        self.read_ahead = read_ahead
        self._client_args: dict[str, Any] = {
            "endpoint_url": endpoint_url or None,
            "region_name": region,
            "aws_access_key_id": access_key or None,
            "aws_secret_access_key": secret_key or None,
        }
        self._config = Config(
            signature_version="s3v4",
            s3={"addressing_style": addressing_style},
            # We send our own checksums; botocore's default CRC32 trailers (aws-chunked
            # bodies) are not understood by many S3-compatible servers.
            request_checksum_calculation="when_required",
            response_checksum_validation="when_required",
            retries={"mode": "standard", "max_attempts": 5},
            connect_timeout=10,
            read_timeout=120,
            max_pool_connections=32,
        )
        self.client = boto3.client("s3", **self._client_args, config=self._config)
        self._probe_client = None
        # These must carry Content-MD5 on most S3-compatible servers; botocore now
        # sends a CRC32 instead, so add the MD5 ourselves.
        for operation in (
            "PutObjectRetention",
            "PutObjectLegalHold",
            "PutObjectLockConfiguration",
            "PutBucketLifecycleConfiguration",
        ):
            self.client.meta.events.register(f"before-sign.s3.{operation}", _add_content_md5)
        self._lock_verified = False
        self._conditional_writes = True
        # sha256 -> the locked version. A fact that never changes while the object exists,
        # so caching it is safe; bounded so a long-lived worker does not grow without end.
        self._versions: OrderedDict[str, Version] = OrderedDict()
        self._versions_max = 10_000
        self._versions_lock = threading.Lock()  # one store serves every request thread

    # --- Names and small helpers.

    @staticmethod
    def key(sha256: str) -> str:
        check_key(sha256)
        return f"{PREFIX}{sha256[:2]}/{sha256[2:4]}/{sha256}"

    def _call(self, action: str, method: str, **kwargs: Any) -> Any:
        try:
            return getattr(self.client, method)(Bucket=self.bucket, **kwargs)
        except ClientError as exc:
            raise _translate(exc, action, self.bucket) from exc
        except BotoCoreError as exc:
            raise StoreUnavailable(f"S3 {action} failed: {exc}") from exc

    def retain_until_for(self, retain_until: date | None = None) -> datetime:
        """The lock date: the keep-until date's end, never before the six-month floor."""
        floor = datetime.now(UTC) + timedelta(days=self.retention_days)
        until = floor
        if retain_until is not None:
            from django.utils import timezone

            end_of_day = datetime.combine(
                retain_until + timedelta(days=1), time.min, tzinfo=timezone.get_default_timezone()
            ).astimezone(UTC)
            until = max(floor, end_of_day)
        # Whole seconds: several servers reject fractional retain-until dates.
        return until.replace(microsecond=0) + timedelta(seconds=1 if until.microsecond else 0)

    # --- The bucket.

    def object_lock_status(self) -> str | None:
        """``"Enabled"`` when the bucket has Object Lock, else None (or the server's refusal)."""
        try:
            answer = self.client.get_object_lock_configuration(Bucket=self.bucket)
        except ClientError as exc:
            code = _code(exc)
            if code in NO_LOCK_CODES:
                return None
            raise _translate(exc, "reading the Object Lock configuration", self.bucket) from exc
        except BotoCoreError as exc:
            raise StoreUnavailable(f"S3 endpoint unreachable: {exc}") from exc
        return answer.get("ObjectLockConfiguration", {}).get("ObjectLockEnabled")

    def require_object_lock(self) -> None:
        """Refuse to write evidence into a bucket whose objects could be deleted."""
        if self._lock_verified:
            return
        status = self.object_lock_status()
        if status != "Enabled":
            raise StoreError(
                f"S3 bucket {self.bucket!r} does not have Object Lock enabled, so originals "
                "written there could be deleted or replaced; nothing was stored. Create the "
                "bucket with Object Lock (`fullrecord storage_init`, or your storage "
                "administrator) and see docs/storage.md."
            )
        versioning = self._call("reading versioning", "get_bucket_versioning").get("Status")
        if versioning != "Enabled":
            raise StoreError(
                f"S3 bucket {self.bucket!r} has Object Lock but versioning is {versioning!r}; "
                "nothing was stored."
            )
        self._lock_verified = True

    def ensure_bucket(self, *, abort_incomplete_days: int = 7) -> str:
        """Create the bucket with Object Lock when missing (first set-up).

        Returns ``"created"`` or ``"exists"``; raises StoreError for an existing
        bucket without Object Lock, which cannot be trusted with evidence.
        """
        try:
            self.client.head_bucket(Bucket=self.bucket)
            exists = True
        except ClientError as exc:
            if _code(exc) not in ("404", "NoSuchBucket", "NotFound"):
                raise _translate(exc, "looking for the bucket", self.bucket) from exc
            exists = False
        except BotoCoreError as exc:
            raise StoreUnavailable(f"S3 endpoint unreachable: {exc}") from exc
        if exists:
            self.require_object_lock()
            return "exists"
        params: dict[str, Any] = {"ObjectLockEnabledForBucket": True}
        region = self.client.meta.region_name
        if region and region != "us-east-1":
            params["CreateBucketConfiguration"] = {"LocationConstraint": region}
        self._call("creating the bucket", "create_bucket", **params)
        # Belt and braces: whatever writes into the bucket (another tool, a restore) is
        # locked for the six-month floor too; our own uploads set their date explicitly.
        self._call(
            "setting the default retention",
            "put_object_lock_configuration",
            ObjectLockConfiguration={
                "ObjectLockEnabled": "Enabled",
                "Rule": {"DefaultRetention": {"Mode": "COMPLIANCE", "Days": self.retention_days}},
            },
        )
        # Parts of an upload that died half-way are not objects and are not locked;
        # let the server clear them (a rule with no Expiration never touches originals).
        try:
            self.client.put_bucket_lifecycle_configuration(
                Bucket=self.bucket,
                LifecycleConfiguration={
                    "Rules": [
                        {
                            "ID": "abort-incomplete-uploads",
                            "Status": "Enabled",
                            "Filter": {"Prefix": ""},
                            "AbortIncompleteMultipartUpload": {
                                "DaysAfterInitiation": abort_incomplete_days
                            },
                        }
                    ]
                },
            )
        except (ClientError, BotoCoreError) as exc:
            log.warning("could not set the incomplete-upload lifecycle rule: %s", exc)
        self.require_object_lock()
        return "created"

    def _probe(self):
        """A client for health checks: one try, short timeouts. A load balancer's probe must
        learn in seconds that the store is gone (a black-holed endpoint would otherwise hold
        it for five tries of the 10 s connect timeout)."""
        if self._probe_client is None:
            config = self._config.merge(
                Config(
                    retries={"mode": "standard", "max_attempts": 1},
                    connect_timeout=2,
                    read_timeout=5,
                )
            )
            self._probe_client = boto3.client("s3", **self._client_args, config=config)
        return self._probe_client

    def health(self) -> dict:
        try:
            probe = self._probe()
            probe.head_bucket(Bucket=self.bucket)
            try:
                answer = probe.get_object_lock_configuration(Bucket=self.bucket)
            except ClientError as exc:
                if _code(exc) not in NO_LOCK_CODES:
                    raise
                answer = {}
            status = answer.get("ObjectLockConfiguration", {}).get("ObjectLockEnabled")
        except (ClientError, BotoCoreError, StoreError) as exc:
            code = _code(exc) if isinstance(exc, ClientError) else exc.__class__.__name__
            return {"ok": False, "backend": self.name, "error": code}
        return {
            "ok": status == "Enabled",
            "backend": self.name,
            "object_lock": status or "disabled",
            "retention_days": self.retention_days,
        }

    # --- Writing.

    def put_file(
        self, path: Path, sha256: str, size: int, *, retain_until: date | None = None
    ) -> bool:
        return self.store_copy(path, sha256, size, retain_until=retain_until)

    def store_copy(
        self, path: Path, sha256: str, size: int, *, retain_until: date | None = None
    ) -> bool:
        """Upload ``path`` as the original ``sha256`` and leave ``path`` where it is.

        Returns False when the original is already stored. The file is re-hashed
        as it is sent; if it is not ``sha256`` nothing is stored.
        """
        key = self.key(sha256)
        self.require_object_lock()
        if self.exists(sha256):
            return False
        path = Path(path)
        actual = path.stat().st_size
        if actual != size:
            raise StoreError(f"{path.name}: {actual} bytes on disk, {size} expected")
        until = self.retain_until_for(retain_until)
        try:
            if size <= self.multipart_threshold:
                version_id, sent = self._put_single(path, key, sha256, size, until)
            else:
                version_id, sent = self._put_multipart(path, key, sha256, size, until)
        except _AlreadyStored:
            return False
        self._seal(key, version_id, size, until, sent)
        return True

    def _put_single(
        self, path: Path, key: str, sha256: str, size: int, until: datetime
    ) -> tuple[str | None, _Sent]:
        sha, md5 = hashlib.sha256(), hashlib.md5(usedforsecurity=False)
        with open(path, "rb") as handle:
            while block := handle.read(CHUNK):
                sha.update(block)
                md5.update(block)
            _check_digest(path, sha.hexdigest(), sha256)
            checksum = _b64(sha.digest())
            params = {
                "Key": key,
                "Body": FileSlice(handle, 0, size),
                "ContentLength": size,
                "ContentType": "application/octet-stream",
                "ContentMD5": _b64(md5.digest()),
                # Both: the algorithm alone would make botocore hash again into a trailer.
                "ChecksumAlgorithm": "SHA256",
                "ChecksumSHA256": checksum,
                "ObjectLockMode": "COMPLIANCE",
                "ObjectLockRetainUntilDate": until,
            }
            answer = self._conditional("uploading the original", "put_object", params)
        return answer.get("VersionId"), _Sent(sha256, checksum, md5.hexdigest())

    def _put_multipart(
        self, path: Path, key: str, sha256: str, size: int, until: datetime
    ) -> tuple[str | None, _Sent]:
        part_size = max(self.part_size, math.ceil(size / MAX_PARTS / MIB) * MIB)
        upload = self._call(
            "starting the upload",
            "create_multipart_upload",
            Key=key,
            ContentType="application/octet-stream",
            ChecksumAlgorithm="SHA256",
            ObjectLockMode="COMPLIANCE",
            ObjectLockRetainUntilDate=until,
        )
        upload_id = upload["UploadId"]
        whole = hashlib.sha256()
        part_shas, part_md5s, parts = [], [], []
        try:
            with open(path, "rb") as handle:
                for number, start in enumerate(range(0, size, part_size), start=1):
                    length = min(part_size, size - start)
                    sha, md5 = hashlib.sha256(), hashlib.md5(usedforsecurity=False)
                    handle.seek(start)
                    left = length
                    while left:
                        block = handle.read(min(CHUNK, left))
                        if not block:
                            raise StoreError(f"{path.name} shrank while being stored")
                        left -= len(block)
                        sha.update(block)
                        md5.update(block)
                        whole.update(block)
                    answer = self._call(
                        "uploading a part",
                        "upload_part",
                        Key=key,
                        UploadId=upload_id,
                        PartNumber=number,
                        Body=FileSlice(handle, start, length),
                        ContentLength=length,
                        ContentMD5=_b64(md5.digest()),
                        ChecksumAlgorithm="SHA256",
                        ChecksumSHA256=_b64(sha.digest()),
                    )
                    part_shas.append(sha.digest())
                    part_md5s.append(md5.digest())
                    parts.append(
                        {
                            "PartNumber": number,
                            "ETag": answer["ETag"],
                            "ChecksumSHA256": _b64(sha.digest()),
                        }
                    )
            _check_digest(path, whole.hexdigest(), sha256)
            answer = self._conditional(
                "completing the upload",
                "complete_multipart_upload",
                {"Key": key, "UploadId": upload_id, "MultipartUpload": {"Parts": parts}},
            )
        except BaseException:
            # Parts are not objects and carry no lock: drop them, store nothing half.
            try:
                self.client.abort_multipart_upload(Bucket=self.bucket, Key=key, UploadId=upload_id)
            except (ClientError, BotoCoreError) as exc:
                log.warning("could not abort the upload of %s: %s", key, exc)
            raise
        count = len(parts)
        sent = _Sent(
            sha256,
            f"{_b64(hashlib.sha256(b''.join(part_shas)).digest())}-{count}",
            f"{hashlib.md5(b''.join(part_md5s), usedforsecurity=False).hexdigest()}-{count}",
        )
        return answer.get("VersionId"), sent

    def _conditional(self, action: str, method: str, params: dict) -> dict:
        """A write that the server refuses when the key already exists (If-None-Match: *)."""
        if self._conditional_writes:
            try:
                return getattr(self.client, method)(Bucket=self.bucket, IfNoneMatch="*", **params)
            except ClientError as exc:
                code = _code(exc)
                if code in ("PreconditionFailed", "412"):
                    raise _AlreadyStored from exc
                if code not in ("NotImplemented", "501"):
                    raise _translate(exc, action, self.bucket) from exc
                # A server without conditional writes. Safe to go on: the bucket is
                # versioned and locked, so a racing duplicate adds a version of the same
                # bytes; it never replaces the locked one.
                log.warning("S3 server refuses If-None-Match; writing without it")
                self._conditional_writes = False
                _rewind(params)
            except BotoCoreError as exc:
                raise StoreUnavailable(f"S3 {action} failed: {exc}") from exc
        return self._call(action, method, **params)

    def _seal(
        self, key: str, version_id: str | None, size: int, until: datetime, sent: _Sent
    ) -> None:
        """Prove the stored object is our bytes, and that it is locked; else undo or alarm."""
        version = {"VersionId": version_id} if version_id else {}
        head = self._call(
            "checking the upload", "head_object", Key=key, ChecksumMode="ENABLED", **version
        )
        proof = _proof(head, size, sent)
        if proof is None:  # the server reports nothing we can compare: read it back
            proof = self._rehash(key, version_id) == sent.sha256
        locked = _locked_until(head, until)
        if not proof:
            if not locked:
                self._drop_version(key, version_id)
            raise StoreError(
                f"S3 stored bytes for {key} (version {version_id}) that are not the original; "
                + ("removed, nothing stored." if not locked else "the object is locked: report it.")
            )
        if not locked:
            # Huawei OBS, for one, ignores lock headers on multipart uploads; set it now.
            self._call(
                "locking the original",
                "put_object_retention",
                Key=key,
                Retention={"Mode": "COMPLIANCE", "RetainUntilDate": until},
                **version,
            )
            head = self._call("checking the lock", "head_object", Key=key, **version)
            if not _locked_until(head, until):
                self._drop_version(key, version_id)
                raise StoreError(
                    f"S3 bucket {self.bucket!r} did not lock {key} in compliance mode; "
                    "removed, nothing stored."
                )
        self._remember(
            key.rsplit("/", 1)[-1], Version(version_id, size, head.get("ETag", "").strip('"'))
        )

    def _drop_version(self, key: str, version_id: str | None) -> None:
        version = {"VersionId": version_id} if version_id else {}
        try:
            self.client.delete_object(Bucket=self.bucket, Key=key, **version)
        except (ClientError, BotoCoreError) as exc:
            log.error("could not remove the unproven upload %s %s: %s", key, version_id, exc)

    # --- Finding the locked version.

    def _remember(self, sha256: str, version: Version) -> None:
        with self._versions_lock:
            self._versions[sha256] = version
            self._versions.move_to_end(sha256)
            while len(self._versions) > self._versions_max:
                self._versions.popitem(last=False)

    def _list_versions(self, key: str) -> tuple[list[dict], list[dict]]:
        """Every version and delete marker of ``key``, newest first, as S3 lists them."""
        versions: list[dict] = []
        markers: list[dict] = []
        try:
            pages = self.client.get_paginator("list_object_versions").paginate(
                Bucket=self.bucket, Prefix=key
            )
            for page in pages:
                versions += [v for v in page.get("Versions", []) if v["Key"] == key]
                markers += [m for m in page.get("DeleteMarkers", []) if m["Key"] == key]
        except ClientError as exc:
            raise _translate(exc, "listing versions", self.bucket) from exc
        except BotoCoreError as exc:
            raise StoreUnavailable(f"S3 endpoint unreachable: {exc}") from exc
        return versions, markers

    def locked_version(self, sha256: str) -> Version | None:
        """The version we stored: the oldest one of the key (later ones are not ours)."""
        cached = self._versions.get(sha256)
        if cached is not None:
            return cached
        versions, _ = self._list_versions(self.key(sha256))
        if not versions:
            return None
        oldest = versions[-1]
        found = Version(oldest.get("VersionId"), int(oldest["Size"]), oldest["ETag"].strip('"'))
        self._remember(sha256, found)
        return found

    def _require(self, sha256: str) -> Version:
        found = self.locked_version(sha256)
        if found is None:
            raise StoreError(f"original {sha256} is missing from the store")
        return found

    # --- Reading.

    def exists(self, sha256: str) -> bool:
        return self.locked_version(sha256) is not None

    def size(self, sha256: str) -> int:
        return self._require(sha256).size

    def _get(self, key: str, version_id: str | None, first: int, last: int):
        version = {"VersionId": version_id} if version_id else {}
        answer = self._call(
            "reading the original", "get_object", Key=key, Range=f"bytes={first}-{last}", **version
        )
        return answer["Body"]

    def open(self, sha256: str) -> BinaryIO:
        found = self._require(sha256)
        key = self.key(sha256)
        raw = RangeReader(
            lambda first, last: self._get(key, found.version_id, first, last),
            found.size,
            self.read_ahead,
        )
        return io.BufferedReader(raw, buffer_size=min(self.read_ahead, 256 * 1024))

    def iter_range(
        self, sha256: str, start: int, length: int, chunk: int = 256 * 1024
    ) -> Iterator[bytes]:
        """One ranged GET, streamed. The request is made now, so a missing original
        fails before a response has started."""
        found = self._require(sha256)
        length = min(length, found.size - start)
        if length <= 0 or start < 0:
            return iter(())
        body = self._get(self.key(sha256), found.version_id, start, start + length - 1)
        return stream_body(body, chunk)

    def _rehash(self, key: str, version_id: str | None) -> str:
        version = {"VersionId": version_id} if version_id else {}
        body = self._call("reading the original", "get_object", Key=key, **version)["Body"]
        digest = hashlib.sha256()
        try:
            for block in body.iter_chunks(CHUNK):
                digest.update(block)
        finally:
            body.close()
        return digest.hexdigest()

    def verify(self, sha256: str) -> bool:
        """Re-hash the locked version, and find anything written to its key since.

        A later version with other bytes, or a delete marker, means someone wrote
        to an evidence key outside this application: the original is still intact
        (and still served), but the check fails so that it is looked into.
        """
        key = self.key(sha256)
        versions, markers = self._list_versions(key)
        if not versions:
            raise StoreError(f"original {sha256} is missing from the store")
        oldest = versions[-1]
        intact = self._rehash(key, oldest.get("VersionId")) == sha256
        strangers = [
            v for v in versions[:-1] if (v["ETag"], v["Size"]) != (oldest["ETag"], oldest["Size"])
        ]
        if strangers or markers:
            log.warning(
                "%s: %d foreign version(s) and %d delete marker(s) over the locked original",
                key,
                len(strangers),
                len(markers),
            )
        return intact and not strangers and not markers

    def keys(self) -> Iterator[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=PREFIX
        )
        try:
            for page in pages:
                for entry in page.get("Contents", []):
                    name = entry["Key"].rsplit("/", 1)[-1]
                    if SHA256_RE.match(name) and entry["Key"] == self.key(name):
                        yield name
        except ClientError as exc:
            raise _translate(exc, "listing originals", self.bucket) from exc
        except BotoCoreError as exc:
            raise StoreUnavailable(f"S3 endpoint unreachable: {exc}") from exc

    def lock(self, sha256: str, *, until: date | None, legal_hold: bool) -> None:
        """Extend the COMPLIANCE retain-until date to the keep-until date (a shorter one is
        left alone: the server refuses to shorten, and so do we) and set the legal hold."""
        found = self._require(sha256)
        key = self.key(sha256)
        version = {"VersionId": found.version_id} if found.version_id else {}
        if until is not None:
            wanted = self.retain_until_for(until)
            head = self._call("reading the lock", "head_object", Key=key, **version)
            if not _locked_until(head, wanted):
                self._call(
                    "extending the lock",
                    "put_object_retention",
                    Key=key,
                    Retention={"Mode": "COMPLIANCE", "RetainUntilDate": wanted},
                    **version,
                )
        self._call(
            "setting the legal hold",
            "put_object_legal_hold",
            Key=key,
            LegalHold={"Status": "ON" if legal_hold else "OFF"},
            **version,
        )

    def legal_hold(self, sha256: str) -> bool:
        found = self._require(sha256)
        version = {"VersionId": found.version_id} if found.version_id else {}
        try:
            answer = self.client.get_object_legal_hold(
                Bucket=self.bucket, Key=self.key(sha256), **version
            )
        except ClientError as exc:
            # No hold was ever set on the object: AWS and moto answer NoSuchObjectLockConfiguration,
            # Ceph RGW (Pacific) ObjectLockConfigurationNotFoundError.
            if _code(exc) in (
                "NoSuchObjectLockConfiguration",
                "ObjectLockConfigurationNotFoundError",
                "InvalidRequest",
            ):
                return False
            raise _translate(exc, "reading the legal hold", self.bucket) from exc
        return answer.get("LegalHold", {}).get("Status") == "ON"

    def _delete(self, sha256: str) -> None:
        key = self.key(sha256)
        versions, markers = self._list_versions(key)
        for entry in markers + versions:
            # Refused by the server while the retain-until date has not passed.
            self._call("deleting", "delete_object", Key=key, VersionId=entry["VersionId"])
        with self._versions_lock:
            self._versions.pop(sha256, None)


class _AlreadyStored(Exception):
    """The server refused the write because the key exists (another ingest won)."""


def _add_content_md5(request, **kwargs) -> None:
    body = request.body
    if isinstance(body, str):
        body = body.encode("utf-8")
    if isinstance(body, bytes) and "Content-MD5" not in request.headers:
        request.headers["Content-MD5"] = _b64(hashlib.md5(body, usedforsecurity=False).digest())


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _check_digest(path: Path, actual: str, expected: str) -> None:
    if actual != expected:
        raise StoreError(
            f"{path.name} does not hash to {expected} (it hashes to {actual}); nothing stored"
        )


def _rewind(params: dict) -> None:
    body = params.get("Body")
    if body is not None:
        body.seek(0)


def _proof(head: dict, size: int, sent: _Sent) -> bool | None:
    """True when the server's own checksum (else ETag) matches ours, False when it
    contradicts it, None when it offers nothing comparable."""
    if int(head.get("ContentLength", -1)) != size:
        return False
    checksum = head.get("ChecksumSHA256")
    if checksum:
        # Composite checksums end in "-<parts>" on AWS; some servers leave the suffix off.
        return checksum.split("-")[0] == sent.checksum.split("-")[0]
    etag = head.get("ETag", "").strip('"')
    if etag == sent.etag:
        return True
    return None  # an encrypted object's ETag is not an MD5: read it back instead


def _locked_until(head: dict, until: datetime) -> bool:
    date_ = head.get("ObjectLockRetainUntilDate")
    if head.get("ObjectLockMode") != "COMPLIANCE" or date_ is None:
        return False
    if isinstance(date_, str):
        date_ = datetime.fromisoformat(date_.replace("Z", "+00:00"))
    return date_ >= until - timedelta(seconds=1)


def _code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def _translate(exc: ClientError, action: str, bucket: str) -> StoreError:
    code = _code(exc)
    status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    if code in FULL_CODES or status == 507:
        return StorageFull()
    message = exc.response.get("Error", {}).get("Message", "")
    text = f"S3 {action} in bucket {bucket!r} failed: {code} {message}".strip()
    if status in (500, 502, 503, 504):  # the server's trouble (SlowDown, a gateway): not ours
        return StoreUnavailable(text)
    return StoreError(text)
