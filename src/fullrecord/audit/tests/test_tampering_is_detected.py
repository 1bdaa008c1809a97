"""Editing, deleting, inserting or reordering log rows, or flipping a stored byte, fails verify.

The tests play a database owner who first drops the append-only triggers (which
refuse all of this to ordinary clients — proven in the first test).
"""

from __future__ import annotations

import os

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from fullrecord.audit import guards
from fullrecord.audit.models import AuditEntry
from fullrecord.audit.services import record, verify_log
from fullrecord.media.store import get_store
from fullrecord.media.tests.evidence import ingest_bytes


@pytest.fixture
def log(db, settings):
    settings.FULLRECORD_AUDIT_SIGN_EVERY = 4
    for n in range(10):
        record("test.event", summary=f"event {n}", data={"n": n})
    assert verify_log() == []


def sql(statement: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


@pytest.fixture
def owner(log):
    guards.uninstall(connection)
    yield
    guards.install(connection)


def test_ordinary_clients_cannot_change_or_delete_entries(log):
    for statement in (
        "UPDATE audit_auditentry SET summary = 'x' WHERE seq = 2",
        "DELETE FROM audit_auditentry WHERE seq = 2",
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            sql(statement)


def test_an_edited_entry_is_named(owner):
    sql("UPDATE audit_auditentry SET summary = 'nothing happened' WHERE seq = 3")
    problems = verify_log()
    assert any(p.startswith("entry #3: its content does not match") for p in problems)


def test_an_edit_with_recomputed_hashes_still_breaks_the_chain_and_the_signed_root(owner):
    import hashlib

    from fullrecord.audit import merkle
    from fullrecord.audit.services import canonical

    entry = AuditEntry.objects.get(seq=3)
    entry.summary = "rewritten"
    body = canonical(entry)
    sql(
        "UPDATE audit_auditentry SET summary = %s, entry_hash = %s, leaf_hash = %s WHERE seq = 3",
        [entry.summary, hashlib.sha256(body).hexdigest(), merkle.leaf_hash(body).hex()],
    )
    problems = verify_log()
    assert "entry #4: the link to the previous entry is broken" in problems
    assert any("signed head at size 4: the log no longer has that root" in p for p in problems)


def test_a_deleted_entry_is_named(owner):
    sql("DELETE FROM audit_auditentry WHERE seq = 5")
    problems = verify_log()
    assert any("entry #6: expected sequence number 5" in p for p in problems)


def test_an_inserted_entry_is_named(owner):
    entry = AuditEntry.objects.get(seq=10)
    sql(
        "INSERT INTO audit_auditentry (seq, at, action, object_type, object_id, summary, data, "
        "prev_hash, entry_hash, leaf_hash) VALUES (11, %s, 'forged', '', '', 'forged', '{}', %s, %s, '')",
        [entry.at, entry.entry_hash, "f" * 64],
    )
    problems = verify_log()
    assert any(p.startswith("entry #11") for p in problems)


def test_swapped_entries_are_named(owner):
    sql("UPDATE audit_auditentry SET seq = 1000 WHERE seq = 6")
    sql("UPDATE audit_auditentry SET seq = 6 WHERE seq = 7")
    sql("UPDATE audit_auditentry SET seq = 7 WHERE seq = 1000")
    problems = verify_log()
    assert any(p.startswith("entry #6") for p in problems)
    assert any(p.startswith("entry #7") for p in problems)


def test_a_forged_signature_is_named(owner):
    sql("UPDATE audit_signedtreehead SET signature = %s WHERE tree_size = 8", ["00" * 64])
    assert "signed head at size 8: the signature is not valid" in verify_log()


def test_a_truncated_log_is_named(owner):
    sql("DELETE FROM audit_auditentry WHERE seq > 8")
    problems = verify_log()
    assert any("the chain head says #10" in p for p in problems)


def test_verify_exits_non_zero_and_names_a_flipped_byte_in_an_original(log, bureau, empty_store):
    item = ingest_bytes(bureau.officer, b"original evidence bytes", "e.mp4").item
    call_command("verify")  # intact: no error
    path = get_store().local_path(item.sha256)
    os.chmod(path, 0o644)
    data = bytearray(path.read_bytes())
    data[0] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(CommandError):
        call_command("verify")


def test_verify_names_a_missing_original(log, bureau, capsys, empty_store):
    item = ingest_bytes(bureau.officer, b"to be lost", "l.mp4").item
    path = get_store().local_path(item.sha256)
    path.unlink()
    with pytest.raises(CommandError):
        call_command("verify")
    err = capsys.readouterr().err
    assert "l.mp4" in err and "在证据存储中缺失" in err  # named, in the archivist's language
