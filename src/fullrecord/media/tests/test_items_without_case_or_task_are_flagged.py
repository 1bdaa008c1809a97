"""第十八条第四项: footage linked to no case and no patrol task is flagged."""

from __future__ import annotations

from fullrecord.core.testing.factories import CaseFactory
from fullrecord.media.models import MediaItem
from fullrecord.media.services import link_to_case

from .ingesttree import camera_card, ingest, station_export


def test_items_with_no_case_and_no_task_stay_flagged(bureau, tmp_path):
    camera_card(tmp_path / "card")
    ingest(tmp_path / "card", "--as", "officer")
    assert MediaItem.objects.count() == 3
    assert all(MediaItem.objects.values_list("unlinked", flat=True))


def test_items_whose_station_names_a_task_are_not_flagged(bureau, tmp_path):
    station_export(tmp_path / "export")
    ingest(tmp_path / "export", "--as", "officer2")
    assert list(MediaItem.objects.values_list("task_reference", "unlinked")) == [
        ("XC-2026-031", False),
        ("XC-2026-031", False),
    ]


def test_linking_an_item_to_a_case_lifts_the_flag(bureau, tmp_path):
    camera_card(tmp_path / "card", offsets=(0,))
    ingest(tmp_path / "card", "--as", "officer")
    item = MediaItem.objects.get()
    case = CaseFactory(org_unit=bureau.section1, created_by=bureau.head)
    link_to_case(item, case, stage=case.stage, actor=bureau.head)
    item.refresh_from_db()
    assert not item.unlinked
