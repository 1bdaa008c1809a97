"""Statutory time limits on a case, started and met by its transitions.

Working-day limits follow 《行政处罚法》第八十五条 (二日、三日、五日、七日 are
working days); the 90-day limit of 第六十条 counts calendar days. The rules
themselves are rows of :class:`TimeLimitRule`, edited by the administrator.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fullrecord.accounts.choices import Role
from fullrecord.calendars.services import DueDate, WorkCalendar
from fullrecord.notifications.services import notify

from .choices import EXIT_STATES, DayCounting, LimitKind
from .models import Case, CaseDeadline, TimeLimitRule

HEARING_NOTICE = "hearing_notice"


def due_date(rule: TimeLimitRule, start: date, calendar: WorkCalendar | None = None) -> DueDate:
    calendar = calendar or WorkCalendar()
    if rule.counting == DayCounting.WORKING:
        result = calendar.add_working_days(start, rule.days)
    else:
        result = calendar.add_calendar_days(start, rule.days)
    if result.provisional:
        _tell_admin_calendar_missing(result.date.year)
    return result


def _tell_admin_calendar_missing(year: int) -> None:
    administrators = (
        get_user_model()
        .objects.filter(Q(role_grants__role=Role.ADMIN) | Q(is_superuser=True), is_active=True)
        .distinct()
    )
    notify(
        administrators,
        _(
            "Deadlines in %(year)s are provisional: enter the State Council's holiday "
            "arrangement for %(year)s in the working-day calendar."
        )
        % {"year": year},
        link="/admin/calendars/calendaryear/",
        level="warning",
        key=f"calendar-missing-{year}",
    )


def on_state_entered(case: Case, state: str, today: date, data: dict) -> list[CaseDeadline]:
    """Meet, cancel and start deadlines for a case that has just entered ``state``."""
    now = timezone.now()
    open_deadlines = case.deadlines.filter(met_at=None, cancelled=False).select_related("rule")
    for deadline in open_deadlines:
        if state in deadline.rule.ends_at:
            deadline.met_at = now
            deadline.save(update_fields=["met_at"])
        elif state in EXIT_STATES:
            deadline.cancelled = True
            deadline.save(update_fields=["cancelled"])
    started = []
    calendar = WorkCalendar()
    # A limit already counting from a recorded service is not restarted by the move.
    from_service = set(
        case.deadlines.filter(met_at=None, cancelled=False)
        .exclude(counted_from="")
        .values_list("rule_id", flat=True)
    )
    for rule in (
        TimeLimitRule.objects.filter(active=True, starts_at=state)
        .exclude(kind=LimitKind.NOTICE)
        .exclude(pk__in=from_service)
    ):
        due = due_date(rule, today, calendar)
        started.append(
            CaseDeadline.objects.create(
                case=case,
                rule=rule,
                kind=rule.kind,
                started_on=today,
                due_on=due.date,
                provisional=due.provisional,
            )
        )
    if data.get("hearing_date"):
        rule = TimeLimitRule.objects.filter(code=HEARING_NOTICE).first()
        if rule:
            started.append(
                CaseDeadline.objects.create(
                    case=case,
                    rule=rule,
                    kind=LimitKind.NOTICE,
                    started_on=today,
                    due_on=data["hearing_date"],
                )
            )
    return started


def start_on_service(
    case: Case, document_code: str, served_on: date, counted_from: str
) -> list[CaseDeadline]:
    """The limits that run from service (告知后五日内, 收到决定书之日起十五日内 …) count
    from ``served_on``: an open one started by the move is moved to that date, a missing
    one is started. The caller records the service and this in one audit entry."""
    rules = TimeLimitRule.objects.filter(active=True, starts_on_service_of=document_code).exclude(
        kind=LimitKind.NOTICE
    )
    if case.state in EXIT_STATES or not rules:
        return []
    calendar = WorkCalendar()
    changed = []
    for rule in rules:
        due = due_date(rule, served_on, calendar)
        deadline = (
            case.deadlines.filter(rule=rule, met_at=None, cancelled=False)
            .order_by("-started_on", "-pk")
            .first()
        )
        if deadline is None:
            deadline = CaseDeadline(case=case, rule=rule, kind=rule.kind)
        elif deadline.started_on == served_on and deadline.counted_from:
            continue
        deadline.started_on = served_on
        deadline.due_on = due.date
        deadline.provisional = due.provisional
        deadline.counted_from = counted_from[:300]
        deadline.save()
        changed.append(deadline)
    return changed


def earliest_hearing_date(today: date) -> DueDate | None:
    """第六十四条: the party is told of the hearing at least seven working days ahead."""
    rule = TimeLimitRule.objects.filter(code=HEARING_NOTICE, active=True).first()
    return due_date(rule, today) if rule else None


@dataclass(frozen=True)
class DeadlineStatus:
    code: str  # met, met_late, cancelled, overdue, due_soon, running, ended, held
    label: str
    working_days_left: int | None
    # In the rule's own unit (working days where the law counts them, calendar days
    # otherwise): what the page shows, one unit per line.
    days: int | None = None
    unit: str = DayCounting.WORKING

    @property
    def days_text(self) -> str:
        """“还剩 3 个工作日” / “超期 44 日”: the number with its unit, said which."""
        if self.days is None:
            return ""
        n = abs(self.days)
        working = self.unit == DayCounting.WORKING
        if self.code in ("overdue", "met_late"):
            return (
                ngettext("%(n)s working day over", "%(n)s working days over", n)
                if working
                else ngettext("%(n)s calendar day over", "%(n)s calendar days over", n)
            ) % {"n": n}
        if self.code in ("due_soon", "running") and self.days >= 0:
            return (
                ngettext("%(n)s working day left", "%(n)s working days left", n)
                if working
                else ngettext("%(n)s calendar day left", "%(n)s calendar days left", n)
            ) % {"n": n}
        return ""


def _in_unit(deadline: CaseDeadline, start: date, end: date, calendar: WorkCalendar) -> int:
    if deadline.rule.counting == DayCounting.WORKING:
        return calendar.working_days_between(start, end)
    return (end - start).days


def status_of(
    deadline: CaseDeadline, today: date, calendar: WorkCalendar, due_soon_days: int
) -> DeadlineStatus:
    unit = deadline.rule.counting
    if deadline.cancelled:
        return DeadlineStatus("cancelled", _("cancelled"), None, unit=unit)
    if deadline.met_at:
        met_on = timezone.localtime(deadline.met_at).date()
        if deadline.kind == LimitKind.LIMIT and met_on > deadline.due_on:
            # A limit met after its day stays visible as late, and countable.
            late = _in_unit(deadline, deadline.due_on, met_on, calendar)
            status = DeadlineStatus("met_late", "", None, days=late, unit=unit)
            return DeadlineStatus(
                "met_late",
                _("met late (%(days)s)") % {"days": status.days_text},
                None,
                days=late,
                unit=unit,
            )
        return DeadlineStatus("met", _("met"), None, unit=unit)
    left = calendar.working_days_between(today, deadline.due_on)
    days = _in_unit(deadline, today, deadline.due_on, calendar)
    if deadline.kind == LimitKind.WINDOW:
        if today > deadline.due_on:
            return DeadlineStatus("ended", _("window ended"), left, unit=unit)
        return DeadlineStatus("running", _("window open"), left, days=days, unit=unit)
    if deadline.kind == LimitKind.NOTICE:
        # A hearing date is an appointment, not a limit the bureau can miss.
        if today >= deadline.due_on:
            return DeadlineStatus("held", _("hearing date reached"), None, unit=unit)
        return DeadlineStatus("running", _("hearing scheduled"), left, days=days, unit=unit)
    if today > deadline.due_on:
        return DeadlineStatus("overdue", _("overdue"), left, days=days, unit=unit)
    if left <= due_soon_days:
        return DeadlineStatus("due_soon", _("due soon"), left, days=days, unit=unit)
    return DeadlineStatus("running", _("running"), left, days=days, unit=unit)


def met_late() -> QuerySet[CaseDeadline]:
    """Limits the bureau met after their day (逾期完成): countable for the inspectors."""
    return CaseDeadline.objects.filter(
        kind=LimitKind.LIMIT, met_at__isnull=False, cancelled=False, met_at__date__gt=F("due_on")
    )


def open_limits() -> QuerySet[CaseDeadline]:
    return CaseDeadline.objects.filter(kind=LimitKind.LIMIT, met_at=None, cancelled=False)


def due_soon_cutoff(today: date, due_soon_days: int) -> date:
    return WorkCalendar().add_working_days(today, due_soon_days).date


def recompute_provisional(year: int | None = None) -> int:
    """Recount open deadlines that were counted on weekdays only, now that the calendar
    for their year may be known. Returns how many changed."""
    calendar = WorkCalendar()
    changed = 0
    pending = CaseDeadline.objects.filter(provisional=True, met_at=None, cancelled=False)
    if year is not None:
        pending = pending.filter(due_on__year__gte=year - 1, due_on__year__lte=year + 1)
    for deadline in pending.select_related("rule"):
        if deadline.kind == LimitKind.NOTICE:
            continue  # a hearing date is set by people, not counted
        due = due_date(deadline.rule, deadline.started_on, calendar)
        if (due.date, due.provisional) != (deadline.due_on, deadline.provisional):
            deadline.due_on, deadline.provisional = due.date, due.provisional
            deadline.save(update_fields=["due_on", "provisional"])
            changed += 1
    return changed
