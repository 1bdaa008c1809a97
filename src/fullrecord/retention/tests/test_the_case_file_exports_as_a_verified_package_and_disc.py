"""第十三条、第十六条: the case file as one BagIt package that passes bagit's full validation
and its own offline verifier, and as an ISO image (Joliet + UDF) read back file by file."""

from __future__ import annotations

import hashlib
import subprocess
import sys

import bagit
import pycdlib
import pytest

from fullrecord.audit.models import AuditEntry
from fullrecord.retention import export

from .exports import LONG_NAME, approved_export, case_with_evidence


@pytest.fixture
def exported(bureau, empty_store, tmp_path):
    case, items = case_with_evidence(bureau)
    request = approved_export(bureau, case)
    seen = []
    result = export.export_case(
        case,
        actor=bureau.archivist,
        request=request,
        out=tmp_path / "bag",
        iso=tmp_path / "case.iso",
        progress=lambda done, total, step: seen.append((done, total, step)),
    )
    return case, items, result, seen


def test_the_package_passes_bagits_full_validation(exported):
    case, items, result, _ = exported
    bag = bagit.Bag(str(result.directory))
    bag.validate(fast=False)  # every file against every manifest
    assert set(bag.algorithms) == {"sha256", "sha512"}
    assert bag.info["External-Identifier"] == case.number
    assert bag.info["Internal-Sender-Identifier"].startswith("CY-")
    originals = [p for p in bag.payload_files() if p.startswith("data/originals/")]
    assert len(originals) == 2
    assert any(p.endswith(LONG_NAME) for p in originals)
    manifest = (result.directory / "manifest-sha256.txt").read_text(encoding="utf-8")
    for item in items:
        assert item.sha256 in manifest  # the hash the store recorded at receipt


def test_the_included_verifier_passes_and_catches_a_change(exported):
    _, _, result, _ = exported
    verifier = result.directory / "data" / "verify.py"
    ok = subprocess.run(
        [sys.executable, str(verifier), str(result.directory)], capture_output=True, text=True
    )
    assert ok.returncode == 0, ok.stdout + ok.stderr
    entries = (result.directory / "data" / "audit" / "entries.jsonl").read_text(encoding="utf-8")
    assert '"action": "media.link"' in entries and '"proof": [' in entries
    # A reviewer who receives a changed package is told so.
    index = result.directory / "data" / "index.html"
    index.write_text(index.read_text(encoding="utf-8").replace("案卷", "伪造"), encoding="utf-8")
    bad = subprocess.run(
        [sys.executable, str(verifier), str(result.directory)], capture_output=True, text=True
    )
    assert bad.returncode == 1
    assert "data/index.html" in bad.stdout


def test_the_disc_image_reads_back_with_every_file_matching(exported, tmp_path):
    _, _, result, _ = exported
    assert result.iso.is_file() and result.iso_size == result.iso.stat().st_size
    assert hashlib.sha256(result.iso.read_bytes()).hexdigest() == result.iso_sha256
    assert export.verify_iso(result.iso, result.directory) == []
    image = pycdlib.PyCdlib()
    image.open(str(result.iso))
    try:
        udf_names = [name for root, _dirs, files in image.walk(udf_path="/") for name in files]
        joliet_names = [
            name for root, _dirs, files in image.walk(joliet_path="/") for name in files
        ]
    finally:
        image.close()
    assert LONG_NAME.split(".")[0][:20] in "".join(udf_names)  # the whole name on UDF
    assert "index.html" in joliet_names and "case.json" in joliet_names


def test_the_index_page_lists_every_stage_with_its_records_in_chinese(exported):
    case, items, result, _ = exported
    page = (result.directory / "data" / "index.html").read_text(encoding="utf-8")
    assert f"案卷 {case.number}" in page
    assert "音像记录" in page and items[0].sha256 in page
    assert 'lang="zh-hans"' in page


def test_progress_is_reported_and_the_export_is_recorded(exported):
    case, _, result, seen = exported
    assert seen and seen[-1][0] == seen[-1][1]
    assert any("disc" in step.lower() or "光盘" in step for _, _, step in seen)
    entry = AuditEntry.objects.get(action="retention.export", case_id=case.pk)
    assert entry.data["tagmanifest_sha256"] == result.tagmanifest_sha256
    assert entry.data["iso_sha256"] == result.iso_sha256


def test_the_written_records_go_on_the_disc_as_stored(bureau, empty_store, tmp_path):
    from fullrecord.documents.tests.helpers import PNG, scan

    case, _items = case_with_evidence(bureau)
    opinion = scan(case, "expert_opinion", bureau.officer, name="鉴定意见.png")

    result = export.export_case(
        case, actor=bureau.archivist, request=approved_export(bureau, case), out=tmp_path / "bag"
    )

    [record] = (result.directory / "data" / "records").iterdir()
    assert record.name.startswith("001-鉴定意见") and record.suffix == ".png"
    assert hashlib.sha256(record.read_bytes()).hexdigest() == opinion.file_item.sha256
    assert record.read_bytes() == PNG
    bagit.Bag(str(result.directory)).validate(fast=False)
