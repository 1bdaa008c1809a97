from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from fullrecord.accounts.models import User
from fullrecord.accounts.services import issue_api_token


class Command(BaseCommand):
    help = "Print the API token of USERNAME (created on first use)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--rotate", action="store_true", help="Replace the existing token.")

    def handle(self, *args, username: str, rotate: bool, **options) -> None:
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(_("No user named %(username)r.") % {"username": username}) from None
        if not user.is_active:
            raise CommandError(_("User %(username)r is inactive.") % {"username": username})
        self.stdout.write(issue_api_token(user, rotate=rotate))
