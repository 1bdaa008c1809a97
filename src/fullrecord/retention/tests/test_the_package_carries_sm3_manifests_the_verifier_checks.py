"""密评 (GB/T 39786-2021): the case-file package lists every file's SM3 digest
(``manifest-sm3.txt``, ``tagmanifest-sm3.txt``) beside SHA-256 and SHA-512, each original's
the one recorded after ingest; the offline verifier checks them, refuses a package they
disagree with, and still verifies an older package without them, saying so."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from fullrecord.audit.models import AuditEntry
from fullrecord.core.testing.sm3_reference import sm3_hex
from fullrecord.retention import export, verify_package
from fullrecord.security import digests
from fullrecord.security import sm3 as sm3_module
from fullrecord.security.models import OriginalDigest

from .exports import approved_export, case_with_evidence

pytestmark = pytest.mark.django_db


@pytest.fixture
def case_and_items(bureau, empty_store):
    return case_with_evidence(bureau, sizes=(24_000, 7_000))


@pytest.fixture
def bag(bureau, case_and_items, tmp_path) -> Path:
    case, items = case_and_items
    for item in items:
        digests.compute(item.sha256)  # what the worker does after ingest
    result = export.export_case(
        case, actor=bureau.archivist, request=approved_export(bureau, case), out=tmp_path / "bag"
    )
    return result.directory


def manifest(bag: Path, name: str) -> dict[str, str]:
    lines = (bag / name).read_text(encoding="utf-8").splitlines()
    return {path: digest for digest, path in (line.split("  ", 1) for line in lines)}


def verify(bag: Path, capsys) -> tuple[int, str]:
    status = verify_package.main([str(bag)])
    return status, capsys.readouterr().out


def reseal(bag: Path, name: str) -> None:
    """Change a file (same size) and bring the SHA-256 and SHA-512 manifests and tag
    manifests into line with it, as someone would who knows only those algorithms."""
    data = bytearray((bag / name).read_bytes())
    data[-1] ^= 0xFF
    (bag / name).write_bytes(bytes(data))
    for kind in ("manifest", "tagmanifest"):
        for algorithm, fn in (("sha256", hashlib.sha256), ("sha512", hashlib.sha512)):
            path = bag / f"{kind}-{algorithm}.txt"
            lines = []
            for line in path.read_text(encoding="utf-8").splitlines():
                target = line.split("  ", 1)[1]
                lines.append(f"{fn((bag / target).read_bytes()).hexdigest()}  {target}")
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_every_file_s_sm3_in_the_manifest_is_the_standard_s_sm3(bag, case_and_items):
    _, items = case_and_items
    sm3 = manifest(bag, "manifest-sm3.txt")

    assert set(sm3) == set(manifest(bag, "manifest-sha256.txt"))
    for name, digest in sm3.items():
        assert sm3_hex((bag / name).read_bytes()) == digest, name
    recorded = {d.sha256: d.sm3 for d in OriginalDigest.objects.all()}
    originals = {name: digest for name, digest in sm3.items() if "/originals/" in name}
    assert sorted(originals.values()) == sorted(recorded[item.sha256] for item in items)
    for name, digest in manifest(bag, "tagmanifest-sm3.txt").items():
        assert sm3_hex((bag / name).read_bytes()) == digest, name
    assert "manifest-sm3.txt" in manifest(bag, "tagmanifest-sha256.txt")


def test_the_verifier_checks_the_sm3_manifests_and_the_export_records_them(bag, capsys):
    status, out = verify(bag, capsys)

    assert status == 0, out
    assert "SM3" in out and "NOTE" not in out
    entry = AuditEntry.objects.get(action="retention.export")
    assert entry.data["tagmanifest_sm3"] == sm3_hex((bag / "tagmanifest-sm3.txt").read_bytes())


def test_a_file_changed_behind_the_sha_manifests_fails_the_sm3_check(bag, capsys):
    original = next(name for name in manifest(bag, "manifest-sm3.txt") if "/originals/" in name)
    reseal(bag, original)

    status, out = verify(bag, capsys)

    assert status == 1
    assert f"FAIL {original}: sm3 differs from the manifest (changed)" in out
    assert "sha256 differs" not in out and "sha512 differs" not in out


def test_a_package_whose_sm3_manifest_disagrees_is_refused(bag, capsys):
    name = "data/case.json"
    lines = (bag / "manifest-sm3.txt").read_text(encoding="utf-8").splitlines()
    forged = [f"{'0' * 64}  {name}" if line.endswith(f"  {name}") else line for line in lines]
    (bag / "manifest-sm3.txt").write_text("\n".join(forged) + "\n", encoding="utf-8")

    status, out = verify(bag, capsys)

    assert status == 1
    assert f"FAIL {name}: sm3 differs" in out
    assert "FAIL manifest-sm3.txt: sm3 differs from tagmanifest" in out


def test_an_older_package_without_sm3_manifests_still_verifies_with_a_note(bag, capsys):
    # As exported before SM3: no SM3 files, and the tag manifests do not name them.
    (bag / "manifest-sm3.txt").unlink()
    (bag / "tagmanifest-sm3.txt").unlink()
    for algorithm in ("sha256", "sha512"):
        path = bag / f"tagmanifest-{algorithm}.txt"
        lines = path.read_text(encoding="utf-8").splitlines()
        path.write_text(
            "\n".join(line for line in lines if not line.endswith("manifest-sm3.txt")) + "\n",
            encoding="utf-8",
        )

    status, out = verify(bag, capsys)

    assert status == 0, out
    assert "NOTE no sm3 manifests: the package was exported before they were written" in out
    assert "SHA256, SHA512 manifests" in out


def test_sm3_manifests_taken_out_of_a_newer_package_are_missed(bag, capsys):
    (bag / "manifest-sm3.txt").unlink()
    (bag / "tagmanifest-sm3.txt").unlink()

    status, out = verify(bag, capsys)

    assert status == 1
    assert "FAIL manifest-sm3.txt: sha256 differs from tagmanifest" in out


def test_the_packaged_verifier_runs_alone_and_checks_sm3(bag):
    original = next(name for name in manifest(bag, "manifest-sm3.txt") if "/originals/" in name)
    ok = subprocess.run(
        [sys.executable, str(bag / "data" / "verify.py"), str(bag)], capture_output=True, text=True
    )
    assert ok.returncode == 0, ok.stdout + ok.stderr

    reseal(bag, original)
    bad = subprocess.run(
        [sys.executable, str(bag / "data" / "verify.py"), str(bag)], capture_output=True, text=True
    )
    assert bad.returncode == 1 and "sm3 differs" in bad.stdout


def test_an_original_whose_recorded_sm3_disagrees_is_not_exported(bureau, case_and_items, tmp_path):
    case, items = case_and_items
    for item in items:
        digests.compute(item.sha256)
    OriginalDigest.objects.filter(sha256=items[0].sha256).update(sm3="1" * 64)

    with pytest.raises(export.ExportError, match=items[0].sha256):
        export.export_case(
            case,
            actor=bureau.archivist,
            request=approved_export(bureau, case),
            out=tmp_path / "bag",
        )
    assert not (tmp_path / "bag").exists()


def test_an_original_without_a_recorded_sm3_yet_gets_the_one_computed_while_copying(
    bureau, case_and_items, tmp_path
):
    case, items = case_and_items  # the worker has not run: no SM3 recorded
    result = export.export_case(
        case, actor=bureau.archivist, request=approved_export(bureau, case), out=tmp_path / "bag"
    )

    sm3 = manifest(result.directory, "manifest-sm3.txt")
    originals = [name for name in sm3 if "/originals/" in name]
    assert len(originals) == len(items)
    for name in originals:
        assert sm3[name] == sm3_hex((result.directory / name).read_bytes())


def test_a_vouched_sm3_is_written_without_hashing_the_copy_with_sm3_again(
    bureau, case_and_items, tmp_path, monkeypatch
):
    """SM3 is the slow hash (no hardware path): an intact digest that agrees with its entry
    in the signed log is written as it is, the copy being checked by its SHA-256."""
    case, items = case_and_items
    for item in items:
        digests.compute(item.sha256)

    fed: list[bytes] = []
    real = export.SM3Hash

    class Counting(real):
        def update(self, data) -> None:
            fed.append(bytes(data))
            super().update(data)

    monkeypatch.setattr(export, "SM3Hash", Counting)
    result = export.export_case(
        case, actor=bureau.archivist, request=approved_export(bureau, case), out=tmp_path / "bag"
    )

    sm3 = manifest(result.directory, "manifest-sm3.txt")
    for item in items:
        [name] = [n for n in sm3 if n.startswith("data/originals/") and f"/{item.pk}-" in n]
        assert sm3[name] == OriginalDigest.objects.get(sha256=item.sha256).sm3
        assert sm3[name] == sm3_hex((result.directory / name).read_bytes())
    originals = {(result.directory / n).read_bytes() for n in sm3 if "/originals/" in n}
    assert not originals & set(fed)  # no original went through SM3 again


def test_a_digest_found_altered_by_the_last_check_is_not_vouched_for(bureau, case_and_items):
    case, items = case_and_items
    for item in items:
        digests.compute(item.sha256)
    OriginalDigest.objects.filter(sha256=items[0].sha256).update(status="altered")

    vouched = sm3_module.vouched_sm3_of_originals(item.sha256 for item in items)

    assert items[0].sha256 not in vouched
    assert {item.sha256 for item in items[1:]} <= set(vouched)
