"""S3: originals are locked in compliance mode, proven to be our bytes, never replaced."""

from __future__ import annotations

import base64
import hashlib
import urllib.error
import urllib.request
from datetime import UTC, date, datetime, timedelta

import pytest
from botocore.exceptions import ClientError

from fullrecord.media.store import StoreError
from fullrecord.media.store.s3 import S3Store

from .conftest import make_sample


def _today() -> date:
    return datetime.now(UTC).date()


def _head(store: S3Store, sha256: str) -> dict:
    version = store.locked_version(sha256).version_id
    return store.client.head_object(
        Bucket=store.bucket, Key=store.key(sha256), VersionId=version, ChecksumMode="ENABLED"
    )


def test_it_writes_under_a_content_address(s3_store, sample):
    s3_store.put_file(sample.spool(), sample.sha256, len(sample.data))
    sha = sample.sha256
    listed = s3_store.client.list_objects_v2(Bucket=s3_store.bucket)["Contents"]
    assert [entry["Key"] for entry in listed] == [f"originals/{sha[:2]}/{sha[2:4]}/{sha}"]


def test_it_locks_an_original_in_compliance_mode_for_at_least_six_months(s3_store, sample):
    before = datetime.now(UTC)
    s3_store.put_file(sample.spool(), sample.sha256, len(sample.data))

    head = _head(s3_store, sample.sha256)
    assert head["ObjectLockMode"] == "COMPLIANCE"
    assert head["ObjectLockRetainUntilDate"] >= before + timedelta(days=183)
    assert head["ObjectLockRetainUntilDate"] < before + timedelta(days=184)


def test_a_later_keep_until_date_locks_it_longer(s3_store, sample):
    keep_until = _today() + timedelta(days=3 * 365)
    s3_store.put_file(sample.spool(), sample.sha256, len(sample.data), retain_until=keep_until)

    until = _head(s3_store, sample.sha256)["ObjectLockRetainUntilDate"]
    assert until.date() >= keep_until


def test_an_earlier_keep_until_date_never_shortens_the_floor(s3_store, sample):
    before = datetime.now(UTC)
    s3_store.put_file(sample.spool(), sample.sha256, len(sample.data), retain_until=_today())
    until = _head(s3_store, sample.sha256)["ObjectLockRetainUntilDate"]
    assert until >= before + timedelta(days=183)


def test_the_stored_object_is_proven_ours_by_its_md5_etag(s3_store, sample):
    """We send Content-MD5 and x-amz-checksum-sha256. Ceph Pacific checks the MD5 but
    accepts and drops the SHA-256 checksum (AWS keeps it), so the store's proof is the
    checksum where the server reports one and the MD5 ETag where it does not."""
    s3_store.put_file(sample.spool(), sample.sha256, len(sample.data))

    head = _head(s3_store, sample.sha256)
    assert head["ETag"].strip('"') == hashlib.md5(sample.data, usedforsecurity=False).hexdigest()
    assert head.get("ChecksumSHA256") in (
        None,
        base64.b64encode(bytes.fromhex(sample.sha256)).decode(),
    )


def test_a_body_that_does_not_match_its_content_md5_is_refused_by_the_server(s3_server):
    store = S3Store(**s3_server.settings(s3_server.new_bucket()))
    wrong_md5 = base64.b64encode(hashlib.md5(b"other", usedforsecurity=False).digest()).decode()

    with pytest.raises(ClientError) as refused:
        store.client.put_object(
            Bucket=store.bucket,
            Key="originals/x",
            Body=b"evidence",
            ContentMD5=wrong_md5,
        )
    assert refused.value.response["Error"]["Code"] == "BadDigest"
    assert store.client.list_objects_v2(Bucket=store.bucket).get("KeyCount") == 0


def test_a_large_original_goes_up_in_parts_and_is_locked_and_proven(s3_server):
    store = S3Store(
        **s3_server.settings(s3_server.new_bucket()),
        multipart_threshold=6 * 1024 * 1024,
        part_size=5 * 1024 * 1024,
    )
    big = make_sample(11 * 1024 * 1024 + 17, seed=7)
    before = datetime.now(UTC)

    assert store.put_file(big.spool(), big.sha256, len(big.data)) is True

    # Ceph answers CompleteMultipartUpload with an empty ETag; the store proves the
    # object by HEAD, which reports the multipart ETag of what we sent.
    head = _head(store, big.sha256)
    part_md5s = b"".join(
        hashlib.md5(big.data[i : i + 5 * 1024 * 1024], usedforsecurity=False).digest()
        for i in range(0, len(big.data), 5 * 1024 * 1024)
    )
    assert (
        head["ETag"].strip('"') == hashlib.md5(part_md5s, usedforsecurity=False).hexdigest() + "-3"
    )
    assert store.locked_version(big.sha256).version_id
    assert head["ObjectLockMode"] == "COMPLIANCE"
    assert head["ObjectLockRetainUntilDate"] >= before + timedelta(days=183)
    assert store.verify(big.sha256)
    with store.open(big.sha256) as handle:
        handle.seek(5 * 1024 * 1024 - 3)
        assert handle.read(6) == big.data[5 * 1024 * 1024 - 3 : 5 * 1024 * 1024 + 3]
    uploads = store.client.list_multipart_uploads(Bucket=store.bucket)
    assert not uploads.get("Uploads")


def test_it_refuses_a_spool_file_that_does_not_match_its_hash(s3_store, sample):
    spool = sample.spool()
    wrong = hashlib.sha256(b"something else").hexdigest()

    with pytest.raises(StoreError, match="does not hash"):
        s3_store.put_file(spool, wrong, len(sample.data))

    assert list(s3_store.keys()) == []
    assert spool.exists()  # the caller still has it


def test_a_large_spool_file_that_does_not_match_leaves_no_parts_behind(s3_server):
    store = S3Store(
        **s3_server.settings(s3_server.new_bucket()),
        multipart_threshold=6 * 1024 * 1024,
        part_size=5 * 1024 * 1024,
    )
    big = make_sample(7 * 1024 * 1024, seed=3)

    with pytest.raises(StoreError, match="does not hash"):
        store.put_file(big.spool(), "f" * 64, len(big.data))

    assert list(store.keys()) == []
    assert not store.client.list_multipart_uploads(Bucket=store.bucket).get("Uploads")


def test_the_server_refuses_to_delete_a_locked_original(s3_store, sample):
    s3_store.put_file(sample.spool(), sample.sha256, len(sample.data))
    version = s3_store.locked_version(sample.sha256).version_id

    with pytest.raises(ClientError) as refused:
        s3_store.client.delete_object(
            Bucket=s3_store.bucket, Key=s3_store.key(sample.sha256), VersionId=version
        )
    assert refused.value.response["Error"]["Code"] == "AccessDenied"
    with pytest.raises(StoreError):
        s3_store._delete(sample.sha256)  # not even the retention sweep, before the date
    assert s3_store.verify(sample.sha256)


def test_two_ingests_racing_on_one_original_leave_one_intact_original(
    s3_server, sample, monkeypatch
):
    """Both looked for the key before either wrote. AWS refuses the second write
    (If-None-Match: *); Ceph Pacific ignores the condition and keeps the second write
    as a newer version of the same bytes, locked as well. Either way the same bytes
    are served and verification passes."""
    settings = s3_server.settings(s3_server.new_bucket())
    first, second = S3Store(**settings), S3Store(**settings)
    monkeypatch.setattr(second, "exists", lambda sha256: False)  # the race window

    assert first.put_file(sample.spool(), sample.sha256, len(sample.data)) is True
    second.put_file(sample.spool(), sample.sha256, len(sample.data))

    fresh = S3Store(**settings)
    with fresh.open(sample.sha256) as handle:
        assert handle.read() == sample.data
    assert fresh.verify(sample.sha256)
    key = fresh.key(sample.sha256)
    for version in fresh.client.list_object_versions(Bucket=fresh.bucket, Prefix=key)["Versions"]:
        head = fresh.client.head_object(
            Bucket=fresh.bucket, Key=key, VersionId=version["VersionId"]
        )
        assert head["ObjectLockMode"] == "COMPLIANCE"


def test_a_legal_hold_stops_deletion_until_it_is_released(s3_server):
    """The hold of 第十三条 on its own, on an object with no retention date."""
    store = S3Store(**s3_server.settings(s3_server.new_bucket()))
    client, bucket = store.client, store.bucket
    version = client.put_object(Bucket=bucket, Key="held", Body=b"footage")["VersionId"]
    client.put_object_legal_hold(
        Bucket=bucket, Key="held", VersionId=version, LegalHold={"Status": "ON"}
    )

    with pytest.raises(ClientError) as refused:
        client.delete_object(Bucket=bucket, Key="held", VersionId=version)
    assert refused.value.response["Error"]["Code"] == "AccessDenied"

    client.put_object_legal_hold(
        Bucket=bucket, Key="held", VersionId=version, LegalHold={"Status": "OFF"}
    )
    client.delete_object(Bucket=bucket, Key="held", VersionId=version)
    assert not client.list_object_versions(Bucket=bucket).get("Versions")


def test_a_presigned_get_reads_a_range_of_the_locked_version(s3_store, sample):
    s3_store.put_file(sample.spool(), sample.sha256, len(sample.data))
    url = s3_store.client.generate_presigned_url(
        "get_object",
        Params={
            "Bucket": s3_store.bucket,
            "Key": s3_store.key(sample.sha256),
            "VersionId": s3_store.locked_version(sample.sha256).version_id,
        },
        ExpiresIn=60,
    )
    request = urllib.request.Request(url, headers={"Range": "bytes=100-199"})  # noqa: S310

    with urllib.request.urlopen(request) as answer:  # noqa: S310
        assert answer.status == 206
        assert answer.read() == sample.data[100:200]
    tampered = url.replace("Expires=", "Expires=1")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(tampered)  # noqa: S310
    assert refused.value.code == 403


def test_a_version_written_behind_its_back_is_never_served_and_fails_verification(
    s3_server, sample
):
    bucket = s3_server.new_bucket()
    store = S3Store(**s3_server.settings(bucket))
    store.put_file(sample.spool(), sample.sha256, len(sample.data))
    key = store.key(sample.sha256)
    # Someone with the keys writes over the evidence key without the condition.
    s3_server.client().put_object(Bucket=bucket, Key=key, Body=b"forged bytes")

    fresh = S3Store(**s3_server.settings(bucket))  # another process, nothing cached
    with fresh.open(sample.sha256) as handle:
        assert handle.read() == sample.data
    assert b"".join(fresh.iter_range(sample.sha256, 0, 10)) == sample.data[:10]
    assert fresh.size(sample.sha256) == len(sample.data)
    assert fresh.verify(sample.sha256) is False


def test_a_delete_marker_hides_nothing_and_fails_verification(s3_server, sample):
    bucket = s3_server.new_bucket()
    store = S3Store(**s3_server.settings(bucket))
    store.put_file(sample.spool(), sample.sha256, len(sample.data))
    s3_server.client().delete_object(Bucket=bucket, Key=store.key(sample.sha256))

    fresh = S3Store(**s3_server.settings(bucket))
    assert fresh.exists(sample.sha256)
    again = sample.spool()
    assert fresh.put_file(again, sample.sha256, len(sample.data)) is False
    with fresh.open(sample.sha256) as handle:
        assert handle.read() == sample.data
    assert fresh.verify(sample.sha256) is False


def test_it_refuses_a_bucket_without_object_lock(s3_server, sample):
    bucket = s3_server.new_bucket(locked=False)
    store = S3Store(**s3_server.settings(bucket))
    spool = sample.spool()

    with pytest.raises(StoreError, match="does not have Object Lock"):
        store.put_file(spool, sample.sha256, len(sample.data))

    assert spool.exists()
    assert s3_server.client().list_objects_v2(Bucket=bucket).get("KeyCount") == 0
    assert store.health() == {
        "ok": False,
        "backend": "s3",
        "object_lock": "disabled",
        "retention_days": 183,
    }


def test_it_reports_an_unreachable_server_as_unhealthy(s3_server):
    store = S3Store(**{**s3_server.settings("anything"), "endpoint_url": "http://127.0.0.1:9"})
    store.client.meta.config.retries["max_attempts"] = 1
    assert store.health()["ok"] is False


def test_it_reports_a_missing_bucket_as_unhealthy(s3_server):
    store = S3Store(**s3_server.settings("no-such-bucket-here"))
    assert store.health()["ok"] is False


def test_it_refuses_a_retention_below_six_months(s3_server):
    with pytest.raises(StoreError, match="183"):
        S3Store(**{**s3_server.settings("any-bucket"), "retention_days": 30})


def test_a_server_without_conditional_writes_is_written_to_without_them(
    s3_store, sample, monkeypatch, caplog
):
    real_put = s3_store.client.put_object

    def put_refusing_conditions(**params):
        if "IfNoneMatch" in params:
            raise ClientError(
                {"Error": {"Code": "NotImplemented", "Message": "If-None-Match"}}, "PutObject"
            )
        return real_put(**params)

    monkeypatch.setattr(s3_store.client, "put_object", put_refusing_conditions)

    assert s3_store.put_file(sample.spool(), sample.sha256, len(sample.data)) is True

    assert "refuses If-None-Match" in caplog.text
    assert s3_store.verify(sample.sha256)
    head = _head(s3_store, sample.sha256)
    assert head["ObjectLockMode"] == "COMPLIANCE"


def test_an_upload_the_server_reports_with_other_bytes_is_an_error(s3_store, sample, monkeypatch):
    real_head = s3_store.client.head_object

    def head_with_another_checksum(**params):
        answer = real_head(**params)
        answer["ChecksumSHA256"] = base64.b64encode(hashlib.sha256(b"other").digest()).decode()
        return answer

    monkeypatch.setattr(s3_store.client, "head_object", head_with_another_checksum)

    with pytest.raises(StoreError, match="not the original"):
        s3_store.put_file(sample.spool(), sample.sha256, len(sample.data))
