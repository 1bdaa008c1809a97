"""The signing key lives outside the data dir and can be rotated; old heads keep verifying.

A retired key is trusted only because the key that replaced it vouched for it at the
rotation: a key row a database owner adds is not.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core import checks
from django.core.management import CommandError, call_command
from django.utils import timezone

from fullrecord.audit import signing
from fullrecord.audit.models import AuditEntry, SignedTreeHead, SigningKey
from fullrecord.audit.services import check_log, record, verify_log
from fullrecord.audit.tests.attacker import delete_heads_from, drop_triggers

SCRIPT = Path(__file__).resolve().parents[4] / "tools" / "verify_audit_export.py"


@pytest.fixture
def etc(db, settings, tmp_path):
    """The production layout: the key in its own directory, not the data dir."""
    directory = tmp_path / "etc-fullrecord"
    directory.mkdir()
    settings.FULLRECORD_AUDIT_SIGNING_KEY_FILE = str(directory / "audit-signing-key.pem")
    settings.FULLRECORD_AUDIT_SIGN_EVERY = 3
    settings.FULLRECORD_AUDIT_HEAD_SINKS = []
    return directory


@pytest.fixture
def rotated(etc, tmp_path):
    """Heads signed by key A, a rotation, heads signed by key B; both public keys saved."""
    call_command("audit_key", "rotate")  # the first key
    (etc / "audit-signing-key.pem").chmod(0o640)
    first = tmp_path / "a.pem"
    first.write_text(signing.public_key_pem())
    for n in range(7):
        record("test.before", data={"n": n})
    old_id = signing.key_id()
    call_command("audit_key", "rotate")
    for n in range(5):
        record("test.after", data={"n": n})
    second = tmp_path / "b.pem"
    second.write_text(signing.public_key_pem())
    return old_id, signing.key_id(), first, second


def test_after_a_rotation_old_heads_still_verify_and_new_heads_name_the_new_key(rotated, etc):
    old_id, new_id, _, _ = rotated
    assert old_id != new_id
    assert verify_log() == []
    by_key = dict(SignedTreeHead.objects.values_list("tree_size", "key_id"))
    assert {by_key[s] for s in by_key if s <= 8} == {old_id}
    assert {by_key[s] for s in by_key if s > 8} == {new_id}
    rotation = AuditEntry.objects.get(action="audit.key_rotate", data__new_key_id=new_id)
    assert rotation.data["old_key_id"] == old_id
    assert SignedTreeHead.objects.get(tree_size=rotation.seq).key_id == new_id
    retired = SigningKey.objects.get(key_id=old_id)
    assert retired.retired_at is not None and retired.successor_key_id == new_id
    assert (etc / "audit-signing-key.pem").stat().st_mode & 0o777 == 0o640
    assert list(etc.iterdir()) == [etc / "audit-signing-key.pem"]  # no temporary left


def test_a_copy_without_the_private_key_verifies_with_the_public_key_given(rotated, etc, capsys):
    _, _, _, second = rotated
    (etc / "audit-signing-key.pem").unlink()
    with pytest.raises(CommandError):
        call_command("verify", "--skip-files")
    assert "the audit signing key is missing" in capsys.readouterr().err
    call_command("verify", "--skip-files", "--public-key", str(second))
    assert "OK" in capsys.readouterr().out
    assert not (etc / "audit-signing-key.pem").exists()  # checking never makes a key


def test_a_key_a_database_owner_adds_with_heads_signed_by_it_is_not_trusted(rotated):
    """The owner has no private key of the bureau: they add their own and re-sign."""
    own = Ed25519PrivateKey.generate()
    own_id = signing.key_id_of(own.public_key())
    drop_triggers()
    SigningKey.objects.create(
        key_id=own_id,
        public_key=signing.public_bytes(own.public_key()).hex(),
        retired_at=SigningKey.objects.get(retired_at__isnull=True).created_at,
        successor_key_id=signing.key_id(),
        successor_signature="00" * 64,
    )
    head = SignedTreeHead.objects.get(tree_size=3)
    delete_heads_from(3)
    message = signing.tree_head_message(3, head.root_hash, head.signed_at)
    SignedTreeHead.objects.create(
        tree_size=3,
        root_hash=head.root_hash,
        signed_at=head.signed_at,
        key_id=own_id,
        signature=own.sign(message).hex(),
    )
    problems = check_log().problems
    assert problems == [
        f"signed head at size 3: signed with key {own_id[:16]}, which is neither the current "
        "key nor vouched for by it (give its public key with --public-key if it is one of "
        "the bureau's)"
    ]


def run_script(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, check=False
    )


def test_the_offline_script_checks_each_head_with_the_key_it_names(rotated, tmp_path):
    old_id, _, first, second = rotated
    export = tmp_path / "export"
    call_command("audit_export", str(export))
    both = run_script(str(export), "--public-key", str(first), "--public-key", str(second))
    assert both.returncode == 0, both.stdout
    exported = run_script(str(export))  # the keys in the export: integrity, not origin
    assert exported.returncode == 0, exported.stdout
    only_new = run_script(str(export), "--public-key", str(second))
    assert only_new.returncode == 1
    assert (
        f"FAIL signed head 3: signed with key {old_id[:16]}, which is not among the keys given"
        in only_new.stdout
    )


def test_a_key_given_as_text_is_not_rotated_but_explained(db, settings, monkeypatch):
    settings.FULLRECORD_AUDIT_SIGNING_KEY_FILE = None
    monkeypatch.setenv("FULLRECORD_AUDIT_SIGNING_KEY", signing.generate_pem().decode())
    with pytest.raises(CommandError, match="FULLRECORD_AUDIT_SIGNING_KEY_FILE"):
        call_command("audit_key", "rotate")


def test_in_production_a_key_in_the_data_dir_and_heads_kept_at_home_are_warned_about(
    settings, tmp_path
):
    settings.FULLRECORD_PRODUCTION = True
    settings.FULLRECORD_AUDIT_SIGNING_KEY_FILE = None
    settings.FULLRECORD_AUDIT_HEAD_SINKS = []
    ids = {m.id for m in checks.run_checks(tags=[checks.Tags.security])}
    assert {"fullrecord.audit.W001", "fullrecord.audit.W002"} <= ids

    settings.FULLRECORD_AUDIT_SIGNING_KEY_FILE = str(tmp_path / "etc" / "audit-signing-key.pem")
    settings.FULLRECORD_AUDIT_HEAD_SINKS = [f"dir:{tmp_path}"]
    ids = {m.id for m in checks.run_checks(tags=[checks.Tags.security])}
    assert not ids & {"fullrecord.audit.W001", "fullrecord.audit.W002"}

    settings.FULLRECORD_PRODUCTION = False
    settings.FULLRECORD_AUDIT_SIGNING_KEY_FILE = None
    assert not {m.id for m in checks.run_checks(tags=[checks.Tags.security])} & {
        "fullrecord.audit.W001"
    }


def test_a_head_destination_that_is_not_one_stops_the_start_with_its_name(settings):
    settings.FULLRECORD_AUDIT_HEAD_SINKS = ["ftp://loghost/heads"]
    errors = [m for m in checks.run_checks(tags=[checks.Tags.security]) if m.is_serious()]
    assert [m.id for m in errors] == ["fullrecord.audit.E001"]
    assert "'ftp://loghost/heads' is not a destination" in errors[0].msg


def test_the_api_hands_out_the_key_each_head_names_and_no_other(rotated, bureau, client):
    old_id, new_id, first, second = rotated
    own = Ed25519PrivateKey.generate()
    SigningKey.objects.create(
        key_id=signing.key_id_of(own.public_key()),
        public_key=signing.public_bytes(own.public_key()).hex(),
    )
    client.force_login(bureau.leader)
    old = client.get(f"/api/audit/public-key?key_id={old_id}")
    assert old.status_code == 200 and old.content.decode() == first.read_text()
    assert client.get("/api/audit/public-key").content.decode() == second.read_text()
    planted = client.get(f"/api/audit/public-key?key_id={signing.key_id_of(own.public_key())}")
    assert planted.status_code == 404


def test_with_the_key_file_gone_work_goes_on_and_the_missing_heads_show(etc, client, caplog):
    import logging

    import time_machine

    call_command("audit_key", "rotate")
    record("test.event")
    (etc / "audit-signing-key.pem").unlink()
    ids = {m.id for m in checks.run_checks(tags=[checks.Tags.security])}
    assert "fullrecord.audit.E002" in ids
    with time_machine.travel(timezone.now() + timedelta(minutes=2), tick=False) as clock:
        with caplog.at_level(logging.ERROR, logger="fullrecord.audit.heads"):
            entry = record("media.play", summary="播放原始视频")  # the officer's action commits
        assert "audit tree head not signed" in caplog.text
        assert not SignedTreeHead.objects.filter(tree_size=entry.seq).exists()
        clock.shift(6 * 60)
        body = client.get("/healthz").json()
        assert body["status"] == "degraded" and body["audit_heads"]["signing_ok"] is False
