"""Who may see and do what with a case: the one helper pages, API and exports use.

Default deny. A role only counts for a case inside its holder's reach:
an officer for cases assigned to them (opening a case assigns its opener, and
taking an officer off a case takes their reach with it), a section head for
cases of their unit and the units below, the leader in charge, legal
reviewers, inspectors and archivists for cases of their bureau and below.
"Missing" and "forbidden" are the same 404, so case ids cannot be probed.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from fullrecord.accounts.choices import Role
from fullrecord.core.refusals import Unreachable

from .choices import FINAL_STATES
from .models import Case

BUREAU_WIDE_ROLES = (Role.LEADER, Role.LEGAL, Role.INSPECTOR, Role.ARCHIVIST)


def _bureau_path(user) -> str | None:
    return user.org_unit.bureau().path if user.org_unit_id else None


def visible_cases(user, *, include_grants: bool = True) -> QuerySet[Case]:
    """Cases within the user's own reach, plus those an approved access request opens."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Case.objects.none()
    condition = Q(pk__in=[])
    if user.has_role(Role.OFFICER):
        condition |= Q(assignments__officer=user)
    if user.has_role(Role.SECTION_HEAD) and user.org_unit_id:
        condition |= Q(org_unit__path__startswith=user.org_unit.path)
    if user.has_role(*BUREAU_WIDE_ROLES) and (path := _bureau_path(user)):
        condition |= Q(org_unit__path__startswith=path)
    if include_grants:
        from fullrecord.access.grants import granted_case_ids

        condition |= Q(pk__in=granted_case_ids(user))
    return Case.objects.filter(pk__in=Case.objects.filter(condition).values("pk"))


def acting_roles(user, case: Case) -> set[str]:
    """The roles ``user`` holds that reach this particular case."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    roles: set[str] = set()
    if user.has_role(Role.OFFICER) and case.assignments.filter(officer=user).exists():
        roles.add(Role.OFFICER)
    unit_path = case.org_unit.path
    if (
        user.has_role(Role.SECTION_HEAD)
        and user.org_unit_id
        and unit_path.startswith(user.org_unit.path)
    ):
        roles.add(Role.SECTION_HEAD)
    path = _bureau_path(user)
    if path and unit_path.startswith(path):
        roles.update(role for role in BUREAU_WIDE_ROLES if user.has_role(role))
    return roles


# Actions other than transitions, and the roles that may take them.
ACTION_ROLES: dict[str, set[str]] = {
    "view": {Role.OFFICER, Role.SECTION_HEAD, *BUREAU_WIDE_ROLES},
    "edit": {Role.OFFICER, Role.SECTION_HEAD, Role.LEADER},
    "assign": {Role.SECTION_HEAD, Role.LEADER},
}


def users_acting_as(case: Case, roles) -> list:
    """The active users holding one of ``roles`` for this case (whom to tell, who acts next)."""
    from fullrecord.accounts.models import User

    roles = set(roles)
    # Candidates: their unit lies above the case's unit or inside its bureau, or they are
    # assigned to it; acting_roles then decides exactly.
    candidates = (
        User.objects.filter(is_active=True, role_grants__role__in=roles)
        .filter(
            Q(org_unit__path__in=_prefixes(case.org_unit.path))
            | Q(org_unit__path__startswith=case.org_unit.bureau().path)
            | Q(case_assignments__case=case)
        )
        .select_related("org_unit")
        .distinct()
        .order_by("username")
    )
    return [user for user in candidates if acting_roles(user, case) & roles]


def _prefixes(path: str) -> list[str]:
    parts = path.strip("/").split("/")
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def can(user, action: str, case: Case) -> bool:
    if action != "view" and case.state in FINAL_STATES:
        return False  # an archived or ended case file is no longer changed
    if acting_roles(user, case) & ACTION_ROLES[action]:
        return True
    # 第十七条: an approved, unexpired access request lets its requester see the case.
    return action == "view" and request_for_case(user, case) is not None


def request_for_case(user, case: Case):
    from fullrecord.access.grants import request_for_case as lookup

    return lookup(user, case)


def can_open_case(user) -> bool:
    return user.is_authenticated and user.has_role(Role.OFFICER, Role.SECTION_HEAD, Role.LEADER)


def get_case(user, pk, action: str = "view") -> Case:
    """The case if ``user`` may take ``action`` on it; else 404, whatever the reason."""
    try:
        case = visible_cases(user).select_related("cause", "org_unit", "created_by").get(pk=int(pk))
    except (Case.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Unreachable from None
    if not can(user, action, case):
        raise Unreachable
    return case
