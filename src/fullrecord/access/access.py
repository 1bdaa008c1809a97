"""Who may see an access request: its requester, and the bureau's leaders who decide."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from fullrecord.accounts.choices import Role
from fullrecord.core.refusals import Unreachable

from .models import AccessRequest, Copy


def visible_requests(user) -> QuerySet[AccessRequest]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return AccessRequest.objects.none()
    condition = Q(requester=user)
    if user.has_role(Role.LEADER) and user.org_unit_id:
        # The leader sees the requests their bureau (or one below it) has to decide.
        condition |= Q(bureau__path__startswith=user.org_unit.bureau().path)
    return AccessRequest.objects.filter(condition)


def get_request(user, pk) -> AccessRequest:
    try:
        return (
            visible_requests(user).select_related("requester", "case", "decided_by").get(pk=int(pk))
        )
    except (AccessRequest.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Unreachable from None


def get_copy(user, pk) -> Copy:
    """A copy is handed to the person who made it, while their approval lasts."""
    try:
        # Renditions are played through media playback grants, never handed out as files.
        copy = Copy.objects.select_related("request").get(
            pk=int(pk), made_by=user, state="ready", kind__in=("watermarked", "export")
        )
    except (Copy.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Unreachable from None
    if not copy.request.is_active():
        raise Unreachable
    return copy
