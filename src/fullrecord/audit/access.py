"""Who may read which audit entries: the one helper for the search page, the API and exports.

- Everyone holding a role sees the entries of their own actions (an officer sees no more).
- A section head also sees entries about the cases and audiovisual records in their own
  reach (``visible_cases``, ``visible_media``, without what access requests open) and
  about or by the people of their section.
- The leader in charge, the inspection team and administrators see their bureau's log:
  entries by its people and about its cases, records and people. Administrators also see
  the entries that belong to no bureau (failed sign-ins with unknown usernames, system
  events).
- The audit administrator (审计管理员) sees every entry, those of the other administrators
  included (GB/T 22239-2019 8.1.4.2 d).
- A signed-in user without a role sees nothing; the pages answer 404 to them.

Missing and forbidden are the same 404, so sequence numbers cannot be probed.
"""

from __future__ import annotations

from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast

from fullrecord.accounts.choices import Role
from fullrecord.accounts.models import User
from fullrecord.cases.access import visible_cases
from fullrecord.cases.models import Case
from fullrecord.core.refusals import Unreachable
from fullrecord.media.access import visible_media
from fullrecord.media.models import MediaItem

from .models import AuditEntry

BUREAU_LOG_ROLES = (Role.LEADER, Role.INSPECTOR, Role.ADMIN)
MEDIA = "media.mediaitem"
PERSON = "accounts.user"


def can_search(user) -> bool:
    """Whether the audit pages and API are there for ``user`` at all."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.roles)


def _ids(queryset: QuerySet) -> QuerySet:
    """Primary keys as text, to compare with ``AuditEntry.object_id``."""
    return queryset.order_by().annotate(_sid=Cast("pk", output_field=CharField())).values("_sid")


def _about_unit(path: str) -> Q:
    """Entries by people of the units under ``path`` and about those people."""
    people = User.objects.filter(org_unit__path__startswith=path)
    return Q(actor__org_unit__path__startswith=path) | Q(
        object_type=PERSON, object_id__in=_ids(people)
    )


def visible_entries(user) -> QuerySet[AuditEntry]:
    if not can_search(user):
        return AuditEntry.objects.none()
    # One's own actions, except the receipt of bytes someone else already holds in a record
    # one may not see: its entry names that record, and a duplicate upload must not reveal
    # it (issue 8). The record's own trail keeps the entry for those who may read it.
    condition = Q(actor=user) & ~(
        Q(action="media.duplicate", object_type=MEDIA) & ~Q(object_id__in=_ids(visible_media(user)))
    )
    if user.has_role(Role.SECTION_HEAD) and user.org_unit_id:
        # Their own reach only: an approved access request (第十七条) opens a record to
        # view, not the trail of who else handled it.
        cases = visible_cases(user, include_grants=False)
        condition |= Q(case_id__in=cases.values("pk"))
        condition |= Q(
            object_type=MEDIA, object_id__in=_ids(visible_media(user, include_grants=False))
        )
        condition |= _about_unit(user.org_unit.path)
    if user.has_role(*BUREAU_LOG_ROLES) and user.org_unit_id:
        path = user.org_unit.bureau().path
        cases = Case.objects.filter(org_unit__path__startswith=path)
        media = MediaItem.objects.filter(org_unit__path__startswith=path)
        condition |= Q(case_id__in=cases.values("pk"))
        condition |= Q(object_type=MEDIA, object_id__in=_ids(media))
        condition |= _about_unit(path)
    if user.has_role(Role.ADMIN):
        condition |= Q(actor__isnull=True, case_id__isnull=True, object_type="")
    if user.has_role(Role.AUDIT_ADMIN):
        # 三员: the audit administrator reads everyone's entries, the other two
        # administrators' included; their own searches are recorded like anyone's.
        return AuditEntry.objects.all()
    return AuditEntry.objects.filter(condition)


def get_entry(user, seq) -> AuditEntry:
    """The entry if ``user`` may read it; else 404, whatever the reason."""
    try:
        number = int(seq)
        if not 0 < number < 2**63:
            raise ValueError(number)
        return visible_entries(user).select_related("actor").get(seq=number)
    except (AuditEntry.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Unreachable from None


def require_search(user) -> None:
    if not can_search(user):
        raise Unreachable
