"""``fullrecord verify``: the audit chain, every signed tree head, every stored original."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from fullrecord.audit import services
from fullrecord.audit.models import AuditEntry
from fullrecord.core.progress import ProgressBar
from fullrecord.media import fixity
from fullrecord.media.models import MediaItem


class Command(BaseCommand):
    help = "Check the audit log (chain, Merkle tree, signatures) and re-hash every original."
    requires_system_checks: list = []  # a fixity run should spend its time hashing

    def add_arguments(self, parser) -> None:
        parser.add_argument("--skip-files", action="store_true", help="Only check the audit log.")
        parser.add_argument(
            "--progress",
            action="store_true",
            help="Show progress bars even when the output is not a terminal.",
        )

    def handle(self, *args, skip_files: bool, progress: bool, **options) -> None:
        bar = ProgressBar(AuditEntry.objects.count(), "audit log", force=progress)
        problems = services.verify_log(progress=bar.update)
        bar.close()
        if not skip_files:
            bar = ProgressBar(MediaItem.objects.count(), "originals", force=progress)
            report = fixity.check_originals(progress=bar.update)
            bar.close()
            bar = ProgressBar(MediaItem.objects.count(), "store files", force=progress)
            report.orphans = fixity.store_keys_without_record(progress=bar.update)
            bar.close()
            problems += report.problems()
        if problems:
            for problem in problems:
                self.stderr.write(f"FAIL {problem}")
            raise CommandError(f"{len(problems)} problem(s) found: the record is not intact.")
        self.stdout.write(
            self.style.SUCCESS("OK: audit log, signed tree heads and originals intact.")
        )
