"""第九条第三项: consecutive segments of one device form a session; gaps are interruptions."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from fullrecord.media import sessions
from fullrecord.media.models import MediaItem, RecordingSession

from .evidence import ingest_bytes

T0 = datetime(2026, 3, 2, 9, 0, 0, tzinfo=timezone.get_fixed_timezone(8 * 60))
_counter = itertools.count()


def segment(user, *, at, duration=60.0, device="DSJ-001", officer=None) -> MediaItem:
    """An item as analysis leaves it: device stamp and duration known."""
    item = ingest_bytes(
        user, f"segment {next(_counter)}".encode(), "seg.mp4", device_number=device
    ).item
    MediaItem.objects.filter(pk=item.pk).update(
        device_recorded_at=at, duration=duration, officer=officer or user
    )
    item.refresh_from_db()
    return item


def place_all(items):
    for item in items:
        sessions.place_in_session(item)
    return [MediaItem.objects.get(pk=i.pk) for i in items]


def shape(items):
    """What a reader sees: which items share a session, and each item's gap and flag."""
    items = [MediaItem.objects.get(pk=i.pk) for i in items]
    first_of = {}
    for i in items:
        first_of.setdefault(i.session_id, i.pk)
    return [(first_of[i.session_id], i.gap_before, i.interrupted) for i in items]


def test_three_segments_back_to_back_are_one_uninterrupted_session(bureau):
    a, b, c = place_all(
        [
            segment(bureau.officer, at=T0),
            segment(bureau.officer, at=T0 + timedelta(seconds=60)),
            segment(bureau.officer, at=T0 + timedelta(seconds=121)),  # 1 s: within tolerance
        ]
    )
    assert a.session_id == b.session_id == c.session_id is not None
    assert (a.gap_before, b.gap_before, c.gap_before) == (None, 0.0, 1.0)
    assert not (a.interrupted or b.interrupted or c.interrupted)
    session = RecordingSession.objects.get()
    assert session.device_number == "DSJ-001"
    assert session.officer == bureau.officer
    assert session.segment_count == 3
    assert session.interruption_count == 0
    assert session.started_at == T0
    assert session.ended_at == T0 + timedelta(seconds=181)


def test_a_thirty_second_gap_is_an_interruption_with_its_length(bureau):
    a, b, c = place_all(
        [
            segment(bureau.officer, at=T0),
            segment(bureau.officer, at=T0 + timedelta(seconds=90)),
            segment(bureau.officer, at=T0 + timedelta(seconds=150)),
        ]
    )
    assert a.session_id == b.session_id == c.session_id
    assert b.interrupted and b.gap_before == 30.0
    assert not c.interrupted and c.gap_before == 0.0
    assert RecordingSession.objects.get().interruption_count == 1


def test_a_twenty_minute_gap_starts_a_second_session(bureau):
    a, b, c = place_all(
        [
            segment(bureau.officer, at=T0),
            segment(bureau.officer, at=T0 + timedelta(seconds=60)),
            segment(bureau.officer, at=T0 + timedelta(minutes=22)),
        ]
    )
    assert a.session_id == b.session_id != c.session_id
    assert c.gap_before is None and not c.interrupted
    first, second = RecordingSession.objects.order_by("started_at")
    assert (first.segment_count, second.segment_count) == (2, 1)
    assert (first.interruption_count, second.interruption_count) == (0, 0)


@override_settings(FULLRECORD_SEGMENT_GAP_SECONDS=40, FULLRECORD_SESSION_BREAK_MINUTES=30)
def test_the_tolerances_come_from_the_settings(bureau):
    a, b, c = place_all(
        [
            segment(bureau.officer, at=T0),
            segment(bureau.officer, at=T0 + timedelta(seconds=90)),  # 30 s < 40 s
            segment(bureau.officer, at=T0 + timedelta(minutes=22)),  # 19.5 min < 30 min
        ]
    )
    assert a.session_id == b.session_id == c.session_id
    assert not b.interrupted
    assert c.interrupted


def timeline(user):
    """Seven segments: a back-to-back run, a 30 s interruption, a 20 min break, another run."""
    offsets = [0, 60, 120, 210, 270, 1530, 1590]
    return [segment(user, at=T0 + timedelta(seconds=s)) for s in offsets]


@pytest.mark.parametrize(
    "order",
    [
        [0, 1, 2, 3, 4, 5, 6],
        [6, 5, 4, 3, 2, 1, 0],
        [2, 0, 1, 5, 3, 6, 4],
        [3, 6, 0, 4, 1, 5, 2],
    ],
)
def test_arrival_order_does_not_change_the_result(bureau, order):
    items = timeline(bureau.officer)
    place_all([items[i] for i in order])
    got = shape(items)
    assert [pk for pk, _g, _i in got] == [items[0].pk] * 5 + [items[5].pk] * 2
    assert [(g, i) for _pk, g, i in got] == [
        (None, False),
        (0.0, False),
        (0.0, False),
        (30.0, True),
        (0.0, False),
        (None, False),
        (0.0, False),
    ]
    assert RecordingSession.objects.count() == 2
    assert sorted(RecordingSession.objects.values_list("segment_count", "interruption_count")) == [
        (2, 0),
        (5, 1),
    ]


def test_a_late_segment_bridging_two_sessions_merges_them_and_placing_again_changes_nothing(
    bureau,
):
    a = segment(bureau.officer, at=T0, duration=600)
    c = segment(bureau.officer, at=T0 + timedelta(minutes=25), duration=600)  # 15 min after a
    place_all([a, c])
    assert RecordingSession.objects.count() == 2
    b = segment(bureau.officer, at=T0 + timedelta(minutes=10), duration=600)  # 5 min before c
    place_all([b])
    assert RecordingSession.objects.count() == 1
    session = RecordingSession.objects.get()
    assert (session.segment_count, session.interruption_count) == (3, 1)
    assert shape([a, b, c]) == [(a.pk, None, False), (a.pk, 0.0, False), (a.pk, 300.0, True)]
    before = shape([a, b, c]), list(RecordingSession.objects.values())
    place_all([b, a, c, b])
    assert (shape([a, b, c]), list(RecordingSession.objects.values())) == before


def test_items_without_device_number_or_duration_stay_out_of_sessions(bureau):
    no_device = segment(bureau.officer, at=T0, device="")
    no_duration = segment(bureau.officer, at=T0)
    MediaItem.objects.filter(pk=no_duration.pk).update(duration=None)
    assert sessions.place_in_session(no_device) is None
    assert sessions.place_in_session(no_duration) is None
    assert not RecordingSession.objects.exists()


def test_a_corrected_device_number_moves_the_item_out_of_its_session(bureau):
    a, b, c = place_all(
        [segment(bureau.officer, at=T0 + timedelta(seconds=s)) for s in (0, 60, 120)]
    )
    MediaItem.objects.filter(pk=b.pk).update(device_number="DSJ-002")
    sessions.place_in_session(b)
    a, b, c = (MediaItem.objects.get(pk=i.pk) for i in (a, b, c))
    assert a.session_id == c.session_id != b.session_id
    assert c.interrupted and c.gap_before == 60.0
    assert b.session.device_number == "DSJ-002"
    assert sorted(RecordingSession.objects.values_list("device_number", "segment_count")) == [
        ("DSJ-001", 2),
        ("DSJ-002", 1),
    ]


def test_handing_the_camera_to_another_officer_starts_their_session(bureau):
    a, b = place_all(
        [
            segment(bureau.officer, at=T0),
            segment(bureau.officer2, at=T0 + timedelta(seconds=120)),
        ]
    )
    assert a.session_id != b.session_id
    assert not b.interrupted
    assert b.session.officer == bureau.officer2


def test_other_devices_do_not_share_a_session(bureau):
    a, b = place_all(
        [
            segment(bureau.officer, at=T0, device="DSJ-001"),
            segment(bureau.officer, at=T0 + timedelta(seconds=60), device="DSJ-002"),
        ]
    )
    assert a.session_id != b.session_id


def test_rebuild_gives_what_placement_gave(bureau):
    items = timeline(bureau.officer)
    place_all(items)
    expected = (
        shape(items),
        sorted(RecordingSession.objects.values_list("segment_count", "interruption_count")),
    )
    # Throw the derived data away, then rebuild it from the segments alone.
    RecordingSession.objects.all().delete()
    MediaItem.objects.update(gap_before=None, interrupted=False)
    assert sessions.rebuild("DSJ-001") == {"DSJ-001": 2}
    assert (
        shape(items),
        sorted(RecordingSession.objects.values_list("segment_count", "interruption_count")),
    ) == expected


def test_the_sessions_command_rebuilds_and_reports(bureau, capsys):
    items = timeline(bureau.officer)
    place_all(items)
    RecordingSession.objects.all().delete()
    call_command("sessions", "--rebuild", "--device", "DSJ-001")
    out = capsys.readouterr().out
    assert "DSJ-001" in out
    assert RecordingSession.objects.count() == 2
    call_command("sessions")
    out = capsys.readouterr().out
    assert "DSJ-001" in out and "2" in out
