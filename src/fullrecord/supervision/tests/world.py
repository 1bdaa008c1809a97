"""A small bureau with cases and footage in two sections, for the supervision tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from fullrecord.cases import services as case_services
from fullrecord.cases.models import Case, Cause
from fullrecord.core.testing.personas import Bureau
from fullrecord.media.models import MediaItem
from fullrecord.media.tests.evidence import ingest_bytes
from fullrecord.supervision import services


@dataclass
class World:
    bureau: Bureau
    cases1: list[Case]
    cases2: list[Case]
    items1: list[MediaItem]
    items2: list[MediaItem]

    @property
    def inspector(self):
        return self.bureau.inspector


def make_case(
    b: Bureau, unit, officers, *, days_ago: int = 10, address: str = "清河县城关镇"
) -> Case:
    return case_services.create_case(
        actor=b.leader,
        cause=Cause.objects.filter(active=True).order_by("pk").first(),
        source="patrol",
        org_unit=unit,
        address=address,
        discovered_on=timezone.localdate() - timedelta(days=days_ago),
        officers=officers,
    )


def make_item(officer, n: int, *, name: str | None = None, device: str = "DSJ-01") -> MediaItem:
    stamp = timezone.now().isoformat()
    item = ingest_bytes(
        officer,
        f"footage {n} {stamp}".encode(),
        name or f"clip-{n}.mp4",
        device_number=device,
        used_at=timezone.now() - timedelta(days=3, minutes=n),
    ).item
    return item


def build(b: Bureau, *, cases_each: int = 4, items_each: int = 5) -> World:
    cases1 = [make_case(b, b.section1, [b.officer, b.officer2]) for _ in range(cases_each)]
    cases2 = [make_case(b, b.section2, [b.other_officer]) for _ in range(cases_each)]
    items1 = [make_item(b.officer, n) for n in range(items_each)]
    items2 = [make_item(b.other_officer, 100 + n, device="DSJ-02") for n in range(items_each)]
    return World(b, cases1, cases2, items1, items2)


def plan(world: World, *, start: bool = True, **values):
    """A plan of the inspector's, started (its seed fixed) unless ``start=False``."""
    today = timezone.localdate()
    defaults = {
        "title": "2026年第四季度案卷评查",
        "period_start": today - timedelta(days=60),
        "period_end": today,
        "cases_per_stratum": 2,
        "footage_per_stratum": 2,
    }
    p = services.create_plan(actor=world.inspector, **{**defaults, **values})
    return services.start_plan(p, actor=world.inspector) if start else p
