"""Several workers placing neighbouring segments at the same moment agree on one result.

Each thread has its own database connection; on PostgreSQL the row locks taken
by ``place_in_session`` make them take turns over a neighbourhood.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection

from fullrecord.core.testing.concurrency import race
from fullrecord.core.testing.personas import build_bureau
from fullrecord.media import sessions
from fullrecord.media.models import MediaItem, RecordingSession

from .test_segments_form_sessions import T0, segment


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_on_postgresql_segments_placed_at_once_form_one_session():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: row locks across connections")
    bureau = build_bureau()
    # Eight back-to-back minutes, with a 30 s gap before the sixth.
    offsets = [0, 60, 120, 180, 240, 330, 390, 450]
    items = [segment(bureau.officer, at=T0 + timedelta(seconds=s)) for s in offsets]

    def place(item_pk):
        return lambda: sessions.place_in_session(MediaItem.objects.get(pk=item_pk))

    results = race(*[place(i.pk) for i in reversed(items)])

    assert not [r for r in results if isinstance(r, Exception)], results
    session = RecordingSession.objects.get()
    assert (session.segment_count, session.interruption_count) == (8, 1)
    placed = list(MediaItem.objects.filter(pk__in=[i.pk for i in items]).order_by("used_at"))
    assert {i.session_id for i in placed} == {session.pk}
    assert [i.interrupted for i in placed] == [False] * 5 + [True] + [False] * 2
