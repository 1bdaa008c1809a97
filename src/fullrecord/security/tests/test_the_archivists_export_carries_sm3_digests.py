"""密评: the archivist's export names each original's SM3 digest beside its SHA-256, in a
payload file the bag's own SHA-256 manifest covers, and lists every file's SM3 in
``manifest-sm3.txt`` (with ``tagmanifest-sm3.txt`` over the tag files); an original whose
recorded SM3 no longer matches is not exported."""

from __future__ import annotations

import io
import zipfile

import pytest

from fullrecord.access import copies, services
from fullrecord.access.services import AccessError
from fullrecord.core.testing.sm3_reference import sm3_hex
from fullrecord.media.tests.evidence import ingest_bytes
from fullrecord.security import digests, sm3
from fullrecord.security.models import OriginalDigest

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


def approved_export(bureau, items):
    request = services.file_request(
        requester=bureau.archivist, reason="移交档案", items=items, purpose="export"
    )
    return services.decide(request, approve=True, actor=bureau.leader)


def test_every_file_of_the_bag_is_in_the_sm3_manifests(bureau):
    item = ingest_bytes(bureau.officer, DATA, "DSJ_0010.mp4").item
    digests.compute(item.sha256)

    copy = copies.export_originals(approved_export(bureau, [item]), actor=bureau.archivist)

    with zipfile.ZipFile(copies.copies_dir() / copy.path) as bag:
        listed = {}
        for manifest in ("manifest-sm3.txt", "tagmanifest-sm3.txt"):
            for line in bag.read(manifest).decode().splitlines():
                digest, name = line.split("  ", 1)
                listed[name] = digest
                assert sm3_hex(bag.read(name)) == digest, name
        payload = {n for n in bag.namelist() if n.startswith("data/")}
    assert payload <= set(listed)
    original = next(name for name in listed if name.startswith("data/originals/"))
    assert listed[original] == OriginalDigest.objects.get(sha256=item.sha256).sm3
    assert {"manifest-sha256.txt", "manifest-sm3.txt"} <= set(listed)


def test_an_original_whose_recorded_sm3_disagrees_is_not_exported(bureau):
    item = ingest_bytes(bureau.officer, DATA, "DSJ_0011.mp4").item
    digests.compute(item.sha256)
    OriginalDigest.objects.filter(sha256=item.sha256).update(sm3="1" * 64)
    request = approved_export(bureau, [item])

    with pytest.raises(AccessError, match=item.sha256):
        copies.export_originals(request, actor=bureau.archivist)

    [copy] = request.copies.all()
    assert copy.state == "failed" and item.sha256 in copy.problem
