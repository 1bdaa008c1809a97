from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import autodiscover_modules

from fullrecord.accounts.models import User
from fullrecord.core import demo


class Command(BaseCommand):
    help = "Load a small demo bureau (units, people of every role, cases at every stage)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already has users.",
        )
        parser.add_argument(
            "--accounts", action="store_true", help="Only print the demo accounts that exist."
        )

    def handle(self, *args, if_empty: bool, accounts: bool, **options) -> None:
        if accounts:
            autodiscover_modules("demo")  # the apps' demo modules name their accounts
            names = [p[0] for p in demo.PEOPLE] + demo.MORE_ACCOUNTS
            self._print(User.objects.filter(username__in=names).order_by("pk"))
            return
        if User.objects.exists():
            if if_empty:
                return
            raise CommandError("The database already has users; the demo loads into an empty one.")
        users = demo.build()
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self._print(users.values())

    def _print(self, users) -> None:
        users = list(users)
        if not users:
            return
        self.stdout.write(f"Demo accounts (password: {demo.DEMO_PASSWORD}):")
        for user in users:
            roles = "、".join(user.role_labels())
            self.stdout.write(f"  {user.username:<10} {user.full_name}  {roles}")
