"""Cases put straight into a state, ready for the next move, for the workflow tests.

The rows are made with factories, not by walking the workflow, so a broken
move cannot hide behind the set-up of another one.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from fullrecord.cases import services
from fullrecord.cases.choices import CaseState, LimitKind
from fullrecord.cases.models import Case, CaseDeadline, TimeLimitRule
from fullrecord.core.testing.factories import AssignmentFactory, CaseFactory, PartyFactory

BEFORE_FILING = (CaseState.DISCOVERED, CaseState.STOPPED)


def ready_case(
    bureau,
    state: str,
    *,
    unit=None,
    windows: str = "ended",
    today: date | None = None,
    officers=None,
    party: bool = True,
) -> Case:
    """A case in ``state`` that meets every built-in requirement of the moves out of it.

    Officer and officer2 (both certified) are assigned, there is a party, and at
    ``notified`` the party's windows have ``ended`` (or are still ``open``).
    """
    today = today or timezone.localdate()
    case = CaseFactory(
        org_unit=unit or bureau.section1,
        created_by=bureau.leader,
        state=state,
        filed_on=None if state in BEFORE_FILING else today - timedelta(days=30),
    )
    for index, officer in enumerate(
        officers if officers is not None else [bureau.officer, bureau.officer2]
    ):
        AssignmentFactory(case=case, officer=officer, is_lead=index == 0)
    if party:
        PartyFactory(case=case)
    if state == CaseState.NOTIFIED:
        if windows == "ended":
            start, due = today - timedelta(days=20), today - timedelta(days=10)
        else:
            start, due = today - timedelta(days=1), today + timedelta(days=10)
        for code in ("statement_window", "hearing_request_window"):
            CaseDeadline.objects.create(
                case=case,
                rule=TimeLimitRule.objects.get(code=code),
                kind=LimitKind.WINDOW,
                started_on=start,
                due_on=due,
            )
    return case


def attempt(case: Case, name: str, user, **kwargs) -> bool:
    """Whether ``user`` may make move ``name`` now; the database is left as it was."""
    try:
        with transaction.atomic():
            services.do_transition(case, name, actor=user, **kwargs)
            transaction.set_rollback(True)
    except services.TransitionRefused:
        return False
    finally:
        case.refresh_from_db()
    return True


def refusal(case: Case, name: str, user, **kwargs) -> list[str]:
    """The messages with which ``user``'s move ``name`` is refused (fails if it is not)."""
    try:
        services.do_transition(case, name, actor=user, **kwargs)
    except services.TransitionRefused as exc:
        return exc.messages
    raise AssertionError(f"{user} was allowed to {name} from {case.state}")
