"""Who may see an audiovisual record: the one helper for pages, API, content and exports.

An officer sees what they recorded or uploaded and what is linked to their
cases; a section head what belongs to their section (and below); the
leader, legal reviewers, inspectors and archivists what belongs to their
bureau. Missing and forbidden are the same 404.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from fullrecord.accounts.choices import Role
from fullrecord.accounts.models import OrgUnit
from fullrecord.cases.access import BUREAU_WIDE_ROLES, visible_cases
from fullrecord.core.refusals import Unreachable

from .models import CaseMediaLink, MediaItem


def visible_media(user, *, include_grants: bool = True) -> QuerySet[MediaItem]:
    """Items in the user's own reach, plus those an approved access request opens.

    One flat condition on the item's own columns, the units resolved to ids first:
    a keyset page then walks an index ending in (used_at, id) and stops after a page.
    (``pk IN (SELECT id FROM media_mediaitem JOIN accounts_orgunit ...)`` made every
    page collect every visible pk first: O(items) per page.)
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return MediaItem.objects.none()
    units = Q(pk__in=[])
    if user.has_role(Role.SECTION_HEAD) and user.org_unit_id:
        units |= Q(path__startswith=user.org_unit.path)
    if user.has_role(*BUREAU_WIDE_ROLES) and user.org_unit_id:
        units |= Q(path__startswith=user.org_unit.bureau().path)
    condition = Q(pk__in=[])
    unit_ids = list(OrgUnit.objects.filter(units).values_list("pk", flat=True))
    if unit_ids:
        condition |= Q(org_unit_id__in=unit_ids)
    if user.has_role(Role.OFFICER):
        condition |= Q(officer=user) | Q(uploaded_by=user)
    cases = visible_cases(user, include_grants=False)
    condition |= Q(pk__in=CaseMediaLink.objects.filter(case__in=cases).values("item_id"))
    if include_grants:
        from fullrecord.access.grants import active_requests

        granted = list(active_requests(user).values_list("pk", "case_id"))
        if granted:
            through = MediaItem.access_requests.through
            requests = [pk for pk, _ in granted]
            granted_cases = [case for _, case in granted if case is not None]
            condition |= Q(
                pk__in=through.objects.filter(accessrequest__in=requests).values("mediaitem")
            ) | Q(pk__in=CaseMediaLink.objects.filter(case__in=granted_cases).values("item_id"))
    return MediaItem.objects.filter(condition)


def reached_through(user, item: MediaItem):
    """The access request through which ``user`` sees ``item``; None when it is in their own
    reach. Views and plays under a request are recorded with its number (第十七条), and
    those who see an item only this way play a watermarked rendition. The own-reach grounds
    are checked on the loaded row first (no query for the common case)."""
    if _in_own_reach(user, item):
        return None
    if visible_media(user, include_grants=False).filter(pk=item.pk).exists():
        return None
    from fullrecord.access.grants import request_for_item

    return request_for_item(user, item)


def can_upload(user) -> bool:
    return user.is_authenticated and user.has_role(
        Role.OFFICER, Role.SECTION_HEAD, Role.LEADER, Role.ARCHIVIST
    )


def can_classify(user, item: MediaItem) -> bool:
    """Correcting the six fields: the officer who recorded it, their section head, the leader."""
    if user.has_role(Role.LEADER):
        # Within the leader's own reach; not what an access request opened to them.
        return visible_media(user, include_grants=False).filter(pk=item.pk).exists()
    if user.has_role(Role.SECTION_HEAD) and item.org_unit_id and user.org_unit_id:
        return item.org_unit.path.startswith(user.org_unit.path)
    return user.has_role(Role.OFFICER) and user.pk in (item.officer_id, item.uploaded_by_id)


def _in_own_reach(user, item: MediaItem) -> bool:
    """The common grounds of ``visible_media`` checked on one loaded item, no query:
    recorded or uploaded by the user, or of a unit under the user's section or bureau."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.has_role(Role.OFFICER) and user.pk in (item.officer_id, item.uploaded_by_id):
        return True
    if item.org_unit_id is None or not user.org_unit_id:
        return False
    path = item.org_unit.path
    if user.has_role(Role.SECTION_HEAD) and path.startswith(user.org_unit.path):
        return True
    return user.has_role(*BUREAU_WIDE_ROLES) and path.startswith(user.org_unit.bureau().path)


def get_item(user, pk) -> MediaItem:
    """The item if ``user`` may see it, else 404. Content requests (a player asks for many
    ranges) come here: the own-reach grounds are checked on the loaded row, and only an
    item outside them costs the full ``visible_media`` query (case links, grants)."""
    try:
        item = MediaItem.objects.select_related("org_unit", "officer", "cause").get(pk=int(pk))
    except (MediaItem.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Unreachable from None
    if _in_own_reach(user, item) or visible_media(user).filter(pk=item.pk).exists():
        return item
    raise Unreachable
