"""Marked moments (告知, arrival, questioning, free) lie within the record; a mark outside
its duration is refused. A recording whose first segment has no 告知 mark is listed."""

from __future__ import annotations

import pytest
from django.utils import timezone

from fullrecord.devices.models import Mark
from fullrecord.devices.services import DeviceError, add_mark
from fullrecord.devices.statistics import compute
from fullrecord.media.models import MediaItem, RecordingSession

from .helpers import footage


@pytest.fixture
def record(bureau):
    item = footage(bureau.officer, "m.mp4", device_number="DSJ-0701", device_time=timezone.now())
    MediaItem.objects.filter(pk=item.pk).update(duration=12.0)
    return MediaItem.objects.get(pk=item.pk)


def test_a_mark_outside_the_duration_is_refused(bureau, record):
    with pytest.raises(DeviceError):
        add_mark(record, actor=bureau.officer, at_seconds=12.5, kind="notice")
    with pytest.raises(DeviceError):
        add_mark(record, actor=bureau.officer, at_seconds=-1, kind="notice")
    assert not Mark.objects.exists()

    add_mark(record, actor=bureau.officer, at_seconds=12.0, kind="arrival", note="到达现场")
    assert Mark.objects.get().kind == "arrival"


def test_someone_who_may_not_classify_the_record_cannot_mark_it(bureau, record):
    with pytest.raises(DeviceError):
        add_mark(record, actor=bureau.other_officer, at_seconds=1, kind="free")


def test_the_marks_api_answers_with_the_marks_and_refuses_a_wrong_moment(bureau, record):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(bureau.officer)
    url = f"/api/media/{record.pk}/marks/"

    assert api.post(url, {"at_seconds": 99, "kind": "notice"}, format="json").status_code == 400
    assert api.post(url, {"at_seconds": 1.5, "kind": "notice"}, format="json").status_code == 201
    assert [m["kind"] for m in api.get(url).json()] == ["notice"]


def test_a_session_without_notice_on_its_first_segment_is_listed_until_marked(bureau, record):
    session = RecordingSession.objects.create(
        device_number="DSJ-0701",
        started_at=record.used_at,
        ended_at=record.used_at,
        segment_count=1,
    )
    MediaItem.objects.filter(pk=record.pk).update(session=session)

    listed = compute(bureau.inspector)["without_notice"]
    assert [s["first_item"] for s in listed] == [record.pk]

    add_mark(record, actor=bureau.officer, at_seconds=0.5, kind="notice")
    assert compute(bureau.inspector)["without_notice"] == []
