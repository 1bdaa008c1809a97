"""``fullrecord rebuild_derived [--all | --missing | ITEM…]``: make posters, thumbnails and
playable copies again from the originals (after the documented restore, which skips
``derived/``). Originals are only read."""

from __future__ import annotations

from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from fullrecord.core.progress import ProgressBar
from fullrecord.media import derived
from fullrecord.media.models import Derivative, MediaItem


class Command(BaseCommand):
    help = (
        "Make derived files (poster, thumbnail, playable copy) again: --missing for those "
        "whose file is gone, --all for every record, or the given record ids."
    )

    def add_arguments(self, parser) -> None:
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument(
            "--all", dest="everything", action="store_true", help="Every audiovisual record."
        )
        group.add_argument(
            "--missing",
            action="store_true",
            help="Records with a derived file recorded but gone, or one asked for again.",
        )
        group.add_argument("items", nargs="*", type=int, default=[], metavar="ITEM")
        parser.add_argument(
            "--progress",
            action="store_true",
            help="Show the progress bar even when the output is not a terminal.",
        )

    def handle(
        self, *args, everything: bool, missing: bool, items: list[int], progress: bool, **options
    ) -> None:
        if everything:
            ids = list(MediaItem.objects.order_by("pk").values_list("pk", flat=True))
        elif missing:
            ids = sorted(_missing_ids())
        else:
            found = set(MediaItem.objects.filter(pk__in=items).values_list("pk", flat=True))
            unknown = sorted(set(items) - found)
            if unknown:
                raise CommandError(f"No audiovisual record with id {', '.join(map(str, unknown))}.")
            ids = sorted(found)
        bar = ProgressBar(len(ids), "derived files", force=progress)
        outcome: Counter[str] = Counter()
        for done, pk in enumerate(ids, 1):
            outcome[derived.rebuild(pk)] += 1
            bar.update(done)
        bar.close()
        summary = ", ".join(f"{status}: {count}" for status, count in sorted(outcome.items()))
        self.stdout.write(
            self.style.SUCCESS(f"Rebuilt the derived files of {len(ids)} record(s). {summary}")
        )


def _missing_ids() -> set[int]:
    ids = set(MediaItem.objects.exclude(derived_requested_at=None).values_list("pk", flat=True))
    for derivative in Derivative.objects.order_by("item_id").iterator(chunk_size=2000):
        if derivative.item_id not in ids and not derived.absolute(derivative).is_file():
            ids.add(derivative.item_id)
    return ids
