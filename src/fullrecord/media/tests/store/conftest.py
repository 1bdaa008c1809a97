"""Stores under test: the local directory and S3 against a real S3 API server on loopback.

Each test process (each xdist worker) starts its own moto server on a free port,
and each test gets its own bucket, so tests never see each other's originals.
"""

from __future__ import annotations

import hashlib
import random
import uuid
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest
from botocore.config import Config

ACCESS_KEY = "fullrecord-test"
SECRET_KEY = "fullrecord-test-secret"
REGION = "us-east-1"


@dataclass(frozen=True)
class S3Server:
    endpoint_url: str

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


@pytest.fixture(scope="session")
def s3_server():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield S3Server(f"http://{host}:{port}")
    server.stop()


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
