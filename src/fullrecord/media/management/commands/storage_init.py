from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from fullrecord.media.store import StoreError, s3_store


class Command(BaseCommand):
    help = (
        "Create the S3 bucket for originals with Object Lock enabled, when it does not exist "
        "(first set-up; see docs/storage.md for production buckets)."
    )

    def handle(self, *args, **options) -> None:
        try:
            store = s3_store()
            outcome = store.ensure_bucket()
        except (ImproperlyConfigured, StoreError) as exc:
            raise CommandError(str(exc)) from exc
        if outcome == "created":
            self.stdout.write(
                self.style.SUCCESS(f"Created bucket {store.bucket!r} with Object Lock enabled.")
            )
        else:
            self.stdout.write(f"Bucket {store.bucket!r} exists and has Object Lock enabled.")
        self.stdout.write(
            f"Originals will be locked in compliance mode for at least {store.retention_days} days."
        )
