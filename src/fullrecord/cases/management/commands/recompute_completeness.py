"""Recompute the stored completeness summary of cases (第十一条).

After an upgrade the cases created before the check are "not yet checked";
after a change of what the stages expect (a catalogue edit) every case is.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from fullrecord.cases import completeness
from fullrecord.cases.models import Case
from fullrecord.core.progress import ProgressBar

BATCH = 500


class Command(BaseCommand):
    help = (
        "Recompute which records each case lacks, the summary the case list filters on "
        "(by default the cases not yet checked)."
    )

    def add_arguments(self, parser) -> None:
        group = parser.add_mutually_exclusive_group()
        group.add_argument(
            "--all", dest="everything", action="store_true", help="Every case, checked or not."
        )
        group.add_argument("cases", nargs="*", type=int, default=[], metavar="CASE")
        parser.add_argument(
            "--progress",
            action="store_true",
            help="Show the progress bar even when the output is not a terminal.",
        )

    def handle(self, *args, everything: bool, cases: list[int], progress: bool, **options) -> None:
        queryset = Case.objects.order_by("pk")
        if cases:
            found = set(queryset.filter(pk__in=cases).values_list("pk", flat=True))
            unknown = sorted(set(cases) - found)
            if unknown:
                raise CommandError(f"No case with id {', '.join(map(str, unknown))}.")
            queryset = queryset.filter(pk__in=found)
        elif not everything:
            queryset = queryset.filter(completeness_checked_at__isnull=True)
        ids = list(queryset.values_list("pk", flat=True))
        bar = ProgressBar(len(ids), "cases", force=progress, stream=self.stderr)
        incomplete = 0
        for start in range(0, len(ids), BATCH):
            # A batch per transaction: a long run neither holds one lock for its whole
            # length nor loses more than a batch when interrupted (rerun to go on).
            with transaction.atomic():
                batch = Case.objects.filter(pk__in=ids[start : start + BATCH])
                for case in batch.select_for_update().order_by("pk"):
                    completeness.refresh(case)
                    incomplete += case.completeness_missing > 0
            bar.update(min(start + BATCH, len(ids)))
        bar.close()
        self.stdout.write(
            self.style.SUCCESS(f"Checked {len(ids)} case(s); {incomplete} lack required records.")
        )
