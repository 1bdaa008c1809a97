"""What waits in access approvals: requests the leader decides, copies ready to fetch."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from fullrecord.accounts.choices import Role
from fullrecord.audit.models import AuditEntry
from fullrecord.core.todo import TodoItem

from .choices import RequestState
from .models import AccessRequest, Copy

LIMIT = 50


def requests_to_decide(user) -> Iterable[TodoItem]:
    """第十七条: the leader in charge decides; never on their own request."""
    if not user.is_authenticated or not user.has_role(Role.LEADER) or not user.org_unit_id:
        return []
    pending = (
        AccessRequest.objects.filter(
            state=RequestState.PENDING, bureau__path__startswith=user.org_unit.bureau().path
        )
        .exclude(requester=user)
        .select_related("requester")
        .order_by("created_at")[:LIMIT]
    )
    return [
        TodoItem(
            kind="access.decide",
            title=_("Decide the access request of %(who)s: %(reason)s")
            % {"who": r.requester, "reason": r.reason[:60]},
            url=r.get_absolute_url(),
            subject=r.number,
        )
        for r in pending
    ]


def copies_ready(user) -> Iterable[TodoItem]:
    if not user.is_authenticated:
        return []
    now = timezone.now()
    # A copy once fetched no longer waits (each download is in the log with its hash).
    fetched = AuditEntry.objects.filter(action="access.copy_download", actor=user).values_list(
        "data__sha256", flat=True
    )
    ready = (
        Copy.objects.filter(
            made_by=user,
            state="ready",
            kind__in=("watermarked", "export"),
            request__state=RequestState.APPROVED,
        )
        .filter(Q(request__expires_at__isnull=True) | Q(request__expires_at__gt=now))
        .exclude(sha256__in=[h for h in fetched if h])
        .select_related("request")
        .order_by("-made_at")[:LIMIT]
    )
    return [
        TodoItem(
            kind="access.copy",
            title=_("Copy ready to download: %(name)s") % {"name": c.filename},
            url=c.request.get_absolute_url(),
            subject=c.request.number,
        )
        for c in ready
    ]
