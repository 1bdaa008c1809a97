"""Who may see and do what with the inspection team's work: one helper for pages, API, exports.

Default deny. The inspection team (检查组) of a bureau plans, draws, reviews and issues
rectification orders for that bureau and the units below; the leader in charge reads
all of it and records why a sample is drawn again once reviews have started. An order
is also seen by the officer it is assigned to and by the head of the section it is
assigned to (or the assignee's section head), who answer it. Missing and forbidden are
the same 404.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from fullrecord.accounts.choices import Role
from fullrecord.core.refusals import Unreachable

from .models import InspectionPlan, Rectification, Review

TEAM_ROLES = (Role.INSPECTOR,)
READER_ROLES = (Role.INSPECTOR, Role.LEADER)


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def bureau_path(user) -> str | None:
    return user.org_unit.bureau().path if _active(user) and user.org_unit_id else None


def is_team(user) -> bool:
    return _active(user) and user.has_role(*TEAM_ROLES) and bool(user.org_unit_id)


def is_reader(user) -> bool:
    """The team and the leader in charge: plans, findings and the dashboard."""
    return _active(user) and user.has_role(*READER_ROLES) and bool(user.org_unit_id)


def visible_plans(user) -> QuerySet[InspectionPlan]:
    if not is_reader(user):
        return InspectionPlan.objects.none()
    return InspectionPlan.objects.filter(bureau__path__startswith=bureau_path(user))


def get_plan(user, pk) -> InspectionPlan:
    try:
        return visible_plans(user).select_related("bureau", "created_by").get(pk=int(pk))
    except (InspectionPlan.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Unreachable from None


def in_bureau(user, unit) -> bool:
    path = bureau_path(user)
    return bool(path and unit is not None and unit.path.startswith(path))


def can_manage(user, plan: InspectionPlan) -> bool:
    """Edit the plan, draw its sample, review its records: the bureau's inspection team."""
    return is_team(user) and in_bureau(user, plan.bureau)


def can_draw(user, plan: InspectionPlan) -> bool:
    """The team draws; the leader in charge may draw again, saying why (services decide when)."""
    return can_manage(user, plan) or (
        _active(user) and user.has_role(Role.LEADER) and in_bureau(user, plan.bureau)
    )


def visible_reviews(user) -> QuerySet[Review]:
    return Review.objects.filter(plan__in=visible_plans(user))


def get_review(user, pk) -> Review:
    try:
        return (
            visible_reviews(user)
            .select_related("plan", "entry", "entry__case", "entry__item", "reviewer")
            .get(pk=int(pk))
        )
    except (Review.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Unreachable from None


def _answering_units(user) -> Q:
    """Orders assigned to a unit the user heads (or a unit below it)."""
    if user.has_role(Role.SECTION_HEAD) and user.org_unit_id:
        return Q(assignee_unit__path__startswith=user.org_unit.path) | Q(
            assignee__org_unit__path__startswith=user.org_unit.path
        )
    return Q(pk__in=[])


def visible_rectifications(user) -> QuerySet[Rectification]:
    if not _active(user):
        return Rectification.objects.none()
    condition = Q(assignee=user) | _answering_units(user)
    if is_reader(user):
        condition |= Q(bureau__path__startswith=bureau_path(user))
    return Rectification.objects.filter(condition)


def get_rectification(user, pk) -> Rectification:
    try:
        return (
            visible_rectifications(user)
            .select_related("assignee", "assignee_unit", "issued_by", "case", "item", "bureau")
            .get(pk=int(pk))
        )
    except (Rectification.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Unreachable from None


def can_answer(user, order: Rectification) -> bool:
    """The assigned officer; for an order to a section, its head (or a head above it)."""
    if not _active(user):
        return False
    if order.assignee_id:
        if order.assignee_id == user.pk:
            return True
        unit = order.assignee.org_unit
    else:
        unit = order.assignee_unit
    return bool(
        unit is not None
        and user.has_role(Role.SECTION_HEAD)
        and user.org_unit_id
        and unit.path.startswith(user.org_unit.path)
    )


def can_judge(user, order: Rectification) -> bool:
    """Accept and close, or reopen: the bureau's inspection team."""
    return is_team(user) and in_bureau(user, order.bureau)
