"""``fullrecord backup`` and ``restore`` with the originals in S3 (the real Ceph RGW), in
real processes, each site with a database of its own: the backup copies every object of
the bucket with its lock and legal hold, a second backup only what is new, and a restore
into an empty database and a fresh bucket passes ``fullrecord verify`` with each object
locked as it was and a held one held again."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from pathlib import Path

from fullrecord.core.tests.test_a_backup_restores_into_an_empty_system import (
    _card,
    _fullrecord,
    _keys_kept_apart,
    _state,
    sites,  # noqa: F401 - the fixture
)
from fullrecord.media.store.s3 import S3Store

from .conftest import ACCESS_KEY, SECRET_KEY

FAR = datetime(2046, 1, 1, tzinfo=UTC)


def _on_s3(site, s3_server, bucket: str):
    site.env.update(
        FULLRECORD_STORAGE="s3",
        FULLRECORD_S3_ENDPOINT=s3_server.endpoint_url,
        FULLRECORD_S3_BUCKET=bucket,
        FULLRECORD_S3_ACCESS_KEY=ACCESS_KEY,
        FULLRECORD_S3_SECRET_KEY=SECRET_KEY,
    )
    return site


def _listing(taken: Path) -> dict[str, dict]:
    lines = (taken / "objects.jsonl").read_text().splitlines()
    return {entry["key"]: entry for entry in map(json.loads, lines)}


def test_a_bucket_backup_restores_into_a_fresh_bucket_locked_and_held_as_before(
    sites,  # noqa: F811
    s3_server,
    tmp_path,
):
    client = s3_server.client()
    source = _on_s3(sites("source"), s3_server, s3_server.new_bucket())
    source.setup()
    status, output = source.ingest(_card(tmp_path / "card1", 3, 1))
    assert status == 0, output
    source.run("audit_sign")
    bucket = source.env["FULLRECORD_S3_BUCKET"]
    keys = sorted(v["Key"] for v in client.list_object_versions(Bucket=bucket).get("Versions", []))
    assert len(keys) == 3
    held, kept_long = keys[0], keys[1]
    client.put_object_legal_hold(Bucket=bucket, Key=held, LegalHold={"Status": "ON"})
    client.put_object_retention(
        Bucket=bucket, Key=kept_long, Retention={"Mode": "COMPLIANCE", "RetainUntilDate": FAR}
    )
    backups = tmp_path / "backups"

    first = Path(source.run("backup", str(backups)).strip().splitlines()[-1])
    manifest = json.loads((first / "manifest.json").read_text())
    assert (manifest["objects"]["count"], manifest["objects"]["copied"]) == (3, 3)
    listing = _listing(first)
    assert sorted(listing) == keys
    assert listing[held]["legal_hold"] and not listing[kept_long]["legal_hold"]
    assert datetime.fromisoformat(listing[kept_long]["retain_until"]) == FAR
    for key, entry in listing.items():
        assert key.endswith(entry["sha256"]) and entry["lock_mode"] == "COMPLIANCE"
        stored = backups / "store" / key.removeprefix("originals/")
        assert stored.is_file() and stored.stat().st_size == entry["size"]

    status, output = source.ingest(_card(tmp_path / "card2", 2, 2))
    assert status == 0, output
    source.run("audit_sign")
    second = Path(source.run("backup", str(backups)).strip().splitlines()[-1])
    manifest = json.loads((second / "manifest.json").read_text())
    # Incremental: the three objects already in the backup are not read again.
    assert (manifest["objects"]["copied"], manifest["objects"]["already_there"]) == (2, 3)
    assert manifest["originals_copied"] == 2

    fresh = f"restored-{uuid.uuid4().hex[:12]}"  # not even created: restore makes it, locked
    target = _on_s3(sites("target"), s3_server, fresh)
    _keys_kept_apart(source, target)
    done = _fullrecord(target, "restore", str(second))
    assert done.returncode == 0, done.stderr[-3000:]
    assert "OK: audit log, signed tree heads" in done.stdout
    assert _state(target) == _state(source)

    assert (
        client.get_object_lock_configuration(Bucket=fresh)["ObjectLockConfiguration"][
            "ObjectLockEnabled"
        ]
        == "Enabled"
    )
    restored = _listing(second)
    assert len(restored) == 5
    store = S3Store(**s3_server.settings(fresh))
    for key, entry in restored.items():
        head = client.head_object(Bucket=fresh, Key=key)
        assert head["ContentLength"] == entry["size"]
        assert head["ObjectLockMode"] == "COMPLIANCE"
        assert head["ObjectLockRetainUntilDate"] >= datetime.fromisoformat(entry["retain_until"])
        assert store.legal_hold(entry["sha256"]) is (key == held)
    assert client.head_object(Bucket=fresh, Key=kept_long)["ObjectLockRetainUntilDate"] == FAR

    # Not into a bucket that holds anything, even with an empty database.
    again = _on_s3(sites("again"), s3_server, fresh)
    refused = _fullrecord(again, "restore", str(second))
    assert refused.returncode != 0 and "not empty" in refused.stderr

    # An object altered in the backup is not put into a locked bucket (it would stay for
    # good): the restore names it and fails; verify misses it; the others are there.
    altered = backups / "store" / keys[2].removeprefix("originals/")
    altered.chmod(0o644)
    altered.write_bytes(b"altered" + altered.read_bytes()[7:])
    other = f"restored-{uuid.uuid4().hex[:12]}"
    damaged = _on_s3(sites("damaged"), s3_server, other)
    _keys_kept_apart(source, damaged)
    failed = _fullrecord(damaged, "restore", str(second))
    assert failed.returncode != 0
    assert f"FAIL: {keys[2]}" in failed.stderr
    there = {v["Key"] for v in client.list_object_versions(Bucket=other).get("Versions", [])}
    assert there == set(restored) - {keys[2]}
