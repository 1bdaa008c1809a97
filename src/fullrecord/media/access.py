"""Who may see an audiovisual record: the one helper for pages, API, content and exports.

An officer sees what they recorded or uploaded and what is linked to their
cases; a section head what belongs to their section (and below); the
leader, legal reviewers, inspectors and archivists what belongs to their
bureau. Missing and forbidden are the same 404.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from fullrecord.accounts.choices import Role
from fullrecord.cases.access import BUREAU_WIDE_ROLES, visible_cases

from .models import MediaItem


def visible_media(user, *, include_grants: bool = True) -> QuerySet[MediaItem]:
    """Items in the user's own reach, plus those an approved access request opens."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return MediaItem.objects.none()
    condition = Q(pk__in=[])
    if user.has_role(Role.OFFICER):
        condition |= Q(officer=user) | Q(uploaded_by=user)
    if user.has_role(Role.SECTION_HEAD) and user.org_unit_id:
        condition |= Q(org_unit__path__startswith=user.org_unit.path)
    if user.has_role(*BUREAU_WIDE_ROLES) and user.org_unit_id:
        condition |= Q(org_unit__path__startswith=user.org_unit.bureau().path)
    linked = Q(case_links__case__in=visible_cases(user, include_grants=False))
    if include_grants:
        from fullrecord.access.grants import granted_item_condition

        linked |= granted_item_condition(user)
    return MediaItem.objects.filter(
        Q(pk__in=MediaItem.objects.filter(condition).values("pk"))
        | Q(pk__in=MediaItem.objects.filter(linked).values("pk"))
    )


def reached_through(user, item: MediaItem):
    """The access request through which ``user`` sees ``item``; None when it is in their own
    reach. Views and plays under a request are recorded with its number (第十七条)."""
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


def get_item(user, pk) -> MediaItem:
    try:
        return visible_media(user).select_related("org_unit", "officer", "cause").get(pk=int(pk))
    except (MediaItem.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
