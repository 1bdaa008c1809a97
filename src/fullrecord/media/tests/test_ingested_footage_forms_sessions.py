"""End to end: a camera card taken in, analysed by the background task, grouped in sessions."""

from __future__ import annotations

from datetime import timedelta

import pytest

from fullrecord.media.models import MediaItem, RecordingSession

from .ingesttree import T0, camera_card, ingest

# Five one-second segments: three back to back, one after a 30 s gap, one 20 min later.
OFFSETS = (0, 1, 2, 33, 34 + 20 * 60)


@pytest.mark.parametrize("arrival", ["card order", "reversed"])
def test_analysed_segments_are_grouped_whatever_their_arrival(
    bureau, tmp_path, django_capture_on_commit_callbacks, arrival
):
    files = camera_card(tmp_path / "card", offsets=OFFSETS)
    with django_capture_on_commit_callbacks(execute=True):
        if arrival == "card order":
            ingest(tmp_path / "card", "--as", "officer")
        else:
            for path in reversed(files):  # a station delivering the last segment first
                ingest(path, "--as", "officer")
    items = list(MediaItem.objects.order_by("used_at"))
    assert [i.device_recorded_at for i in items] == [T0 + timedelta(seconds=s) for s in OFFSETS]
    assert all(i.duration == pytest.approx(1.0, abs=0.05) for i in items)
    first, second = RecordingSession.objects.order_by("started_at")
    assert [i.session_id for i in items] == [first.pk] * 4 + [second.pk]
    assert [i.interrupted for i in items] == [False, False, False, True, False]
    assert items[3].gap_before == pytest.approx(30.0, abs=0.05)
    assert (first.segment_count, first.interruption_count) == (4, 1)
    assert (second.segment_count, second.interruption_count) == (1, 0)
    assert first.device_number == "DSJ-A1" and first.officer == bureau.officer
