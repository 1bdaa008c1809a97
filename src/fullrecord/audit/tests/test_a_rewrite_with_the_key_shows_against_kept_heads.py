"""Host root holding the signing key rewrites the log and signs it again; the heads that
left the machine (``verify --against``) still show it."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from fullrecord.audit.models import AuditEntry
from fullrecord.audit.services import check_log, load_heads, record, verify_log
from fullrecord.audit.sinks import deliver_heads
from fullrecord.audit.tests.attacker import (
    delete_heads_from,
    drop_triggers,
    rechain_from,
    sign_again,
    sql,
)


@pytest.fixture
def shipped(db, settings, tmp_path):
    """Ten entries, heads at 4 and 8 (and 1) delivered to a directory on another disk."""
    offsite = tmp_path / "offsite"
    offsite.mkdir()
    settings.FULLRECORD_AUDIT_SIGN_EVERY = 4
    settings.FULLRECORD_AUDIT_HEAD_SINKS = [f"dir:{offsite}"]
    for n in range(10):
        record("test.event", summary=f"event {n}", data={"n": n})
    deliver_heads()
    return offsite / "audit-heads.jsonl"


def verify_against(heads_file, capsys) -> tuple[bool, str]:
    try:
        call_command("verify", "--skip-files", "--against", str(heads_file))
    except CommandError:
        return False, capsys.readouterr().err
    return True, capsys.readouterr().out


def test_an_intact_log_matches_the_heads_kept_outside(shipped, capsys):
    ok, out = verify_against(shipped, capsys)
    assert ok, out
    assert "3 head(s) kept outside checked; the newest covers entries 1-8" in out
    assert "the 2 entries after it rest on this database's own heads only" in out


def test_a_log_rewritten_and_signed_again_with_the_key_fails_against_the_kept_heads(
    shipped, capsys
):
    drop_triggers()

    def erase(entry: AuditEntry) -> None:
        if entry.data == {"n": 2}:
            entry.summary, entry.data = "nothing happened", {"n": -1}

    rechain_from(3, change=erase)
    sign_again(delete_heads_from(3))
    assert verify_log() == []  # the database alone now agrees with itself

    ok, err = verify_against(shipped, capsys)
    assert not ok
    assert "the head of size 4 kept outside (audit-heads.jsonl:2, signed " in err
    assert "does not match the log: entries 1-4 were rewritten" in err
    assert "signed head at size 8: the database holds another head than the one kept outside" in err


def test_an_entry_removed_and_the_heads_deleted_without_the_key_fails_against_the_kept_heads(
    shipped, capsys
):
    drop_triggers()
    delete_heads_from(2)
    rechain_from(6, drop={6})
    assert verify_log() == []

    ok, err = verify_against(shipped, capsys)
    assert not ok
    assert (
        "the head of size 4 kept outside (audit-heads.jsonl:2) is missing from the database" in err
    )
    assert "the head of size 8 kept outside (audit-heads.jsonl:3, signed " in err
    assert "does not match the log: entries 1-8 were rewritten" in err


def test_a_log_cut_back_below_a_kept_head_fails(shipped, capsys):
    drop_triggers()
    delete_heads_from(2)
    rechain_from(4, drop={4, 5, 6, 7, 8, 9, 10})

    ok, err = verify_against(shipped, capsys)
    assert not ok
    assert "covers more than the 3 entries the log has: entries were removed (cut back)" in err


def test_a_kept_head_with_a_changed_root_is_not_taken_on_trust(shipped, capsys):
    rows = [json.loads(line) for line in shipped.read_text().splitlines()]
    rows[1]["root_hash"] = "00" * 32
    shipped.write_text("".join(json.dumps(r) + "\n" for r in rows))

    ok, err = verify_against(shipped, capsys)
    assert not ok
    assert (
        "the head of size 4 kept outside (audit-heads.jsonl:2): the signature is not valid" in err
    )


def test_an_export_kept_elsewhere_serves_as_the_heads(shipped, tmp_path, capsys):
    export = tmp_path / "export-at-the-last-inspection"
    call_command("audit_export", str(export))
    capsys.readouterr()
    drop_triggers()
    rechain_from(2, drop={2})
    sign_again(delete_heads_from(2))

    ok, err = verify_against(export, capsys)
    assert not ok
    assert "tree-heads.json[1]" in err


def test_a_heads_file_that_is_not_one_is_refused_in_words(db, tmp_path):
    bad = tmp_path / "heads.jsonl"
    bad.write_text('{"tree_size": 1}\n')
    with pytest.raises(CommandError, match="not a signed tree head"):
        call_command("verify", "--skip-files", "--against", str(bad))


def test_the_heads_of_two_destinations_agree_and_a_rival_head_is_named(shipped, tmp_path):
    """Two validly signed heads of one size: only the key's holder can make that."""
    drop_triggers()
    rechain_from(3, change=lambda e: setattr(e, "summary", "rewritten"))
    sign_again(delete_heads_from(3))
    rival = tmp_path / "rival.jsonl"
    deliver_to = tmp_path / "second"
    deliver_to.mkdir()
    sql("DELETE FROM audit_headsinkstate")
    from django.test import override_settings

    with override_settings(FULLRECORD_AUDIT_HEAD_SINKS=[f"dir:{deliver_to}"]):
        deliver_heads()
    rival.write_text(shipped.read_text() + (deliver_to / "audit-heads.jsonl").read_text())
    problems = check_log(against=load_heads(rival)).problems
    assert any(p.startswith("two different validly signed heads of size 4") for p in problems)


def test_an_auditor_offline_sees_the_rewrite_against_the_heads_mailed_to_the_inspection_team(
    shipped, tmp_path
):
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parents[4] / "tools" / "verify_audit_export.py"
    mailed = tmp_path / "heads-from-mail.txt"
    mailed.write_text("fullrecord 审计日志签名树头\n\n" + shipped.read_text(), encoding="utf-8")
    drop_triggers()
    rechain_from(2, change=lambda e: setattr(e, "summary", "rewritten"))
    sign_again(delete_heads_from(2))
    export = tmp_path / "export"
    call_command("audit_export", str(export))

    alone = subprocess.run(
        [sys.executable, str(script), str(export)], capture_output=True, text=True, check=False
    )
    assert alone.returncode == 0, alone.stdout  # self-consistent: signed with the real key
    against = subprocess.run(
        [sys.executable, str(script), str(export), "--against", str(mailed)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert against.returncode == 1
    assert "FAIL kept head 4 (heads-from-mail.txt): the export has another head" in against.stdout
    assert "FAIL trusted head 4: the export's tree differs from the one kept" in against.stdout
