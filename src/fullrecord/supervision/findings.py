"""Automatic findings: what the inspection team sees without drawing a sample.

Each finding kind is a function of the bureau and a period returning a list of
:class:`Finding` (at most ``LIMIT`` each, newest first) and a count. Other apps add
kinds through :func:`register` (footage outside any checkout is the devices app's).
Read-only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fullrecord.accounts.models import OrgUnit
from fullrecord.audit.models import AuditEntry
from fullrecord.cases.models import Case
from fullrecord.media.models import MediaItem

from . import checks

LIMIT = 50


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
class Group:
    key: str
    label: str
    article: str
    count: int
    findings: list[Finding] = field(default_factory=list)


Source = Callable[[OrgUnit, date, date], tuple[int, list[Finding]]]
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


@register("no_record", gettext_lazy("Stages with no written or audiovisual record"), "18(1)")
def stages_without_records(bureau: OrgUnit, start: date, end: date):
    cases = (
        Case.objects.filter(
            org_unit__path__startswith=bureau.path,
            discovered_on__gte=start,
            discovered_on__lte=end,
        )
        .select_related("cause", "org_unit")
        .order_by("-discovered_on", "-id")
    )
    found = []
    count = 0
    for case in cases[:500]:
        missing = checks.stages_without_records(case)
        if missing:
            count += 1
            if len(found) < LIMIT:
                found.append(
                    Finding(
                        title=case.number,
                        detail="、".join(checks._stage_label(s) for s in missing),
                        url=case.get_absolute_url(),
                        at=case.discovered_on,
                        case_id=case.pk,
                        unit_id=case.org_unit_id,
                    )
                )
    return count, found


@register("interrupted", gettext_lazy("Interruptions in recording"), "9(3)")
def interruptions(bureau: OrgUnit, start: date, end: date):
    items = _items(bureau, start, end).filter(interrupted=True)
    return items.count(), [
        _item_finding(
            i,
            _("Gap of %(s)s s before this segment") % {"s": f"{i.gap_before or 0:.0f}"},
        )
        for i in items[:LIMIT]
    ]


@register("unlinked", gettext_lazy("Footage linked to nothing"), "18(4)")
def unlinked(bureau: OrgUnit, start: date, end: date):
    items = _items(bureau, start, end).filter(unlinked=True)
    return items.count(), [
        _item_finding(i, _("Device %(device)s") % {"device": i.device_number or "—"})
        for i in items[:LIMIT]
    ]


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

    return entries.count(), [
        Finding(
            title=str(ACTION_LABELS.get(e.action, e.action)),
            detail=f"{e.actor or '—'} · {e.summary}",
            url=f"/audit/{e.seq}/",
            at=e.at,
            case_id=e.case_id,
            officer_id=e.actor_id,
        )
        for e in entries[:LIMIT]
    ]


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


def all_findings(bureau: OrgUnit, start: date, end: date) -> list[Group]:
    groups = []
    for key, (label, article, func) in _SOURCES.items():
        count, found = func(bureau, start, end)
        groups.append(
            Group(key=key, label=str(label), article=article, count=count, findings=found)
        )
    return groups
