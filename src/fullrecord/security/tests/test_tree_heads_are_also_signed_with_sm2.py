"""密评: each signed tree head carries an SM2 signature too; ``fullrecord verify`` and the
offline verifier refuse a head whose SM2 signature does not verify."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from fullrecord.audit.models import SignedTreeHead
from fullrecord.audit.services import record, sign_tree_head
from fullrecord.security import sm2
from fullrecord.security.heads import message_of
from fullrecord.security.models import SM2TreeHead

SCRIPT = Path(__file__).resolve().parents[4] / "tools" / "verify_audit_export.py"
pytestmark = pytest.mark.django_db


@pytest.fixture
def log(settings):
    settings.FULLRECORD_AUDIT_SIGN_EVERY = 3
    for n in range(7):
        record("test.event", summary=f"事件 {n}")
    sign_tree_head()


def _break_sm2(size: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE security_sm2treehead SET signature = %s WHERE tree_size = %s",
            ["1" * 128, size],
        )


def test_every_head_has_a_valid_sm2_signature_of_the_same_root(log):
    heads = list(SignedTreeHead.objects.all())

    assert [h.tree_size for h in heads] == [1, 3, 6, 7]
    for head in heads:
        co = SM2TreeHead.objects.get(tree_size=head.tree_size)
        assert co.root_hash == head.root_hash
        assert sm2.verify(message_of(co), co.signature, co.public_key)
    call_command("verify", "--skip-files")


def test_verify_refuses_a_head_whose_sm2_signature_does_not_verify(log, capsys):
    _break_sm2(3)

    with pytest.raises(CommandError):
        call_command("verify", "--skip-files")
    assert "signed head 3: SM2 signature is not valid" in capsys.readouterr().err


def test_verify_refuses_a_head_without_its_sm2_signature(log, capsys):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM security_sm2treehead WHERE tree_size = 6")

    with pytest.raises(CommandError):
        call_command("verify", "--skip-files")
    assert "signed head 6: no SM2 signature" in capsys.readouterr().err


def _offline(directory: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), str(directory), *extra],
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_offline_verifier_checks_both_signatures(log, tmp_path):
    call_command("audit_export", str(tmp_path))

    result = _offline(tmp_path, "--sm2-public-key", sm2.public_key())
    assert result.returncode == 0, result.stdout
    assert "(Ed25519 and SM2)" in result.stdout

    rows = json.loads((tmp_path / "sm2-tree-heads.json").read_text())
    rows[1]["signature"] = rows[1]["signature"][:-2] + "00"
    (tmp_path / "sm2-tree-heads.json").write_text(json.dumps(rows))
    result = _offline(tmp_path)
    assert result.returncode == 1
    assert "signed head 3: SM2 signature is not valid" in result.stdout


def test_the_offline_verifier_refuses_an_sm2_key_other_than_the_one_given(log, tmp_path):
    call_command("audit_export", str(tmp_path))
    other = sm2.public_of(bytes.fromhex("11" * 32))

    result = _offline(tmp_path, "--sm2-public-key", other)

    assert result.returncode == 1
    assert "SM2-signed with a key other than the one given" in result.stdout
