"""``fullrecord storage_init`` and ``fullrecord storage_migrate --to s3``."""

from __future__ import annotations

import io
import os

import pytest
from django.core.management import CommandError, call_command

from fullrecord.media.store import get_store
from fullrecord.media.store.local import LocalStore
from fullrecord.media.store.s3 import S3Store

from .conftest import make_sample


@pytest.fixture
def s3_settings(settings, s3_server, tmp_path):
    """Settings that name a fresh bucket on the loopback S3 server; the backend stays local."""
    bucket = f"init-{os.urandom(6).hex()}"
    settings.FULLRECORD_STORAGE = {
        "backend": "local",
        "root": tmp_path / "store" / "originals",
        "s3": s3_server.settings(bucket),
    }
    get_store.cache_clear()
    yield settings.FULLRECORD_STORAGE
    get_store.cache_clear()


def _run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_storage_init_creates_a_locked_bucket_once(s3_settings):
    out, _ = _run("storage_init")
    assert "Created bucket" in out

    store = S3Store(**s3_settings["s3"])
    assert store.object_lock_status() == "Enabled"
    lock = store.client.get_object_lock_configuration(Bucket=store.bucket)
    default = lock["ObjectLockConfiguration"]["Rule"]["DefaultRetention"]
    assert (default["Mode"], default["Days"]) == ("COMPLIANCE", 183)
    assert store.health()["ok"] is True
    rules = store.client.get_bucket_lifecycle_configuration(Bucket=store.bucket)["Rules"]
    assert rules[0]["AbortIncompleteMultipartUpload"]["DaysAfterInitiation"] == 7

    out, _ = _run("storage_init")
    assert "exists and has Object Lock enabled" in out


def test_storage_init_refuses_an_existing_bucket_without_object_lock(s3_settings, s3_server):
    s3_server.client().create_bucket(Bucket=s3_settings["s3"]["bucket"])

    with pytest.raises(CommandError, match="does not have Object Lock"):
        _run("storage_init")


def test_storage_init_says_what_is_missing_without_an_endpoint(s3_settings):
    s3_settings["s3"]["endpoint_url"] = None
    with pytest.raises(CommandError, match="FULLRECORD_S3_ENDPOINT"):
        _run("storage_init")


def _fill_local(root, count: int) -> list:
    store = LocalStore(root)
    samples = [make_sample(50_000 + n, seed=100 + n) for n in range(count)]
    for each in samples:
        store.put_file(each.spool(), each.sha256, len(each.data))
    return samples


@pytest.mark.django_db
def test_storage_migrate_copies_every_original_and_can_run_again(s3_settings):
    samples = _fill_local(s3_settings["root"], 4)
    _run("storage_init")

    out, _ = _run("storage_migrate", "--to", "s3")
    assert "Copied 4" in out and "0 failed" in out

    target = S3Store(**s3_settings["s3"])
    assert sorted(target.keys()) == sorted(each.sha256 for each in samples)
    for each in samples:
        with target.open(each.sha256) as handle:
            assert handle.read() == each.data
    # The local originals stay where they were until someone decides otherwise.
    assert sorted(LocalStore(s3_settings["root"]).keys()) == sorted(s.sha256 for s in samples)

    more = _fill_local(s3_settings["root"], 6)[4:]
    out, _ = _run("storage_migrate", "--to", "s3", "--verify")
    assert "Copied 2" in out and "4 were already in S3" in out
    assert sorted(target.keys()) == sorted(each.sha256 for each in samples + more)


@pytest.mark.django_db
def test_storage_migrate_reports_a_corrupted_local_original_and_copies_the_rest(s3_settings):
    samples = _fill_local(s3_settings["root"], 3)
    _run("storage_init")
    broken = LocalStore(s3_settings["root"]).local_path(samples[1].sha256)
    os.chmod(broken, 0o644)
    with open(broken, "r+b") as handle:
        first = handle.read(1)
        handle.seek(0)
        handle.write(bytes([first[0] ^ 0xFF]))

    with pytest.raises(CommandError, match="not copied"):
        _run("storage_migrate", "--to", "s3")

    target = S3Store(**s3_settings["s3"])
    assert sorted(target.keys()) == sorted([samples[0].sha256, samples[2].sha256])


@pytest.mark.django_db
def test_storage_migrate_refuses_a_bucket_without_object_lock(s3_settings, s3_server):
    _fill_local(s3_settings["root"], 1)
    s3_server.client().create_bucket(Bucket=s3_settings["s3"]["bucket"])

    with pytest.raises(CommandError, match="does not have Object Lock"):
        _run("storage_migrate", "--to", "s3")


@pytest.mark.django_db
def test_storage_migrate_dry_run_copies_nothing(s3_settings):
    _fill_local(s3_settings["root"], 2)
    _run("storage_init")

    out, _ = _run("storage_migrate", "--to", "s3", "--dry-run")

    assert "2 of them are not yet in bucket" in out
    assert list(S3Store(**s3_settings["s3"]).keys()) == []
