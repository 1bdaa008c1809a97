"""What approved access requests open up. Read by the cases and media access helpers.

Kept free of view code and cheap to call: one query per question.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from .choices import RequestState


def active_requests(user) -> QuerySet:
    from .models import AccessRequest

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return AccessRequest.objects.none()
    return AccessRequest.objects.filter(
        requester=user, state=RequestState.APPROVED, expires_at__gt=timezone.now()
    )


def granted_case_ids(user) -> QuerySet:
    return active_requests(user).exclude(case=None).values("case_id")


def granted_item_condition(user) -> Q:
    """Items opened by a request: chosen one by one, or linked to a granted case."""
    requests = active_requests(user)
    return Q(access_requests__in=requests) | Q(case_links__case_id__in=granted_case_ids(user))


def request_for_item(user, item, *, copies: bool = False):
    """The active request through which ``user`` reaches ``item`` (the most recent)."""
    requests = (
        active_requests(user)
        .filter(Q(items=item) | Q(case__media_links__item=item))
        .distinct()
        .order_by("-decided_at")
    )
    if copies:
        requests = requests.filter(purpose__in=["copy", "export"])
    return requests.first()


def request_for_case(user, case):
    return active_requests(user).filter(case=case).order_by("-decided_at").first()
