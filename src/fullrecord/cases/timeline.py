"""The case timeline: every stage, transition, record and deadline, in order.

Apps that hold records of a case (documents, audiovisual evidence, …) add
them with :func:`provider`; the page and the API just call :func:`build`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from fullrecord.calendars.services import WorkCalendar

from .choices import STAGE_OF_STATE, CaseState, Stage
from .deadlines import status_of
from .models import Case


@dataclass
class TimelineItem:
    at: datetime
    kind: str  # created, transition, deadline, record, …
    title: str
    stage: str
    detail: str = ""
    actor: str = ""
    status: str = ""
    link: str = ""
    extra: dict = field(default_factory=dict)


Provider = Callable[[Case], list[TimelineItem]]
_PROVIDERS: list[Provider] = []


def provider(func: Provider) -> Provider:
    _PROVIDERS.append(func)
    return func


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def build(case: Case) -> list[TimelineItem]:
    items: list[TimelineItem] = []
    for func in _PROVIDERS:
        items.extend(func(case))
    items.sort(key=lambda item: item.at)
    return items


@provider
def _opening(case: Case) -> list[TimelineItem]:
    return [
        TimelineItem(
            at=case.created_at,
            kind="created",
            stage=Stage.DISCOVERY,
            title=_("Case opened"),
            actor=str(case.created_by),
            detail=_("Discovered on %(date)s by %(source)s at %(address)s")
            % {
                "date": case.discovered_on.isoformat(),
                "source": case.get_source_display(),
                "address": case.address,
            },
        )
    ]


@provider
def _transitions(case: Case) -> list[TimelineItem]:
    return [
        TimelineItem(
            at=step.at,
            kind="transition",
            stage=STAGE_OF_STATE[step.to_state],
            title=f"{CaseState(step.from_state).label} → {CaseState(step.to_state).label}",
            detail=step.reason,
            actor=str(step.actor),
            extra=step.data,
        )
        for step in case.transitions.select_related("actor")
    ]


@provider
def _deadlines(case: Case) -> list[TimelineItem]:
    calendar = WorkCalendar()
    today = timezone.localdate()
    items = []
    for deadline in case.deadlines.select_related("rule"):
        status = status_of(deadline, today, calendar, settings.FULLRECORD_DUE_SOON_WORKING_DAYS)
        detail = _("%(days)s %(counting)s from %(start)s, due %(due)s · %(source)s") % {
            "days": deadline.rule.days,
            "counting": deadline.rule.get_counting_display(),
            "start": deadline.started_on.isoformat(),
            "due": deadline.due_on.isoformat(),
            "source": deadline.rule.legal_source,
        }
        if deadline.counted_from:
            detail += " · " + _("counted from: %(service)s") % {"service": deadline.counted_from}
        if deadline.provisional:
            detail += " · " + _("provisional: holiday calendar missing for that year")
        items.append(
            TimelineItem(
                at=_day_start(deadline.due_on),
                kind="deadline",
                stage=STAGE_OF_STATE.get(
                    deadline.rule.starts_at or CaseState.HEARING, Stage.DECISION
                ),
                title=_("Deadline: %(name)s") % {"name": deadline.rule.name},
                detail=detail,
                status=status.code,
                extra={
                    "status_label": status.label,
                    "due_on": deadline.due_on.isoformat(),
                    "provisional": deadline.provisional,
                },
            )
        )
    return items


@provider
def _changes(case: Case) -> list[TimelineItem]:
    """Changes of the case's facts: before → after, the reason, and who decided."""
    items = []
    moves = list(case.transitions.values_list("at", "to_state"))
    for change in case.changes.select_related("requested_by", "decided_by"):
        states = [state for at, state in moves if at <= change.requested_at]
        detail = change.summary()
        if change.reason:
            detail += " · " + _("Reason: %(reason)s") % {"reason": change.reason}
        if change.decided_by_id and change.decided_by_id != change.requested_by_id:
            detail += " · " + _("Decided by %(who)s") % {"who": change.decided_by}
            if change.decision_note:
                detail += f"：{change.decision_note}"
        items.append(
            TimelineItem(
                at=change.requested_at,
                kind="change",
                stage=STAGE_OF_STATE[states[-1]] if states else Stage.DISCOVERY,
                title=_("Change of the case's facts"),
                detail=detail,
                actor=str(change.requested_by),
                status=change.state,
                extra={"status_label": change.get_state_display()},
            )
        )
    return items
