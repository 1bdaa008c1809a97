"""``fullrecord case_transition NUMBER NAME --as USER``: the same move as the page and the API."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from fullrecord.accounts.models import User
from fullrecord.cases.models import Case
from fullrecord.cases.services import do_transition
from fullrecord.cases.workflow import TRANSITIONS


class Command(BaseCommand):
    help = "Move a case through the workflow as a named user (the same rules as everywhere)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("number", help="case number, e.g. QHX-2026-0001")
        parser.add_argument("name", choices=sorted(TRANSITIONS), help="transition")
        parser.add_argument("--as", dest="username", required=True, help="acting user")
        parser.add_argument("--reason", default="")
        parser.add_argument("--hearing-date", default=None)

    def handle(
        self,
        *args,
        number: str,
        name: str,
        username: str,
        reason: str,
        hearing_date: str | None,
        **options,
    ) -> None:
        try:
            case = Case.objects.get(number=number)
            actor = User.objects.get(username=username, is_active=True)
        except (Case.DoesNotExist, User.DoesNotExist) as exc:
            raise CommandError(str(exc)) from None
        data = {"hearing_date": hearing_date} if hearing_date else {}
        try:
            do_transition(case, name, actor=actor, reason=reason, data=data)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(f"{case.number}: {case.get_state_display()}")
