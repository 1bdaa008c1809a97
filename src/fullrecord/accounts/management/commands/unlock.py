from django.core.management.base import BaseCommand

from fullrecord.accounts import signin


class Command(BaseCommand):
    help = "Lift the sign-in lock on USERNAME before it ends (recorded as account.unlocked)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")

    def handle(self, *args, username: str, **options) -> None:
        if signin.unlock(username):
            self.stdout.write(f"{username}: unlocked")
        else:
            self.stdout.write(f"{username}: was not locked")
