"""The dashboard's figures per month, section and officer.

``refresh()`` counts, with a handful of grouped queries, what the dashboard shows and
stores the counts as :class:`DashboardFigure` rows (the background job runs it every
few minutes; the dashboard's "refresh now" too). ``figures()`` sums those rows for a
period, grouped by section, officer or month: its cost follows the number of sections,
officers and months, not the number of cases and footage items.

Metrics (numerator / denominator):

- ``coverage``: stages reached that hold a written or audiovisual record / stages reached
  (a case counts in the month each stage was reached, for its unit and each officer);
- ``association``: footage linked to a case or a patrol task / footage (month of use);
- ``device_use``: footage items recorded / distinct devices that recorded them;
- ``checkouts``: device checkouts (month checked out), counted by ``wiring.py`` from the
  devices app through :data:`EXTRA_METRICS`;
- ``review_score``: sum of review scores / submitted reviews (month submitted);
- ``rectifications``: orders issued (numerator: still open, denominator: all);
- ``overdue``: orders past their deadline and not closed / all orders.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import connection, transaction
from django.db.models import Max, Min, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from fullrecord.accounts.models import OrgUnit, User
from fullrecord.cases.choices import EXIT_STATES, STAGE_OF_STATE, Stage
from fullrecord.cases.models import Case, CaseAssignment, CaseTransition
from fullrecord.media.models import CaseMediaLink, MediaItem

from .choices import RectificationState, ReviewState
from .models import DashboardFigure, DashboardRefresh, Rectification, Review

METRICS = {
    "coverage": _("Stage recording coverage"),
    "association": _("Footage association rate"),
    "device_use": _("Footage items per device used"),
    "checkouts": _("Device checkouts"),
    "review_score": _("Average review score"),
    "rectifications": _("Open rectification orders"),
    "overdue": _("Overdue rectification orders"),
}
RATES = {"coverage", "association"}  # shown as per cent
COUNTS = {"rectifications", "overdue", "checkouts"}  # shown as the count itself

Key = tuple[date, int | None, int | None]  # month, unit, officer
Counter = dict[tuple[str, date, int | None, int | None], list[float]]
# Other apps' metrics: name -> function filling the counter (see devices).
EXTRA_METRICS: dict[str, Callable[[Counter], None]] = {}
# Record presence per (case, stage) from other apps (written records): returns pairs.
STAGE_RECORD_SOURCES: list[Callable[[], Iterable[tuple[int, str]]]] = []


def _month(value, zone=None) -> date:
    """The local month of a date or an aware time (pass ``zone`` in loops: looking up the
    current time zone costs more than the conversion)."""
    if hasattr(value, "date"):
        if timezone.is_aware(value):
            value = value.astimezone(zone or timezone.get_current_timezone())
        value = value.date()
    return value.replace(day=1)


def _add(counter: Counter, metric: str, month: date, unit, officer, num: float, den: float):
    cell = counter.setdefault((metric, month, unit, officer), [0.0, 0.0])
    cell[0] += num
    cell[1] += den


def _coverage(counter: Counter) -> None:
    """Stages reached vs. stages holding a record, per case unit and officer."""
    recorded: set[tuple[int, str]] = set(
        CaseMediaLink.objects.order_by().values_list("case_id", "stage").distinct()
    )
    for source in STAGE_RECORD_SOURCES:
        recorded.update(source())
    officers: dict[int, list[int]] = defaultdict(list)
    for case_id, officer_id in CaseAssignment.objects.order_by().values_list(
        "case_id", "officer_id"
    ):
        officers[case_id].append(officer_id)
    units = dict(Case.objects.order_by().values_list("pk", "org_unit_id"))
    zone = timezone.get_current_timezone()
    reached: dict[tuple[int, str], date] = {}
    for pk, created in Case.objects.order_by().values_list("pk", "created_at"):
        reached[(pk, Stage.DISCOVERY.value)] = _month(created, zone)
    for case_id, to_state, at in CaseTransition.objects.order_by("at", "id").values_list(
        "case_id", "to_state", "at"
    ):
        if to_state in EXIT_STATES:
            continue
        reached.setdefault((case_id, STAGE_OF_STATE[to_state]), _month(at, zone))
    for (case_id, stage), month in reached.items():
        has = 1.0 if (case_id, stage) in recorded else 0.0
        _add(counter, "coverage", month, units[case_id], None, has, 1)
        for officer in officers.get(case_id, []):
            _add(counter, "coverage", month, units[case_id], officer, has, 1)


def _months(model, field: str):
    """The local months from the first to the last ``field`` value, as (month, start, end).

    Counting month by month with a range on the indexed column keeps the grouping in
    plain SQL; truncating every row's time to its month (``TruncMonth``) ran a Python
    function per row on SQLite.
    """
    bounds = model.objects.aggregate(first=Min(field), last=Max(field))
    if bounds["first"] is None:
        return
    month = _month(bounds["first"])
    last = _month(bounds["last"])
    zone = timezone.get_current_timezone()
    while month <= last:
        following = (month + timedelta(days=32)).replace(day=1)
        yield (
            month,
            datetime.combine(month, time.min, tzinfo=zone),
            datetime.combine(following, time.min, tzinfo=zone),
        )
        month = following


def _footage(counter: Counter) -> None:
    """Association and device use, in one pass over the footage's own columns.

    Each row's month is found among the months' start times by bisection, so no time
    zone conversion runs per row; per-month grouped queries on SQLite fetched every row
    through a secondary index and took a second a month at a million items.
    """
    bounds = list(_months(MediaItem, "used_at"))
    if not bounds:
        return
    starts = [low for _month_, low, _high in bounds]
    months = [month for month, _low, _high in bounds]
    cells: dict[tuple[date, int | None, int | None], list] = {}
    rows = (
        MediaItem.objects.order_by()
        .values_list("used_at", "org_unit_id", "officer_id", "unlinked", "device_number")
        .iterator(chunk_size=20_000)
    )
    for used_at, unit, officer, unlinked, device in rows:
        month = months[max(bisect_right(starts, used_at) - 1, 0)]
        for key in (
            ((month, unit, None), (month, unit, officer)) if officer else ((month, unit, None),)
        ):
            cell = cells.get(key)
            if cell is None:
                cell = cells[key] = [0, 0, 0, set()]
            cell[0] += 1
            cell[1] += not unlinked
            if device:
                cell[2] += 1
                cell[3].add(device)
    for (month, unit, officer), (total, linked, with_device, devices) in cells.items():
        _add(counter, "association", month, unit, officer, linked, total)
        if devices:
            # A device shared by officers counts once for their section.
            _add(counter, "device_use", month, unit, officer, with_device, len(devices))


def _reviews(counter: Counter) -> None:
    rows = Review.objects.filter(state=ReviewState.SUBMITTED, score__isnull=False).values_list(
        "submitted_at",
        "score",
        "entry__case__org_unit_id",
        "entry__item__org_unit_id",
        "entry__item__officer_id",
        "entry__case_id",
    )
    officers: dict[int, list[int]] = defaultdict(list)
    case_ids = [row[5] for row in rows if row[5]]
    for case_id, officer_id in CaseAssignment.objects.filter(case_id__in=case_ids).values_list(
        "case_id", "officer_id"
    ):
        officers[case_id].append(officer_id)
    for at, score, case_unit, item_unit, item_officer, case_id in rows:
        month = _month(at)
        unit = case_unit or item_unit
        _add(counter, "review_score", month, unit, None, score, 1)
        for officer in (
            officers.get(case_id, []) if case_id else [item_officer] if item_officer else []
        ):
            _add(counter, "review_score", month, unit, officer, score, 1)


def _rectifications(counter: Counter, today: date) -> None:
    for order in Rectification.objects.select_related("assignee").only(
        "issued_at", "state", "deadline", "assignee_id", "assignee_unit_id", "assignee__org_unit_id"
    ):
        month = _month(order.issued_at)
        unit = order.assignee.org_unit_id if order.assignee_id else order.assignee_unit_id
        still_open = order.state != RectificationState.CLOSED
        overdue = still_open and order.deadline < today
        _add(counter, "rectifications", month, unit, None, still_open, 1)
        _add(counter, "overdue", month, unit, None, overdue, 1)
        if order.assignee_id:
            _add(counter, "rectifications", month, unit, order.assignee_id, still_open, 1)
            _add(counter, "overdue", month, unit, order.assignee_id, overdue, 1)


def compute(today: date | None = None) -> Counter:
    today = today or timezone.localdate()
    counter: Counter = {}
    _coverage(counter)
    _footage(counter)
    _reviews(counter)
    _rectifications(counter, today)
    for fill in EXTRA_METRICS.values():
        fill(counter)
    return counter


def refresh(today: date | None = None) -> int:
    """Recount every figure and replace the stored rows, in one transaction.

    The rows go in with one ``executemany`` of plain tuples: building tens of thousands
    of model instances for ``bulk_create`` cost more than counting them.
    """
    counter = compute(today)
    table = DashboardFigure._meta.db_table
    rows = [
        (month.isoformat(), unit, officer, metric, float(n), float(d))
        for (metric, month, unit, officer), (n, d) in counter.items()
    ]
    with transaction.atomic():
        DashboardFigure.objects.all().delete()
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {table} (month, org_unit_id, officer_id, metric, numerator, "  # noqa: S608 - the table name is the model's own
                "denominator) VALUES (%s, %s, %s, %s, %s, %s)",
                rows,
            )
        DashboardRefresh.objects.update_or_create(pk=1, defaults={"refreshed_at": timezone.now()})
    return len(rows)


# The job ``refresh_dashboard`` runs every quarter of an hour (core/periodic.py): figures
# are at most this old, plus the time one count takes.
MAX_AGE_MINUTES = 15


def freshness_text(at) -> str:
    """When the figures were counted, in the user's language: the local time and how long ago."""
    if at is None:
        return str(_("The figures have not been counted yet."))
    minutes = max(int((timezone.now() - at).total_seconds() // 60), 0)
    ago = (
        _("just now")
        if minutes < 1
        else ngettext("%(n)d minute ago", "%(n)d minutes ago", minutes) % {"n": minutes}
    )
    return _("Counted at %(at)s (%(ago)s); counted again every %(every)d minutes.") % {
        "at": timezone.localtime(at).strftime("%Y-%m-%d %H:%M"),
        "ago": ago,
        "every": MAX_AGE_MINUTES,
    }


def refreshed_at():
    row = DashboardRefresh.objects.filter(pk=1).first()
    return row.refreshed_at if row else None


@dataclass
class Row:
    key: str  # the group's label
    group_id: int | str | None
    values: dict[str, float | None]
    counts: dict[str, tuple[float, float]]


def value_of(metric: str, num: float, den: float) -> float | None:
    if not den:
        return None
    if metric in RATES:
        return round(100 * num / den, 1)
    if metric in COUNTS:
        return num
    return round(num / den, 1)


def figures(
    bureau: OrgUnit, *, start: date, end: date, group: str = "section"
) -> tuple[list[Row], Row]:
    """The dashboard's table: one row per section, officer or month, and the total."""
    units = OrgUnit.objects.filter(path__startswith=bureau.path)
    unit_names = dict(units.values_list("pk", "name"))
    base = DashboardFigure.objects.filter(
        month__gte=start.replace(day=1), month__lte=end, org_unit_id__in=list(unit_names)
    )
    section_rows = base.filter(officer=None)
    sums = {"num": Sum("numerator"), "den": Sum("denominator")}
    if group == "officer":
        source = base.exclude(officer=None).values_list("officer_id", "metric").annotate(**sums)
        names = dict(
            User.objects.filter(pk__in=base.exclude(officer=None).values("officer_id")).values_list(
                "pk", "full_name"
            )
        )
    elif group == "month":
        source = section_rows.values_list("month", "metric").annotate(**sums)
        names = {}
    else:
        source = section_rows.values_list("org_unit_id", "metric").annotate(**sums)
        names = unit_names
    grouped: dict = defaultdict(lambda: defaultdict(lambda: [0.0, 0.0]))
    for key, metric, num, den in source.order_by():
        grouped[key][metric] = [num or 0.0, den or 0.0]
    total: dict = defaultdict(lambda: [0.0, 0.0])
    for metric, num, den in section_rows.values_list("metric").annotate(**sums).order_by():
        total[metric] = [num or 0.0, den or 0.0]

    def make(label, gid, cells) -> Row:
        return Row(
            key=label,
            group_id=gid,
            values={m: value_of(m, *cells[m]) if m in cells else None for m in METRICS},
            counts={m: tuple(cells[m]) for m in METRICS if m in cells},
        )

    ordered = sorted(grouped, key=lambda k: str(k) if group == "month" else names.get(k, ""))
    rows = [
        make(
            key.strftime("%Y-%m") if group == "month" else names.get(key, "—"),
            key.isoformat() if group == "month" else key,
            grouped[key],
        )
        for key in ordered
    ]
    return rows, make(str(_("Total")), None, total)


def chart_data(rows: list[Row], months: list[Row]) -> dict:
    """What the charts draw: the rates per group, and the monthly trend of the bureau."""
    return {
        "groups": [row.key for row in rows],
        "coverage": [row.values["coverage"] for row in rows],
        "association": [row.values["association"] for row in rows],
        "review_score": [row.values["review_score"] for row in rows],
        "months": [row.key for row in months],
        "month_coverage": [row.values["coverage"] for row in months],
        "month_association": [row.values["association"] for row in months],
        "month_open": [row.values["rectifications"] for row in months],
        "month_overdue": [row.values["overdue"] for row in months],
        "labels": {key: str(label) for key, label in METRICS.items()},
    }
