"""``fullrecord backup`` then ``fullrecord restore`` into an empty system (real processes, a
database of each site's own: SQLite files, or PostgreSQL databases when the tests run on
PostgreSQL): the restored system passes ``fullrecord verify`` with the same records; a
second backup copies only new originals; a damaged backup is refused or fails verify; a
system that is not empty is not restored over."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from fullrecord.media.tests.crashsite import CrashSite


def _database(name: str) -> str | None:
    url = os.environ.get("DATABASE_URL")
    if not url:
        return None
    import psycopg

    base = os.environ.get("FULLRECORD_TEST_DATABASE") or "test_fullrecord"
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    db = f"{base}_bk_{worker}_{name}_{zlib.crc32(name.encode()):08x}"
    server = url.rsplit("/", 1)[0]
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{db}"')
    return f"{server}/{db}"


@pytest.fixture
def sites(tmp_path):
    made: list[CrashSite] = []

    def site(name: str) -> CrashSite:
        made.append(CrashSite(tmp_path / name, _database(name)))
        return made[-1]

    yield site
    for each in made:
        each.drop_database()


def _card(folder: Path, count: int, seed: int) -> Path:
    folder.mkdir(parents=True)
    for n in range(count):
        (folder / f"clip{seed}-{n}.bin").write_bytes(os.urandom(50_000 + n))
    return folder


def _fullrecord(site: CrashSite, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "fullrecord", *args],
        env=site.env,
        capture_output=True,
        text=True,
        check=False,
    )


def _state(site: CrashSite) -> dict:
    return site.python(
        "from fullrecord.media.models import MediaItem\n"
        "from fullrecord.audit.models import AuditEntry\n"
        "result = {'items': sorted(MediaItem.objects.values_list('sha256', flat=True)),"
        " 'entries': AuditEntry.objects.count()}\n"
    )


def test_a_backup_restores_into_an_empty_system_that_verifies(sites, tmp_path):
    source = sites("source")
    source.setup()
    status, output = source.ingest(_card(tmp_path / "card1", 3, 1))
    assert status == 0, output
    source.run("audit_sign")
    backups = tmp_path / "backups"

    first = Path(source.run("backup", str(backups)).strip().splitlines()[-1])
    manifest = json.loads((first / "manifest.json").read_text())
    assert manifest["originals_copied"] == 3

    status, output = source.ingest(_card(tmp_path / "card2", 2, 2))
    assert status == 0, output
    source.run("audit_sign")
    second = Path(source.run("backup", str(backups)).strip().splitlines()[-1])
    manifest = json.loads((second / "manifest.json").read_text())
    assert (manifest["originals_copied"], manifest["originals_already_there"]) == (2, 3)

    target = sites("target")  # nothing in it: not even migrated
    done = _fullrecord(target, "restore", str(second))
    assert done.returncode == 0, done.stderr[-3000:]
    assert "OK: audit log, signed tree heads and originals intact." in done.stdout
    assert _state(target) == _state(source)
    assert (
        _fullrecord(
            target, "verify", "--public-key", str(second / "audit-public-key.pem")
        ).returncode
        == 0
    )

    # Not over a system that has data.
    again = _fullrecord(target, "restore", str(first))
    assert again.returncode != 0 and "not empty" in again.stderr


def test_a_damaged_backup_does_not_pass(sites, tmp_path):
    source = sites("source")
    source.setup()
    status, output = source.ingest(_card(tmp_path / "card", 2, 3))
    assert status == 0, output
    taken = Path(source.run("backup", str(tmp_path / "backups")).strip().splitlines()[-1])

    # An original changed in the backup: restored, but verify names it.
    original = next(p for p in (tmp_path / "backups" / "store").rglob("*") if p.is_file())
    os.chmod(original, 0o644)
    original.write_bytes(b"altered" + original.read_bytes()[7:])
    target = sites("target")
    done = _fullrecord(target, "restore", str(taken))
    assert done.returncode != 0
    assert "FAIL" in done.stderr and original.name in done.stderr

    # A database file that does not match its manifest: refused before anything is written.
    database = next(taken.glob("database.*"))
    with open(database, "ab") as handle:
        handle.write(b"x")
    empty = sites("empty")
    refused = _fullrecord(empty, "restore", str(taken))
    assert refused.returncode != 0 and "damaged" in refused.stderr
