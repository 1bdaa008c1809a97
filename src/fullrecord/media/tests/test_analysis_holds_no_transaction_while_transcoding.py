"""Decoding and transcoding run outside any database transaction (they may take minutes)."""

from __future__ import annotations

import pytest
from django.db import connection

from fullrecord.media.analysis import proxy, streams
from fullrecord.media.choices import ProbeStatus
from fullrecord.media.models import MediaItem

from .mediafiles import ingest_file


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_copy_is_made_with_no_transaction_open(bureau, monkeypatch, mpeg4_avi):
    seen: dict[str, bool] = {}
    transcode, poster = proxy._transcode, streams._poster_frame

    def watched_transcode(*args, **kwargs):
        seen["transcode"] = connection.in_atomic_block
        return transcode(*args, **kwargs)

    def watched_poster(*args, **kwargs):
        seen["poster"] = connection.in_atomic_block
        return poster(*args, **kwargs)

    monkeypatch.setattr(proxy, "_transcode", watched_transcode)
    monkeypatch.setattr(streams, "_poster_frame", watched_poster)

    # Ingest commits, and the task then runs at once (the test task backend).
    item = ingest_file(mpeg4_avi, actor=bureau.officer)

    assert MediaItem.objects.get(pk=item.pk).status == ProbeStatus.PROXY
    assert seen == {"transcode": False, "poster": False}
