"""Backups: the database, then the originals; restore into an empty system.

Layout of a backup directory (``fullrecord backup DIR``)::

    DIR/store/ab/cd/<sha256>             the originals, shared by every backup in DIR:
                                         named by their hash and never changed, so each
                                         backup copies only what is new (incremental)
    DIR/<UTC time>/database.sqlite3      embedded mode: SQLite's online backup
    DIR/<UTC time>/database.pgdump       PostgreSQL: pg_dump --format=custom
    DIR/<UTC time>/audit-public-key.pem  verifies the restored log's signed heads
    DIR/<UTC time>/secret_key            when the data dir holds one (sessions, signed URLs)
    DIR/<UTC time>/objects.jsonl         S3 mode: every object of the bucket, its lock and hold
    DIR/<UTC time>/manifest.json         what was taken, with the database file's SHA-256

**The database first, then the store** (docs/operations.md, "Backups and restore"): an
original is stored before the row naming it is committed and is never overwritten, so a
store copied after the dump holds every original the dump names. The audit signing
key's private half is not copied: keep its backup apart (both together could re-sign a
rewritten log).

With ``FULLRECORD_STORAGE=s3`` the store is the bucket: every object in it is copied into
the same ``DIR/store/`` (named by its SHA-256, so again only what is new) and described,
with its Object Lock retain-until date and legal hold, in ``DIR/<time>/objects.jsonl``
(media/store/backup.py). ``restore`` puts the objects back into an empty bucket, locked
and held as they were.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection

CHUNK = 1024 * 1024


class BackupError(Exception):
    pass


@dataclass
class Taken:
    path: Path
    database: Path
    copied: int
    kept: int
    damaged: list[str] = field(default_factory=list)


def _bucket():
    """The S3 store when originals live in a bucket, else None. Asked of media lazily: a
    backup spans every app, and the store is what knows its keys and locks."""
    if settings.FULLRECORD_STORAGE["backend"] != "s3":
        return None
    from fullrecord.media.store import s3_store

    return s3_store()


def _store_root() -> Path | None:
    if settings.FULLRECORD_STORAGE["backend"] != "local":
        return None
    return Path(settings.FULLRECORD_STORAGE["root"])


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _libpq_env() -> tuple[list[str], dict[str, str]]:
    """pg_dump/pg_restore arguments and environment for the default database."""
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    return args, env


def _run(command: list[str], env: dict[str, str] | None = None) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode:
        raise BackupError(f"{command[0]} failed ({done.returncode}): {done.stderr.strip()[-2000:]}")


def copy_originals(source: Path, target: Path) -> tuple[int, int]:
    """Copy every file under ``source`` not yet in ``target`` (same relative path), synced,
    read-only; an existing file is kept (originals never change). (copied, kept)."""
    copied = kept = 0
    for path in sorted(source.rglob("*")):
        if not path.is_file() or path.name.startswith("."):
            continue
        destination = target / path.relative_to(source)
        if destination.exists():
            kept += 1
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        partial = destination.with_name(f".{destination.name}.partial")
        with open(path, "rb") as src, open(partial, "wb") as dst:
            shutil.copyfileobj(src, dst, CHUNK)
            dst.flush()
            os.fsync(dst.fileno())
        os.chmod(partial, 0o444)
        os.replace(partial, destination)
        copied += 1
    return copied, kept


def take(directory: Path) -> Taken:
    directory = directory.resolve()
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    here = directory / stamp
    here.mkdir(parents=True, exist_ok=False)
    # 1. The database.
    if connection.vendor == "sqlite":
        database = here / "database.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(database)
        try:
            connection.connection.backup(target)  # online: includes what is still in the WAL
        finally:
            target.close()
    elif connection.vendor == "postgresql":
        database = here / "database.pgdump"
        args, env = _libpq_env()
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--file",
                str(database),
                *args,
                str(settings.DATABASES["default"]["NAME"]),
            ],
            env,
        )
    else:
        raise BackupError(f"no backup for a {connection.vendor} database")
    # 2. Then the originals.
    root = _store_root()
    copied = kept = 0
    objects: dict | None = None
    damaged: list[str] = []
    if root is not None and root.exists():
        copied, kept = copy_originals(root, directory / "store")
    bucket = _bucket()
    if bucket is not None:
        objects, damaged = _back_up_bucket(bucket, directory, here)
        copied, kept = objects["copied"], objects["already_there"]
    # 3. What a restore needs besides.
    key = io.StringIO()
    call_command("audit_pubkey", stdout=key)
    (here / "audit-public-key.pem").write_text(key.getvalue())
    sm2 = _sm2_public_key()
    if sm2:
        (here / "audit-sm2-public-key.txt").write_text(sm2 + "\n")
    secret = Path(settings.DATA_DIR) / "secret_key"
    if secret.exists():
        shutil.copy2(secret, here / "secret_key")
        os.chmod(here / "secret_key", 0o600)
    manifest = {
        "taken_at": stamp,
        "database": {
            "vendor": connection.vendor,
            "file": database.name,
            "sha256": _sha256(database),
        },
        "store": "../store" if root is not None or bucket is not None else None,
        "store_backend": settings.FULLRECORD_STORAGE["backend"],
        "originals_copied": copied,
        "originals_already_there": kept,
    }
    if objects is not None:
        manifest["objects"] = objects
    (here / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return Taken(here, database, copied, kept, damaged)


def _back_up_bucket(bucket, directory: Path, here: Path) -> tuple[dict, list[str]]:
    from fullrecord.media.store import StoreError
    from fullrecord.media.store.backup import back_up_bucket

    listing = here / "objects.jsonl"
    earlier = sorted(p for p in directory.glob("*/objects.jsonl") if p.parent != here)
    try:
        report = back_up_bucket(bucket, directory / "store", listing, earlier)
    except StoreError as exc:
        raise BackupError(f"the bucket could not be backed up: {exc}") from exc
    return {
        "file": listing.name,
        "sha256": _sha256(listing),
        "endpoint": bucket.endpoint_url,
        "bucket": bucket.bucket,
        "count": report.count,
        "bytes": report.bytes,
        "copied": report.copied,
        "already_there": report.kept,
        "damaged": report.damaged,
    }, report.damaged


def _sm2_public_key() -> str | None:
    """The SM2 key that co-signs tree heads (密评, the security app), when installed."""
    from django.apps import apps

    if not apps.is_installed("fullrecord.security"):
        return None
    from fullrecord.security import sm2  # a higher app, asked only when it is there

    return sm2.public_key()


def _database_is_empty() -> bool:
    with connection.cursor():
        return not connection.introspection.table_names()


def restore(backup: Path) -> dict:
    """Into this (empty) system: the database, the originals, the secret key."""
    backup = backup.resolve()
    manifest = json.loads((backup / "manifest.json").read_text())
    database = backup / manifest["database"]["file"]
    if _sha256(database) != manifest["database"]["sha256"]:
        raise BackupError(f"{database} does not match its manifest: the backup is damaged")
    if manifest["database"]["vendor"] != connection.vendor:
        raise BackupError(
            f"the backup is of a {manifest['database']['vendor']} database; this system uses "
            f"{connection.vendor} (DATABASE_URL)"
        )
    if not _database_is_empty():
        raise BackupError("this system's database is not empty: restore only into an empty one")
    root = _store_root()
    if root is not None and root.exists() and any(p.is_file() for p in root.rglob("*")):
        raise BackupError(f"the store {root} is not empty: restore only into an empty system")
    bucket = _bucket()
    listing = None
    if bucket is not None:
        listing = _bucket_listing(backup, manifest)
        from fullrecord.media.store import StoreError
        from fullrecord.media.store.backup import require_empty

        try:
            require_empty(bucket)
        except StoreError as exc:
            raise BackupError(str(exc)) from exc
    if connection.vendor == "sqlite":
        name = Path(settings.DATABASES["default"]["NAME"])
        connection.close()
        for suffix in ("-wal", "-shm"):  # a stale WAL would be replayed onto the copy
            Path(f"{name}{suffix}").unlink(missing_ok=True)
        source = sqlite3.connect(database)
        target = sqlite3.connect(name)
        try:
            source.backup(target)
        finally:
            source.close()
            target.close()
    else:
        connection.close()
        args, env = _libpq_env()
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--dbname",
                str(settings.DATABASES["default"]["NAME"]),
                *args,
                str(database),
            ],
            env,
        )
    copied = 0
    damaged: list[str] = []
    if root is not None and manifest.get("store"):
        copied, _kept = copy_originals((backup / manifest["store"]).resolve(), root)
    if bucket is not None and listing is not None:
        from fullrecord.media.store import StoreError
        from fullrecord.media.store.backup import restore_bucket

        try:
            report = restore_bucket(bucket, (backup / manifest["store"]).resolve(), listing)
        except StoreError as exc:
            raise BackupError(
                f"the bucket stopped answering during the restore ({exc}): the database is "
                "restored, the bucket only in part; start again with an empty database and "
                "a new, empty bucket"
            ) from exc
        copied, damaged = report.copied, report.damaged
    secret = Path(settings.DATA_DIR) / "secret_key"
    if (backup / "secret_key").exists() and not secret.exists():
        shutil.copy2(backup / "secret_key", secret)
        os.chmod(secret, 0o600)
    return {"originals": copied, "database": database.name, "damaged": damaged}


def _bucket_listing(backup: Path, manifest: dict) -> Path:
    """The backup's list of objects, checked against its manifest, for a bucket restore."""
    objects = manifest.get("objects")
    if not objects:
        raise BackupError(
            "this backup holds a local store, and this system keeps originals in S3: restore "
            "with FULLRECORD_STORAGE=local, then move them with `fullrecord storage_migrate "
            "--to s3` (docs/storage.md)"
        )
    listing = backup / objects["file"]
    if _sha256(listing) != objects["sha256"]:
        raise BackupError(f"{listing} does not match its manifest: the backup is damaged")
    return listing
