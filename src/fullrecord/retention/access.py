"""Who may see and do what in retention: the one helper for pages, API and commands.

Default deny. Missing and forbidden are the same 404.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from fullrecord.accounts.choices import Role
from fullrecord.cases.access import visible_cases
from fullrecord.core.refusals import Unreachable
from fullrecord.media.access import visible_media

from .models import CaseExport, CaseFileTerm, Hold, Sweep

# The due-for-deletion list and the sweeps: those who approve, and the inspection team.
SWEEP_READERS = (Role.ARCHIVIST, Role.LEADER, Role.INSPECTOR)
HOLD_READERS = (Role.SECTION_HEAD, Role.INSPECTOR, Role.LEADER, Role.ARCHIVIST)
EXPORTERS = (Role.ARCHIVIST,)


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def can_read_sweeps(user) -> bool:
    return _active(user) and user.has_role(*SWEEP_READERS)


def can_approve(user) -> bool:
    return _active(user) and user.has_role(Role.ARCHIVIST, Role.LEADER)


def can_propose(user) -> bool:
    return _active(user) and user.has_role(Role.ARCHIVIST, Role.LEADER)


# Case-file terms: the administrator keeps them; those who deal with retention read them.
TERM_READERS = (Role.ADMIN, *SWEEP_READERS)


def can_read_terms(user) -> bool:
    return _active(user) and user.has_role(*TERM_READERS)


def visible_terms(user) -> QuerySet[CaseFileTerm]:
    """Terms are the whole system's (no bureau of their own): all of them, for the readers."""
    if not can_read_terms(user):
        return CaseFileTerm.objects.none()
    return CaseFileTerm.objects.all()


def get_term(user, pk) -> CaseFileTerm:
    try:
        return visible_terms(user).get(pk=int(pk))
    except (CaseFileTerm.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Unreachable from None


def can_export(user) -> bool:
    return _active(user) and user.has_role(*EXPORTERS)


def visible_holds(user) -> QuerySet[Hold]:
    """Holds on what the user sees, for the roles that place, release or keep them."""
    if not _active(user) or not user.has_role(*HOLD_READERS):
        return Hold.objects.none()
    items = visible_media(user, include_grants=False)
    cases = visible_cases(user, include_grants=False)
    return Hold.objects.filter(
        Q(item__in=items)
        | Q(case__in=cases)
        | Q(session__in=items.filter(session__isnull=False).values("session_id"))
    ).distinct()


def get_hold(user, pk) -> Hold:
    try:
        return visible_holds(user).get(pk=int(pk))
    except (Hold.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Unreachable from None


def visible_sweeps(user) -> QuerySet[Sweep]:
    """The sweeps of the reader's bureau and the bureaus below it."""
    if not can_read_sweeps(user) or not user.org_unit_id:
        return Sweep.objects.none()
    bureau = user.org_unit.bureau()
    return Sweep.objects.filter(Q(bureau__path__startswith=bureau.path) | Q(bureau__isnull=True))


def get_sweep(user, pk) -> Sweep:
    try:
        return visible_sweeps(user).get(pk=int(pk))
    except (Sweep.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Unreachable from None


def visible_exports(user) -> QuerySet[CaseExport]:
    if not can_export(user):
        return CaseExport.objects.none()
    return CaseExport.objects.filter(made_by=user)


def get_export(user, pk) -> CaseExport:
    try:
        return visible_exports(user).get(pk=int(pk))
    except (CaseExport.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Unreachable from None
