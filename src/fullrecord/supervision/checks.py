"""What a machine can say about a sampled record before the reviewer scores it.

Each check returns a :class:`Check`: ``ok`` true or false when the data settles it,
``None`` when it cannot (nothing in the system records it yet). The reviewer sees the
messages and may change any pre-filled score. Read-only: nothing here writes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from fullrecord.cases import completeness
from fullrecord.cases.choices import (
    EXIT_STATES,
    STAGE_OF_STATE,
    TWO_OFFICER_STATES,
    LimitKind,
    Stage,
)
from fullrecord.cases.models import Case
from fullrecord.media.models import CaseMediaLink, MediaItem

from .choices import MachineCheck


@dataclass
class Check:
    check: str
    ok: bool | None
    messages: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


# Checks other apps add (documents served, footage outside any checkout …), by key.
CASE_CHECKS: dict[str, Callable[[Case], Check]] = {}
ITEM_CHECKS: dict[str, Callable[[MediaItem], Check]] = {}


def register_case_check(key: str, func: Callable[[Case], Check]) -> None:
    CASE_CHECKS[key] = func


def register_item_check(key: str, func: Callable[[MediaItem], Check]) -> None:
    ITEM_CHECKS[key] = func


def stages_reached(case: Case) -> list[str]:
    """The stages the case has been in, in order (第二条), exits left out."""
    reached = [Stage.DISCOVERY.value]
    for to_state in case.transitions.order_by("at", "id").values_list("to_state", flat=True):
        if to_state in EXIT_STATES:
            continue
        stage = STAGE_OF_STATE[to_state]
        if stage not in reached:
            reached.append(stage)
    return reached


def stages_without_records(case: Case, entries=None) -> list[str]:
    """第十八条第一项: stages reached with neither a written nor an audiovisual record."""
    entries = completeness.entries(case) if entries is None else entries
    with_records = {e.stage for e in entries if e.present and e.kind in ("written", "audiovisual")}
    with_records |= set(
        CaseMediaLink.objects.filter(case=case).values_list("stage", flat=True).distinct()
    )
    return [stage for stage in stages_reached(case) if stage not in with_records]


def _stage_label(stage: str) -> str:
    return str(Stage(stage).label)


def check_records(case: Case, entries) -> Check:
    missing = stages_without_records(case, entries)
    return Check(
        MachineCheck.RECORDS,
        not missing,
        [
            _("Stage %(stage)s has no written or audiovisual record.") % {"stage": _stage_label(s)}
            for s in missing
        ],
    )


def check_documents(case: Case, entries) -> Check:
    written = [e for e in entries if e.kind == "written" and e.required]
    if not written:
        return Check(MachineCheck.DOCUMENTS, None, [_("No document catalogue applies yet.")])
    missing = [e for e in written if not e.present]
    return Check(
        MachineCheck.DOCUMENTS,
        not missing,
        [
            _("%(stage)s: %(label)s is missing.")
            % {"stage": _stage_label(e.stage), "label": e.label}
            for e in missing
        ],
    )


def check_time_limits(case: Case) -> Check:
    today = timezone.localdate()
    messages = []
    for deadline in case.deadlines.filter(kind=LimitKind.LIMIT, cancelled=False).select_related(
        "rule"
    ):
        if deadline.met_at is None and deadline.due_on < today:
            messages.append(
                _("%(rule)s was due on %(due)s and is still open.")
                % {"rule": deadline.rule.name, "due": deadline.due_on.isoformat()}
            )
        elif deadline.met_at is not None and timezone.localdate(deadline.met_at) > deadline.due_on:
            messages.append(
                _("%(rule)s was due on %(due)s and was met late, on %(met)s.")
                % {
                    "rule": deadline.rule.name,
                    "due": deadline.due_on.isoformat(),
                    "met": timezone.localdate(deadline.met_at).isoformat(),
                }
            )
    return Check(MachineCheck.TIME_LIMITS, not messages, messages)


def check_officers(case: Case) -> Check:
    """第十条: from investigation on, at least two officers."""
    needs_two = (
        case.state in TWO_OFFICER_STATES
        or case.transitions.filter(to_state__in=TWO_OFFICER_STATES).exists()
    )
    count = case.assignments.count()
    if not needs_two:
        return Check(MachineCheck.OFFICERS, True, [])
    if count >= 2:
        return Check(MachineCheck.OFFICERS, True, [])
    return Check(
        MachineCheck.OFFICERS,
        False,
        [_("Only %(n)s officer(s) on the case; at least two are required.") % {"n": count}],
    )


def case_checks(case: Case) -> list[Check]:
    entries = completeness.entries(case)
    found = [
        check_records(case, entries),
        check_documents(case, entries),
        check_time_limits(case),
        check_officers(case),
    ]
    found += [func(case) for func in CASE_CHECKS.values()]
    return found


def check_continuous(item: MediaItem) -> Check:
    """第九条第二至五项: recorded continuously, without interruption."""
    session = item.session
    gaps = session.interruption_count if session is not None else int(item.interrupted)
    if gaps or item.interrupted:
        return Check(
            MachineCheck.CONTINUOUS,
            False,
            [
                _("The recording session has %(n)s interruption(s).")
                % {"n": max(gaps, int(item.interrupted))}
            ],
        )
    return Check(MachineCheck.CONTINUOUS, True, [])


def item_checks(item: MediaItem) -> list[Check]:
    found = [check_continuous(item)]
    if item.unlinked:
        found.append(
            Check("linked", False, [_("This footage is linked to no case and no patrol task.")])
        )
    found += [func(item) for func in ITEM_CHECKS.values()]
    return found
