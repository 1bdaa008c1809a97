"""``fullrecord backup DIR``: the database, then the originals (core/backup.py)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fullrecord.core import backup


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite online backup or pg_dump), then copy the originals "
        "(with S3: every object of the bucket, its lock and legal hold) not yet in DIR/store; "
        "prints the backup's directory."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("directory", type=Path)

    def handle(self, *args, directory: Path, **options) -> None:
        try:
            taken = backup.take(directory)
        except (backup.BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stderr.write(
            f"database: {taken.database.name}; originals copied: {taken.copied}, "
            f"already in the backup: {taken.kept}"
        )
        for key in taken.damaged:
            self.stderr.write(f"FAIL: {key} in the store does not hash to its name")
        self.stdout.write(str(taken.path))
        if taken.damaged:
            raise CommandError(f"{len(taken.damaged)} damaged object(s); the backup holds them")
