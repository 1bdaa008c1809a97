from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from knox.models import AuthToken

from fullrecord.accounts.models import User
from fullrecord.accounts.services import issue_api_token, revoke_api_tokens


class Command(BaseCommand):
    help = (
        "Issue a new API token for USERNAME and print it: it is shown this once, only its "
        "digest is kept. --rotate revokes the user's other tokens; --revoke and --list "
        "manage the existing ones. Every change is recorded in the audit log."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        action = parser.add_mutually_exclusive_group()
        action.add_argument(
            "--rotate", action="store_true", help="Revoke the user's tokens and issue a new one."
        )
        action.add_argument(
            "--revoke", action="store_true", help="Revoke the user's tokens (all, or --token)."
        )
        action.add_argument(
            "--list",
            dest="show",
            action="store_true",
            help="List the user's tokens (their first characters).",
        )
        parser.add_argument("--token", help="With --revoke: the first characters --list shows.")
        parser.add_argument("--days", type=int, help="Days until the new token expires.")

    def handle(self, *args, username: str, rotate, revoke, show, token, days, **options) -> None:
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(_("No user named %(username)r.") % {"username": username}) from None
        if show:
            for row in AuthToken.objects.filter(user=user).order_by("created"):
                expires = (
                    formats.date_format(timezone.localtime(row.expiry), "Y-m-d H:i")
                    if row.expiry
                    else "-"
                )
                self.stdout.write(f"{row.token_key}\t{expires}")
            return
        if revoke:
            count = revoke_api_tokens(user, token_key=token)
            self.stdout.write(_("%(count)d token(s) revoked.") % {"count": count})
            return
        if not user.is_active:
            raise CommandError(_("User %(username)r is inactive.") % {"username": username})
        if days is not None and days < 1:
            raise CommandError(_("--days must be at least 1."))
        expiry = timedelta(days=days) if days else None
        self.stdout.write(issue_api_token(user, rotate=rotate, expiry=expiry))
