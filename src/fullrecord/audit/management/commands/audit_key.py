"""``fullrecord audit_key``: the audit signing keys — list them, rotate the current one."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from fullrecord.audit import services, signing
from fullrecord.audit.models import SigningKey


class Command(BaseCommand):
    help = (
        "Audit signing keys. `rotate` writes a new key over the key file (run it as the user "
        "that may write that file, with the server's environment); `list` shows every key "
        "that signed and whether verify trusts it."
    )

    # `rotate` also makes the first key, which the system check (E002) would wait for.
    requires_system_checks: list = []

    def add_arguments(self, parser) -> None:
        parser.add_argument("action", choices=["rotate", "list"])

    def handle(self, *args, action: str, **options) -> None:
        if action == "rotate":
            try:
                old_id, new_id = services.rotate_signing_key()
            except (services.RotationRefused, OSError, signing.SigningKeyMissing) as exc:
                raise CommandError(f"the key was not rotated: {exc}") from exc
            self.stdout.write(f"retired key: {old_id or '(none)'}")
            self.stdout.write(f"new key:     {new_id}  ({signing.key_path()})")
            self.stdout.write(
                "Hand the new public key (fullrecord audit_pubkey) to the inspection team "
                "out of band, with today's date and the reason for the change."
            )
            return
        trusted, problems = services.trusted_keys()
        for problem in problems:
            self.stderr.write(problem)
        for key in SigningKey.objects.order_by("created_at"):
            state = (
                "current" if key.retired_at is None else f"retired {key.retired_at:%Y-%m-%d %H:%M}"
            )
            trust = "trusted" if key.key_id in trusted else "NOT trusted"
            self.stdout.write(f"{key.key_id}  {key.created_at:%Y-%m-%d %H:%M}  {state}  {trust}")
