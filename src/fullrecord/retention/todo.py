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
    if roles & {Role.ARCHIVIST, Role.LEADER}:
        items.extend(_fixity_failures(user))
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


def _fixity_failures(user, limit: int = 50) -> list[TodoItem]:
    """Originals the fixity sweep found altered or missing (第十八条第二项), on the dashboard
    of the archivists and leaders it alerted (``media.fixity.recipients``: their bureau's)
    until a check finds them intact again (restored from the backup), each named with its
    cases and who recorded it."""
    from fullrecord.media import fixity
    from fullrecord.media.models import MediaItem

    failing = MediaItem.objects.filter(fixity__in=fixity.FAILED)
    if user.org_unit_id is not None:
        failing = failing.filter(org_unit__path__startswith=user.org_unit.bureau().path)
    rows = failing.order_by("fixity_failed_at", "pk").values_list(
        "pk", "fixity", "fixity_failed_at"
    )
    return [
        TodoItem(
            kind="retention.fixity",
            title=_("Fixity failed: %(failure)s")
            % {"failure": fixity.describe(pk, status).describe()},
            url=reverse("media:detail", args=[pk]),
            subject=_("original #%(id)s") % {"id": pk},
            due=failed_at.date() if failed_at else None,
            overdue=True,
        )
        for pk, status, failed_at in rows[:limit]
    ]


def due_url() -> str:
    return reverse("retention:due")
