"""What retention makes someone the next actor of (待办)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from fullrecord.accounts.choices import Role
from fullrecord.core.todo import TodoItem

from .choices import HoldState, SweepState
from .models import Hold, Sweep


def waiting_for(user) -> list[TodoItem]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    items: list[TodoItem] = []
    roles = user.roles
    if roles & {Role.ARCHIVIST, Role.LEADER}:
        for sweep in Sweep.objects.filter(state=SweepState.LISTED):
            if user.pk in (sweep.archivist_approval_by_id, sweep.leader_approval_by_id):
                continue
            wanted = (Role.ARCHIVIST in roles and sweep.archivist_approval_by_id is None) or (
                Role.LEADER in roles and sweep.leader_approval_by_id is None
            )
            if wanted:
                items.append(
                    TodoItem(
                        kind="retention.approve",
                        title=_("Approve deletion sweep %(number)s") % {"number": sweep.number},
                        url=sweep.get_absolute_url(),
                        subject=sweep.number,
                        due=sweep.grace_until,
                    )
                )
    if Role.LEADER in roles:
        for hold in Hold.objects.filter(state=HoldState.RELEASE_ASKED):
            items.append(
                TodoItem(
                    kind="retention.release",
                    title=_("Decide the release of a hold: %(label)s") % {"label": hold.label},
                    url=hold.get_absolute_url(),
                    subject=hold.label,
                )
            )
    return items


def due_url() -> str:
    return reverse("retention:due")
