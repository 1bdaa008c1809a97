from django.core.management.base import BaseCommand, CommandError

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
            raise CommandError(f"No user named {username!r}.") from None
        if not user.is_active:
            raise CommandError(f"User {username!r} is inactive.")
        self.stdout.write(issue_api_token(user, rotate=rotate))
