"""``fullrecord export CASE_NUMBER --out DIR [--iso FILE] --user ARCHIVIST --request CY-…``

The case file on disc (第十三条、第十六条): a BagIt package of the case, and with
``--iso`` an ISO 9660 + Joliet + UDF image of it, read back and verified before this
reports done. Needs the archivist's approved export request for the whole case
(第十七条); the export is recorded in the audit log.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fullrecord.accounts.models import User
from fullrecord.cases.models import Case
from fullrecord.core.progress import ProgressBar
from fullrecord.retention import export


class Command(BaseCommand):
    help = "Export a case file as a verified BagIt package (and an ISO disc image)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("case_number")
        parser.add_argument("--out", required=True, type=Path, help="A new or empty directory.")
        parser.add_argument("--iso", type=Path, default=None, help="Also write a disc image here.")
        parser.add_argument("--user", required=True, help="The archivist exporting.")
        parser.add_argument(
            "--request", required=True, help="The archivist's approved export request (CY-…)."
        )
        parser.add_argument(
            "--progress", action="store_true", help="Show progress even when not on a terminal."
        )

    def handle(self, *args, case_number, out, iso, user, request, progress, **options) -> None:
        case = Case.objects.filter(number=case_number).first()
        if case is None:
            raise CommandError(f"No case numbered {case_number}.")
        actor = User.objects.filter(username=user, is_active=True).first()
        if actor is None:
            raise CommandError(f"No active user {user}.")
        bar = ProgressBar(1, f"export {case_number}", force=progress, unit="B")
        step = [""]

        def report(done: int, total: int, label: str) -> None:
            if label != step[0]:
                step[0] = label
                bar.label = f"{case_number}: {label}"
            bar.total = max(total, 1)
            bar.update(done)

        try:
            approval = export.approved_request(case, actor, request)
            result = export.export_case(
                case, actor=actor, request=approval, out=out, iso=iso, progress=report
            )
        except export.ExportError as exc:
            bar.close()
            raise CommandError(str(exc)) from exc
        bar.close()
        self.stdout.write(
            self.style.SUCCESS(
                f"OK: {result.files} files, {result.payload_bytes} bytes in {result.directory}, "
                "verified"
                + (
                    f"; disc image {result.iso} ({result.iso_size} bytes, sha256 "
                    f"{result.iso_sha256})"
                    if result.iso
                    else ""
                )
            )
        )
