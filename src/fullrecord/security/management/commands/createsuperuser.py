"""``createsuperuser`` is refused: a single all-powerful account defeats 三员分立
(GB/T 22239-2019 8.1.4.2 d). ``fullrecord createadmins`` makes the three administrators."""

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Refused: use `fullrecord createadmins` (three separate administrators)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("args", nargs="*")
        parser.add_argument("--noinput", "--no-input", action="store_true")
        parser.add_argument("--username")
        parser.add_argument("--email")
        parser.add_argument("--database")

    def handle(self, *args, **options) -> None:
        raise CommandError(
            "No single all-powerful account (三员分立): run `fullrecord createadmins` to make "
            "the system, security and audit administrators, three different people."
        )
