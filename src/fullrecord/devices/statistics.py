"""Equipment statistics (第二十条: statistics per officer and section): checkouts, hours
out, footage hours recorded against hours checked out, idle devices, fault rate by model,
overdue maintenance. One function for the page (charts) and the API (numbers)."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from django.db.models import Count, Sum
from django.utils import timezone

from .access import visible_checkouts, visible_devices
from .choices import DeviceStatus
from .models import FootageBinding

# A device not checked out for this long is listed as idle.
IDLE_DAYS = 30


def _hours(seconds: float) -> float:
    return round(seconds / 3600, 2)


def compute(user, *, days: int = 90) -> dict:
    now = timezone.now()
    since = now - timedelta(days=days)
    devices = list(visible_devices(user).select_related("model", "org_unit"))
    device_ids = [d.pk for d in devices]
    checkouts = list(
        visible_checkouts(user)
        .filter(device_id__in=device_ids, out_at__gte=since)
        .select_related("device__org_unit", "officer")
    )
    footage = dict(
        FootageBinding.objects.filter(checkout__in=[c.pk for c in checkouts])
        .values("checkout")
        .annotate(seconds=Sum("item__duration"))
        .values_list("checkout", "seconds")
    )
    per_device: dict[str, dict] = defaultdict(lambda: {"checkouts": 0, "out": 0.0, "footage": 0.0})
    per_officer: dict[str, dict] = defaultdict(lambda: {"checkouts": 0, "out": 0.0, "footage": 0.0})
    per_section: dict[str, dict] = defaultdict(lambda: {"checkouts": 0, "out": 0.0, "footage": 0.0})
    last_out: dict[int, object] = {}
    for checkout in checkouts:
        out_seconds = checkout.hours(now) * 3600
        recorded = footage.get(checkout.pk) or 0.0
        for bucket in (
            per_device[checkout.device.number],
            per_officer[str(checkout.officer)],
            per_section[str(checkout.device.org_unit)],
        ):
            bucket["checkouts"] += 1
            bucket["out"] += out_seconds
            bucket["footage"] += recorded
        previous = last_out.get(checkout.device_id)
        if previous is None or checkout.out_at > previous:
            last_out[checkout.device_id] = checkout.out_at

    def rows(table: dict[str, dict]) -> list[dict]:
        return [
            {
                "name": name,
                "checkouts": v["checkouts"],
                "hours_out": _hours(v["out"]),
                "footage_hours": _hours(v["footage"]),
            }
            for name, v in sorted(table.items())
        ]

    fault_counts = dict(
        visible_devices(user)
        .values("model__name")
        .annotate(n=Count("faults"))
        .values_list("model__name", "n")
    )
    device_counts = dict(
        visible_devices(user)
        .values("model__name")
        .annotate(n=Count("pk"))
        .values_list("model__name", "n")
    )
    models = [
        {
            "name": name,
            "devices": count,
            "faults": fault_counts.get(name, 0),
            "fault_rate": round(fault_counts.get(name, 0) / count, 2) if count else 0,
        }
        for name, count in sorted(device_counts.items())
    ]
    idle_since = now - timedelta(days=IDLE_DAYS)
    idle = [
        d.number
        for d in devices
        if d.status == DeviceStatus.AVAILABLE
        and (last_out.get(d.pk) is None or last_out[d.pk] < idle_since)
        and not d.checkouts.filter(out_at__gte=idle_since).exists()
    ]
    overdue = [
        d.number for d in devices if d.status != DeviceStatus.RETIRED and d.maintenance_overdue(now)
    ]
    return {
        "without_notice": sessions_without_notice(user, since),
        "days": days,
        "devices": rows(per_device),
        "officers": rows(per_officer),
        "sections": rows(per_section),
        "models": models,
        "idle": idle,
        "overdue": overdue,
        "devices_total": sum(1 for d in devices if d.status != DeviceStatus.RETIRED),
    }


def sessions_without_notice(user, since, limit: int = 200) -> list[dict]:
    """Recording sessions whose first segment carries no 告知 mark (第九条第二项): the
    party may not have been told that recording was on. Listed for the inspectors."""
    from fullrecord.media.access import visible_media
    from fullrecord.media.models import RecordingSession

    from .choices import MarkKind
    from .models import Mark

    items = visible_media(user, include_grants=False)
    sessions = (
        RecordingSession.objects.filter(started_at__gte=since, segments__in=items)
        .distinct()
        .order_by("-started_at")[:limit]
    )
    found = []
    for session in sessions:
        first = session.segments.order_by("used_at", "id").first()
        if first is None:
            continue
        if Mark.objects.filter(item=first, kind=MarkKind.NOTICE).exists():
            continue
        found.append(
            {
                "session": session.pk,
                "device_number": session.device_number,
                "started_at": session.started_at.isoformat(),
                "first_item": first.pk,
                "first_item_name": first.original_name,
            }
        )
    return found
