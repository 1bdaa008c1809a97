"""``fullrecord rotate_sm4_key``: seal every personal-data value again under the current
key (docs/security.md, "Rotating the personal-data key")."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from fullrecord.security import keys, rotation, sm4


class Command(BaseCommand):
    help = (
        "Re-seal every SM4-sealed value under the key in FULLRECORD_DATA_KEY_FILE, reading "
        "older values with the keys in FULLRECORD_DATA_KEY_PREVIOUS_FILES. Resumable."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--batch", type=int, default=500, help="Values per transaction (default 500)."
        )
        parser.add_argument(
            "--check", action="store_true", help="Only say what is left to re-seal; change nothing."
        )

    def handle(self, *args, batch: int, check: bool, **options) -> None:
        if batch < 1:
            raise CommandError("--batch must be at least 1")
        kid = sm4.key_id()
        if check:
            left = rotation.left_to_do(batch)
            for label, count in left.items():
                self.stdout.write(f"{label}: {count}{'+' if count >= batch else ''} to re-seal")
            self.stdout.write(f"current key {kid}: {'nothing left' if not left else 'not done'}")
            if left:
                raise CommandError("values are left under an earlier key")
            return

        def progress(label: str, count: int) -> None:
            self.stdout.write(f"{label}: {count} re-sealed")

        try:
            outcome = rotation.rotate(batch=batch, progress=progress)
        except rotation.RotationError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"{outcome.total} values re-sealed under key {kid}"
            + (
                f" (from {', '.join(sorted(outcome.previous_keys))})"
                if outcome.previous_keys
                else ""
            )
        )
        if outcome.left:
            raise CommandError(f"{outcome.left} values left; run the command again")
        if keys.previous_data_keys():
            self.stdout.write(
                self.style.SUCCESS(
                    "Done. FULLRECORD_DATA_KEY_PREVIOUS_FILES can now be emptied and the old "
                    "key file destroyed (after a backup made from now on)."
                )
            )
