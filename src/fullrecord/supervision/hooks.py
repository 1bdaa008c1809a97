"""What the inspection team's app registers with the lower apps (``SupervisionConfig.ready``)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from fullrecord.core.todo import TodoItem

from . import access
from .choices import RectificationState, ReviewState
from .models import Review


def todo_items(user) -> list[TodoItem]:
    """Orders to answer (assignee, section head) and to judge (team); reviews left open."""
    if not getattr(user, "is_authenticated", False):
        return []
    today = timezone.localdate()
    items = []
    visible = access.visible_rectifications(user)
    for order in visible.filter(state=RectificationState.OPEN)[:50]:
        if access.can_answer(user, order):
            items.append(
                TodoItem(
                    kind="supervision.answer",
                    title=_("Answer rectification order %(number)s") % {"number": order.number},
                    url=order.get_absolute_url(),
                    subject=order.finding[:60],
                    due=order.deadline,
                    overdue=order.deadline < today,
                )
            )
    if access.is_team(user):
        for order in visible.filter(state=RectificationState.ANSWERED)[:50]:
            items.append(
                TodoItem(
                    kind="supervision.judge",
                    title=_("Check the answer to order %(number)s") % {"number": order.number},
                    url=order.get_absolute_url(),
                    subject=order.assigned_to,
                )
            )
        for review in Review.objects.filter(reviewer=user, state=ReviewState.DRAFT).select_related(
            "plan"
        )[:50]:
            items.append(
                TodoItem(
                    kind="supervision.review",
                    title=_("Finish the review for plan “%(title)s”")
                    % {"title": review.plan.title},
                    url=review.get_absolute_url(),
                )
            )
    return items
