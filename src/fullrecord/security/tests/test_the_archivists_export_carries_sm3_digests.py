"""密评: the archivist's export names each original's SM3 digest beside its SHA-256, in a
payload file the bag's own SHA-256 manifest covers."""

from __future__ import annotations

import io
import zipfile

import pytest

from fullrecord.access import copies, services
from fullrecord.media.tests.evidence import ingest_bytes
from fullrecord.security import sm3

pytestmark = pytest.mark.django_db

DATA = b"archived footage"


def test_each_original_s_sm3_is_in_the_bag(bureau):
    item = ingest_bytes(bureau.officer, DATA, "DSJ_0009.mp4").item  # no worker: made now
    request = services.file_request(
        requester=bureau.archivist, reason="移交档案", items=[item], purpose="export"
    )
    request = services.decide(request, approve=True, actor=bureau.leader)

    copy = copies.export_originals(request, actor=bureau.archivist)

    data = (copies.copies_dir() / copy.path).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as bag:
        lines = bag.read("data/digests-sm3.txt").decode().splitlines()
        manifest = bag.read("manifest-sha256.txt").decode()
    assert lines[1].split("  ")[:2] == [sm3.sm3_hex(DATA), item.sha256]
    assert "data/digests-sm3.txt" in manifest
