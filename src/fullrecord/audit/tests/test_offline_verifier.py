"""An auditor verifies an export with tools/verify_audit_export.py, trusting no server."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from fullrecord.audit.services import record

SCRIPT = Path(__file__).resolve().parents[4] / "tools" / "verify_audit_export.py"


@pytest.fixture
def export(db, settings, tmp_path):
    settings.FULLRECORD_AUDIT_SIGN_EVERY = 3
    for n in range(8):
        record("test.event", summary=f"事件 {n}", data={"n": n, "名称": "值"})
    call_command("audit_export", str(tmp_path))
    return tmp_path


def run(directory: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), str(directory), *extra],
        capture_output=True,
        text=True,
        check=False,
    )


def test_an_intact_export_verifies(export):
    result = run(export)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "OK: 8 entries" in result.stdout


def test_the_script_needs_only_the_standard_library_and_cryptography():
    imports = {
        line.split()[1].split(".")[0]
        for line in SCRIPT.read_text().splitlines()
        if line.startswith(("import ", "from "))
    }
    assert imports <= {
        "__future__",
        "argparse",
        "hashlib",
        "json",
        "sys",
        "pathlib",
        "cryptography",
    }


def test_an_edited_line_fails(export):
    path = export / "entries.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    row = json.loads(lines[4])
    row["summary"] = "篡改"
    lines[4] = json.dumps(row, ensure_ascii=False)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run(export)
    assert result.returncode == 1
    assert "entry #5: content does not match its hash" in result.stdout


def test_a_removed_line_fails(export):
    path = export / "entries.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    del lines[2]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert run(export).returncode == 1


def test_another_key_fails(export, tmp_path_factory):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    other = tmp_path_factory.mktemp("key") / "other.pem"
    other.write_bytes(
        Ed25519PrivateKey.generate()
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    result = run(export, "--public-key", str(other))
    assert result.returncode == 1
    assert "which is not among the keys given" in result.stdout


def test_a_log_cut_back_below_a_kept_head_fails(export):
    from fullrecord.audit import merkle

    lines = (export / "entries.jsonl").read_text(encoding="utf-8").splitlines()
    leaves = [bytes.fromhex(json.loads(line)["leaf_hash"]) for line in lines]
    kept = f"8:{merkle.root(leaves).hex()}"
    assert run(export, "--trusted-head", kept).returncode == 0
    (export / "entries.jsonl").write_text("\n".join(lines[:7]) + "\n", encoding="utf-8")
    (export / "tree-heads.json").write_text("[]", encoding="utf-8")
    result = run(export, "--trusted-head", kept)
    assert result.returncode == 1 and "cut back" in result.stdout


def test_verify_without_the_signing_key_says_so(db, settings, tmp_path):
    from django.core.management import CommandError

    from fullrecord.audit import signing

    settings.FULLRECORD_AUDIT_SIGN_EVERY = 1
    record("test.event")
    key = signing.key_path()
    saved = key.read_bytes()
    key.unlink()
    signing.forget_keys()
    try:
        with pytest.raises(CommandError):
            call_command("verify", "--skip-files")
        assert not key.exists()  # checking never makes a new key
    finally:
        key.write_bytes(saved)
        signing.forget_keys()
