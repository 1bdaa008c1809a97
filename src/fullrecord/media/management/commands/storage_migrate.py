from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from fullrecord.core.progress import ProgressBar
from fullrecord.media.store import StorageFull, StoreError, local_store, s3_store
from fullrecord.media.store.migrate import copy_originals


class Command(BaseCommand):
    help = (
        "Copy every original from the embedded (local) store into S3, checking each hash. "
        "Safe to interrupt and run again: what is already in S3 is skipped."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--to", choices=["s3"], required=True, help="The target store.")
        parser.add_argument(
            "--verify",
            action="store_true",
            help="Also read every original back from S3 and re-hash it (slow; for the last run).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Only count what would be copied."
        )
        parser.add_argument(
            "--progress",
            action="store_true",
            help="Show the progress bar even when the output is not a terminal.",
        )

    def handle(
        self, *args, to: str, verify: bool, dry_run: bool, progress: bool, **options
    ) -> None:
        try:
            source, target = local_store(), s3_store()
            target.require_object_lock()
        except (ImproperlyConfigured, StoreError) as exc:
            raise CommandError(str(exc)) from exc
        count, total = 0, 0
        originals = source.keys()
        for sha256 in originals:
            count += 1
            total += source.size(sha256)
        self.stdout.write(f"{count} originals, {_bytes(total)} in {source.root}")
        if dry_run:
            originals = source.keys()
            missing = [sha for sha in originals if not target.exists(sha)]
            self.stdout.write(f"{len(missing)} of them are not yet in bucket {target.bucket!r}.")
            return
        bar = ProgressBar(count, "originals → S3", force=progress)
        try:
            report = copy_originals(
                source,
                target,
                keep_until=_keep_until,
                reread=verify,
                progress=lambda sha256, size, status: bar.advance(),
            )
        except StorageFull as exc:
            raise CommandError(f"{exc} Run the command again once there is room.") from exc
        except KeyboardInterrupt:
            raise CommandError("Interrupted; run the command again to go on.") from None
        finally:
            bar.close()
        self.stdout.write(
            f"Copied {report.copied} ({_bytes(report.copied_bytes)}), "
            f"{report.present} were already in S3, {len(report.failed)} failed."
        )
        if report.failed:
            for sha256, reason in report.failed:
                self.stderr.write(f"  {sha256}: {reason}")
            raise CommandError(
                "Some originals were not copied; nothing else was affected. "
                "Look into them (a local original that no longer matches its hash is a fixity "
                "failure) and run the command again."
            )
        self.stdout.write(self.style.SUCCESS("Every original is in S3."))


def _keep_until(sha256: str):
    """Lock a copy at least as long as the record says it must be kept (第十二条)."""
    from fullrecord.media.models import MediaItem

    return MediaItem.objects.filter(sha256=sha256).values_list("keep_until", flat=True).first()


def _bytes(count: int) -> str:
    if count < 1024:
        return f"{count} B"
    size, unit = float(count), "B"
    for unit in ("KiB", "MiB", "GiB", "TiB"):  # noqa: B007 - the unit reached is the answer
        size /= 1024
        if size < 1024:
            break
    return f"{size:.1f} {unit}"
