"""``fullrecord verify``: the audit chain, every signed tree head, every stored original.

The log is read as one snapshot (``services.read_snapshot``), so a check beside a live
system sees the log as of one moment. ``--against HEADS`` adds heads kept outside the
machine; ``--public-key`` adds keys obtained out of band.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fullrecord.audit import services, signing
from fullrecord.audit.models import AuditEntry, SignedTreeHead
from fullrecord.core.progress import ProgressBar
from fullrecord.media import fixity
from fullrecord.media.models import MediaItem
from fullrecord.media.store import StoreUnavailable
from fullrecord.security import digests
from fullrecord.security import heads as sm2_heads


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
        parser.add_argument(
            "--against",
            action="append",
            default=[],
            metavar="HEADS",
            help="Signed heads kept outside this machine (a head destination's audit-heads.jsonl "
            "or its directory, an export's tree-heads.json or directory); repeatable.",
        )
        parser.add_argument(
            "--sm2-public-key",
            action="append",
            default=[],
            metavar="HEX",
            help="An SM2 public key (128 hex digits, x|y) obtained out of band; repeatable.",
        )
        parser.add_argument(
            "--public-key",
            action="append",
            default=[],
            metavar="PEM",
            help="A public key obtained out of band, trusted besides the current one; repeatable.",
        )

    def handle(
        self,
        *args,
        skip_files: bool,
        progress: bool,
        against: list[str],
        public_key: list[str],
        sm2_public_key: list[str],
        **options,
    ) -> None:
        kept, keys = self._outside(against, public_key)
        bar = ProgressBar(AuditEntry.objects.count(), "audit log", force=progress)
        report = services.check_log(bar.update, against=kept, public_keys=keys)
        bar.close()
        problems = report.problems
        # 密评: every signed head also carries a valid SM2 signature (security/heads.py).
        problems += sm2_heads.check(SignedTreeHead.objects.all(), sm2_public_key)
        for note in report.notes:
            self.stdout.write(note)
        if not skip_files:
            bar = ProgressBar(MediaItem.objects.count(), "originals", force=progress)
            try:
                report = fixity.check_originals(progress=bar.update)
            except StoreUnavailable as exc:  # proves nothing either way: say so, mark nothing
                raise CommandError(f"the evidence store does not answer: {exc}") from exc
            bar.close()
            bar = ProgressBar(MediaItem.objects.count(), "store files", force=progress)
            report.orphans = fixity.store_keys_without_record(progress=bar.update)
            bar.close()
            problems += report.problems()
            problems += digests.check(compute_missing=False).problems()
        if problems:
            for problem in problems:
                self.stderr.write(f"FAIL {problem}")
            raise CommandError(f"{len(problems)} problem(s) found: the record is not intact.")
        self.stdout.write(
            self.style.SUCCESS(
                "OK: audit log, signed tree heads (Ed25519 and SM2) and originals (SHA-256 and SM3) "
                "intact."
            )
        )

    def _outside(self, against: list[str], public_key: list[str]) -> tuple[list, list]:
        kept = []
        for path in against:
            try:
                kept += services.load_heads(Path(path))
            except services.HeadsFileError as exc:
                raise CommandError(f"--against: {exc}") from exc
        keys = []
        for path in public_key:
            try:
                keys.append(signing.load_public_pem(Path(path).read_bytes()))
            except (OSError, ValueError) as exc:
                raise CommandError(
                    f"--public-key {path}: not an Ed25519 public key ({exc})"
                ) from exc
        return kept, keys
