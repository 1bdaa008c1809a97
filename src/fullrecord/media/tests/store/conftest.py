"""Stores under test: the local directory and S3 against a real object store on loopback.

The S3 store is a one-node Ceph cluster (ceph-mon, ceph-osd on memstore, radosgw)
made by ``bin/ceph-loopback``: the same Object Lock, legal hold and versioning code
that a bureau's Ceph RGW runs, not an emulator. It starts once per test process, the
first time a test asks for ``s3_server`` (about 12 s), and each test gets its own
bucket, so tests never see each other's originals.

One cluster per xdist worker rather than one shared through a file lock: each worker
owns its daemons as its own children (the kernel kills them when the worker dies,
however it dies, so an interrupted run leaves nothing running), nothing has to count
who still uses a shared cluster, and the two clusters start side by side in the same
~12 s. The price is ~120 MB of memory per worker while the run lasts.

Where Ceph is missing: under CI=true the S3 tests fail (they must never be skipped
there); elsewhere they are skipped with the reason (`make s3-deps` installs it).
"""

from __future__ import annotations

import hashlib
import importlib.machinery
import importlib.util
import os
import random
import shutil
import sys
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest
from botocore.config import Config

ACCESS_KEY = "fullrecord-test"
SECRET_KEY = "fullrecord-test-secret"
REGION = "us-east-1"
SCRIPT = Path(__file__).resolve().parents[5] / "bin" / "ceph-loopback"


def ceph_loopback():
    """bin/ceph-loopback as a module (a script without the .py suffix)."""
    if "ceph_loopback" in sys.modules:
        return sys.modules["ceph_loopback"]
    loader = importlib.machinery.SourceFileLoader("ceph_loopback", str(SCRIPT))
    spec = importlib.util.spec_from_loader("ceph_loopback", loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules["ceph_loopback"] = module  # its dataclasses look themselves up there
    loader.exec_module(module)
    return module


@dataclass(frozen=True)
class S3Server:
    endpoint_url: str
    seconds_to_start: float = 0.0

    def client(self):
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            region_name=REGION,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            config=Config(
                s3={"addressing_style": "path"},
                request_checksum_calculation="when_required",
                response_checksum_validation="when_required",
            ),
        )

    def new_bucket(self, *, locked: bool = True) -> str:
        name = f"evidence-{uuid.uuid4().hex[:16]}"
        self.client().create_bucket(Bucket=name, ObjectLockEnabledForBucket=locked)
        return name

    def settings(self, bucket: str, **extra) -> dict:
        return {
            "bucket": bucket,
            "endpoint_url": self.endpoint_url,
            "region": REGION,
            "access_key": ACCESS_KEY,
            "secret_key": SECRET_KEY,
            "retention_days": 183,
            **extra,
        }


class _Cluster:
    """This process's cluster, started on first use. Counted, because the fixture is
    also imported by other test packages (a second fixture definition, one cluster)."""

    users = 0
    server: S3Server | None = None
    directory: str | None = None
    error: str | None = None

    @classmethod
    def acquire(cls) -> S3Server:
        if cls.server is None and cls.error is None:
            tool = ceph_loopback()
            cls.directory = tempfile.mkdtemp(prefix="fullrecord-ceph-")
            try:
                cluster = tool.start(
                    cls.directory,
                    access_key=ACCESS_KEY,
                    secret_key=SECRET_KEY,
                    owner_dies_kills=True,
                )
            except tool.CephError as exc:
                cls.error = str(exc)
                shutil.rmtree(cls.directory, ignore_errors=True)
            else:
                cls.server = S3Server(cluster.endpoint, cluster.seconds)
        if cls.server is None:
            message = f"no Ceph cluster for the S3 tests: {cls.error}"
            if os.environ.get("CI") == "true":
                pytest.fail(message + " (CI must run them)", pytrace=False)
            pytest.skip(message)
        cls.users += 1
        return cls.server

    @classmethod
    def release(cls) -> None:
        cls.users -= 1
        if cls.users == 0 and cls.directory is not None:
            ceph_loopback().stop(cls.directory)
            shutil.rmtree(cls.directory, ignore_errors=True)
            cls.server = cls.directory = None


@pytest.fixture(scope="session")
def s3_server():
    """A real S3 API with Object Lock: a one-node Ceph RGW on 127.0.0.1."""
    server = _Cluster.acquire()
    yield server
    _Cluster.release()


@pytest.fixture
def s3_store(s3_server):
    from fullrecord.media.store.s3 import S3Store

    return S3Store(**s3_server.settings(s3_server.new_bucket()))


@pytest.fixture
def local_store(tmp_path):
    from fullrecord.media.store.local import LocalStore

    return LocalStore(tmp_path / "store" / "originals")


@pytest.fixture(params=["local", "s3"])
def store(request):
    """The same behaviour asked of every backend."""
    return request.getfixturevalue(f"{request.param}_store")


@dataclass(frozen=True)
class Sample:
    data: bytes
    sha256: str

    def spool(self) -> Path:
        """A fresh spool file holding the sample, as an upload or an ingest leaves it."""
        from fullrecord.media.spool import spool_chunks

        spooled = spool_chunks([self.data])
        assert spooled.sha256 == self.sha256
        return spooled.path


def make_sample(size: int, seed: int = 0) -> Sample:
    """Bytes that differ everywhere, so a wrong seek cannot read the right ones."""
    data = random.Random(seed).randbytes(size)
    return Sample(data, hashlib.sha256(data).hexdigest())


@pytest.fixture
def sample() -> Sample:
    return make_sample(300_000)
