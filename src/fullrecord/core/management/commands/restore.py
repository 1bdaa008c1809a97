"""``fullrecord restore BACKUP``: into an empty system, then ``verify`` (core/backup.py)."""

from __future__ import annotations

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Restore a backup made by `fullrecord backup` into this system's empty database and "
        "store, migrate it to this version, then run `fullrecord verify` against it."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("backup", type=Path, help="DIR/<time> as `fullrecord backup` printed.")
        parser.add_argument("--no-verify", action="store_true", help="Skip `fullrecord verify`.")

    def handle(self, *args, backup: Path, no_verify: bool, **options) -> None:
        from fullrecord.core import backup as backups

        try:
            done = backups.restore(backup)
        except (backups.BackupError, OSError, KeyError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        self.stderr.write(f"restored {done['database']}; originals copied: {done['originals']}")
        for key in done["damaged"]:
            self.stderr.write(f"FAIL: {key} is damaged or missing in the backup; not restored")
        call_command("migrate", interactive=False, verbosity=0)
        if not no_verify:
            options = {"public_key": [str(backup / "audit-public-key.pem")]}
            sm2 = backup / "audit-sm2-public-key.txt"
            if sm2.exists():
                options["sm2_public_key"] = [sm2.read_text().strip()]
            call_command("verify", **options)
        if done["damaged"]:
            raise CommandError(f"{len(done['damaged'])} object(s) not restored (listed above)")
