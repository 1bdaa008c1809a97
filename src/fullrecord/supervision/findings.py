"""Automatic findings: what the inspection team sees without drawing a sample.

Each finding kind is a function of the bureau and a period returning a :class:`Listing`:
how many there are, and a way to fetch any slice of them, newest first — the page and the
API show them a page at a time, the XLSX export all of them. Other apps add kinds through
:func:`register` (footage outside any checkout is the devices app's). Read-only.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import reduce
from typing import Any

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fullrecord.accounts.models import OrgUnit
from fullrecord.audit.models import AuditEntry
from fullrecord.cases.choices import EXIT_STATES, Stage, states_of_stage
from fullrecord.cases.models import Case, CaseTransition
from fullrecord.media.models import CaseMediaLink, MediaItem

from . import checks

LIMIT = 50  # per kind on the overview; a kind's own list pages through all of them

# Apps holding written records say, per stage, "this case holds one of mine at that stage"
# as an ``Exists`` over ``OuterRef("pk")`` of a case (the documents app's, through
# ``wiring_documents``); the case's linked footage is the media app's, below.
StageRecords = Callable[[str], Exists]
STAGE_RECORD_EXISTS: list[StageRecords] = []


@dataclass
class Finding:
    title: str
    detail: str = ""
    url: str = ""
    at: datetime | date | None = None
    case_id: int | None = None
    item_id: int | None = None
    officer_id: int | None = None
    unit_id: int | None = None

    def shown_at(self) -> str:
        if isinstance(self.at, datetime):
            return timezone.localtime(self.at).strftime("%Y-%m-%d %H:%M")
        return self.at.isoformat() if self.at else ""


@dataclass
class Listing:
    """A kind's findings: their number, and ``fetch(offset, limit)`` for a slice of them."""

    count: int
    fetch: Callable[[int, int], list[Finding]]


def listing(rows, to_finding: Callable[[Any], Finding]) -> Listing:
    """A listing over a query set (or a list), newest first, turned into findings a slice
    at a time."""
    count = rows.count() if isinstance(rows, QuerySet) else len(rows)
    return Listing(
        count, lambda offset, limit: [to_finding(r) for r in rows[offset : offset + limit]]
    )


@dataclass
class Group:
    key: str
    label: str
    article: str
    count: int
    findings: list[Finding] = field(default_factory=list)
    fetch: Callable[[int, int], list[Finding]] | None = None


Source = Callable[[OrgUnit, date, date], Listing]
_SOURCES: dict[str, tuple[str, str, Source]] = {}


def register(key: str, label, article: str):
    def wrap(func: Source) -> Source:
        _SOURCES[key] = (label, article, func)
        return func

    return wrap


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    return (
        timezone.make_aware(datetime.combine(start, time.min)),
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min)),
    )


def _items(bureau: OrgUnit, start: date, end: date) -> QuerySet[MediaItem]:
    low, high = _bounds(start, end)
    units = OrgUnit.objects.filter(path__startswith=bureau.path).values_list("pk", flat=True)
    return MediaItem.objects.filter(
        org_unit_id__in=list(units), used_at__gte=low, used_at__lt=high
    ).order_by("-used_at", "-id")


def _item_finding(item: MediaItem, detail: str) -> Finding:
    return Finding(
        title=item.original_name,
        detail=detail,
        url=item.get_absolute_url(),
        at=item.used_at,
        item_id=item.pk,
        officer_id=item.officer_id,
        unit_id=item.org_unit_id,
    )


def _reached(stage: str) -> Q | Exists:
    """The case has been in ``stage``: discovery always, any other once a move (not an
    exit) went to one of its states — as ``checks.stages_reached`` reads them."""
    if stage == Stage.DISCOVERY:
        return Q(pk__isnull=False)
    states = [s for s in states_of_stage(stage) if s not in EXIT_STATES]
    return Exists(CaseTransition.objects.filter(case=OuterRef("pk"), to_state__in=states))


def _held(stage: str) -> Exists:
    return Exists(CaseMediaLink.objects.filter(case=OuterRef("pk"), stage=stage))


def _stages() -> list[str]:
    return [s for s in Stage.values if s != Stage.EXIT]


def cases_without_records(bureau: OrgUnit, start: date, end: date) -> QuerySet[Case]:
    """第十八条第一项: every case of the period with a stage reached and neither a written nor
    an audiovisual record in it, newest first, found by the database in one query (a
    ``missing_<stage>`` flag per stage), so a count and any slice cost the same however
    many cases the bureau holds — no case is left out, none is loaded to be checked."""
    missing = {}
    for stage in _stages():
        held = Q(_held(stage))
        for source in STAGE_RECORD_EXISTS:
            held |= Q(source(stage))
        missing[f"missing_{stage}"] = Q(_reached(stage)) & ~held
    return (
        Case.objects.filter(
            org_unit__path__startswith=bureau.path,
            discovered_on__gte=start,
            discovered_on__lte=end,
        )
        .filter(reduce(operator.or_, missing.values()))
        .annotate(
            **{
                name: ExpressionWrapper(condition, output_field=BooleanField())
                for name, condition in missing.items()
            }
        )
    )


@register("no_record", gettext_lazy("Stages with no written or audiovisual record"), "18(1)")
def stages_without_records(bureau: OrgUnit, start: date, end: date):
    cases = cases_without_records(bureau, start, end).order_by("-discovered_on", "-id")

    def finding(case: Case) -> Finding:
        missing = [s for s in _stages() if getattr(case, f"missing_{s}")]
        return Finding(
            title=case.number,
            detail="、".join(checks._stage_label(s) for s in missing),
            url=case.get_absolute_url(),
            at=case.discovered_on,
            case_id=case.pk,
            unit_id=case.org_unit_id,
        )

    return listing(cases, finding)


@register("interrupted", gettext_lazy("Interruptions in recording"), "9(3)")
def interruptions(bureau: OrgUnit, start: date, end: date):
    items = _items(bureau, start, end).filter(interrupted=True)
    return listing(
        items,
        lambda i: _item_finding(
            i, _("Gap of %(s)s s before this segment") % {"s": f"{i.gap_before or 0:.0f}"}
        ),
    )


@register("unlinked", gettext_lazy("Footage linked to nothing"), "18(4)")
def unlinked(bureau: OrgUnit, start: date, end: date):
    items = _items(bureau, start, end).filter(unlinked=True)
    return listing(
        items,
        lambda i: _item_finding(i, _("Device %(device)s") % {"device": i.device_number or "—"}),
    )


@register("fixity", gettext_lazy("Verify and fixity failures"), "18(2)")
def fixity_failures(bureau: OrgUnit, start: date, end: date):
    entries = _entries(bureau, start, end, ("media.fixity_failed", "media.original_missing"))
    return _entry_findings(entries)


def _entries(bureau: OrgUnit, start: date, end: date, actions) -> QuerySet[AuditEntry]:
    from fullrecord.audit.access import _about_unit

    low, high = _bounds(start, end)
    cases = Case.objects.filter(org_unit__path__startswith=bureau.path).values("pk")
    units = OrgUnit.objects.filter(path__startswith=bureau.path).values_list("pk", flat=True)
    items = MediaItem.objects.filter(org_unit_id__in=list(units))
    from django.db.models import CharField, Q
    from django.db.models.functions import Cast

    item_ids = items.order_by().annotate(_sid=Cast("pk", output_field=CharField())).values("_sid")
    return (
        AuditEntry.objects.filter(action__in=actions, at__gte=low, at__lt=high)
        .filter(
            _about_unit(bureau.path)
            | Q(case_id__in=cases)
            | Q(object_type="media.mediaitem", object_id__in=item_ids)
        )
        .select_related("actor")
        .order_by("-seq")
    )


def _entry_findings(entries: QuerySet[AuditEntry]):
    from fullrecord.audit.labels import ACTION_LABELS

    return listing(
        entries,
        lambda e: Finding(
            title=str(ACTION_LABELS.get(e.action, e.action)),
            detail=f"{e.actor or '—'} · {e.summary}",
            url=f"/audit/{e.seq}/",
            at=e.at,
            case_id=e.case_id,
            officer_id=e.actor_id,
        ),
    )


REFUSALS = ["access.refuse", "account.login_failed", "account.locked", "account.address_locked"]
COPIES = ("access.copy", "access.export", "access.copy_download")


def count_as_refused(*actions: str) -> None:
    """Audit actions a higher app records that are refused access attempts too (the
    security app's refused requests and refused changes): it adds them in its ``ready()``."""
    REFUSALS.extend(a for a in actions if a not in REFUSALS)


@register("refused", gettext_lazy("Refused access attempts"), "17")
def refused(bureau: OrgUnit, start: date, end: date):
    return _entry_findings(_entries(bureau, start, end, REFUSALS))


@register("copies", gettext_lazy("Copies made"), "18(3)")
def copies(bureau: OrgUnit, start: date, end: date):
    return _entry_findings(_entries(bureau, start, end, COPIES))


def kinds() -> list[tuple[str, str]]:
    return [(key, str(label)) for key, (label, _article, _func) in _SOURCES.items()]


def all_findings(
    bureau: OrgUnit, start: date, end: date, *, kind: str | None = None, first: int = LIMIT
) -> list[Group]:
    """Each kind (or the one ``kind``) counted, with its ``first`` newest findings and a
    ``fetch`` for any other slice."""
    groups = []
    for key, (label, article, func) in _SOURCES.items():
        if kind and key != kind:
            continue
        found = func(bureau, start, end)
        groups.append(
            Group(
                key=key,
                label=str(label),
                article=article,
                count=found.count,
                findings=found.fetch(0, first) if first else [],
                fetch=found.fetch,
            )
        )
    return groups


def page(groups: list[Group], offset: int, limit: int) -> list[tuple[Group, Finding]]:
    """One page of the findings of ``groups`` taken one after the other, in their order."""
    rows: list[tuple[Group, Finding]] = []
    for group in groups:
        if offset >= group.count:
            offset -= group.count
            continue
        take = min(limit - len(rows), group.count - offset)
        rows.extend((group, f) for f in group.fetch(offset, take))
        offset = 0
        if len(rows) >= limit:
            break
    return rows
