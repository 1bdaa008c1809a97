"""What waits for a user in cases: moves that are theirs, changes to decide, deadlines.

Registered with :mod:`fullrecord.core.todo` in ``CasesConfig.ready``.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from fullrecord.accounts.choices import Role
from fullrecord.core.todo import TodoItem

from .access import BUREAU_WIDE_ROLES, _bureau_path
from .changes import pending_for
from .choices import CaseState
from .deadlines import due_soon_cutoff, open_limits
from .models import Case
from .workflow import next_moves, states_waiting_for

LIMIT = 50  # a queue longer than this is read on the case list with filters


def _cases_waiting(user, roles: frozenset[str]) -> Q:
    condition = Q(pk__in=[])
    if Role.OFFICER in roles:
        condition |= Q(assignments__officer=user, state__in=states_waiting_for(Role.OFFICER))
    if Role.SECTION_HEAD in roles and user.org_unit_id:
        condition |= Q(
            org_unit__path__startswith=user.org_unit.path,
            state__in=states_waiting_for(Role.SECTION_HEAD),
        )
    path = _bureau_path(user) if user.org_unit_id and roles & set(BUREAU_WIDE_ROLES) else None
    for role in BUREAU_WIDE_ROLES:
        if path and role in roles:
            condition |= Q(org_unit__path__startswith=path, state__in=states_waiting_for(role))
    return condition


def case_moves(user) -> Iterable[TodoItem]:
    """Cases whose next forward move is this user's (立案 for the head, 法制审核 for legal …)."""
    if not user.is_authenticated or not user.is_active:
        return []
    roles = user.roles
    if not roles:
        return []
    cases = (
        Case.objects.filter(pk__in=Case.objects.filter(_cases_waiting(user, roles)).values("pk"))
        .select_related("cause")
        .order_by("updated_at", "id")[:LIMIT]
    )
    items = []
    for case in cases:
        moves = "、".join(str(t.label) for t in next_moves(case.state))
        items.append(
            TodoItem(
                kind="case.move",
                title=_("%(action)s: %(cause)s") % {"action": moves, "cause": case.cause},
                url=case.get_absolute_url() + "#actions",
                subject=case.number,
            )
        )
    return items


def changes_to_decide(user) -> Iterable[TodoItem]:
    return [
        TodoItem(
            kind="case.change",
            title=_("Decide a change of the case's facts: %(changes)s")
            % {"changes": change.summary()},
            url=change.case.get_absolute_url() + "#changes",
            subject=change.case.number,
        )
        for change in pending_for(user).order_by("requested_at")[:LIMIT]
    ]


def deadlines_due(user) -> Iterable[TodoItem]:
    """Limits the bureau must meet, due soon or overdue, on cases this user handles."""
    if not user.is_authenticated or not user.is_active:
        return []
    roles = user.roles
    if not roles & {Role.OFFICER, Role.SECTION_HEAD}:
        return []
    condition = Q(pk__in=[])
    if Role.OFFICER in roles:
        condition |= Q(assignments__officer=user)
    if Role.SECTION_HEAD in roles and user.org_unit_id:
        condition |= Q(org_unit__path__startswith=user.org_unit.path)
    today = timezone.localdate()
    cutoff = due_soon_cutoff(today, settings.FULLRECORD_DUE_SOON_WORKING_DAYS)
    deadlines = (
        open_limits()
        .filter(
            case__in=Case.objects.filter(condition).values("pk"),
            due_on__lte=cutoff,
        )
        .exclude(case__state__in=[CaseState.ARCHIVED])
        .select_related("case", "rule")
        .order_by("due_on")[:LIMIT]
    )
    return [
        TodoItem(
            kind="case.deadline",
            title=_("Time limit: %(name)s") % {"name": d.rule.name},
            url=d.case.get_absolute_url() + "#deadlines",
            subject=d.case.number,
            due=d.due_on,
            overdue=d.due_on < today,
        )
        for d in deadlines
    ]
