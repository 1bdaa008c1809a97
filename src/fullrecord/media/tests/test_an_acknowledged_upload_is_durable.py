"""The commit that acknowledges evidence reaches the disk before the client is told:
a power cut right after a 204 cannot take the finished upload back."""

from __future__ import annotations

import os

import pytest
from django.db import connection

from fullrecord.media.models import MediaItem, Upload

from .tus_helpers import Tus, metadata


def _durability() -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA synchronous")
            return {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}[cursor.fetchone()[0]]
        cursor.execute("SHOW synchronous_commit")
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_commit_that_finishes_an_upload_is_synchronous(bureau, monkeypatch):
    from fullrecord.media import services

    seen = []
    real = services.ingest_spooled

    def watching(*args, within=None, **kwargs):
        def inside(item, created):
            seen.append(_durability())  # in the very transaction that closes the upload
            within(item, created)

        return real(*args, within=inside, **kwargs)

    monkeypatch.setattr(services, "ingest_spooled", watching)
    data = os.urandom(70_000)
    _location, last = Tus(bureau.officer).upload(data, metadata(filename="scene.mp4"))

    assert last.status_code == 204
    assert seen == (["FULL"] if connection.vendor == "sqlite" else ["on"])
    assert Upload.objects.get().item == MediaItem.objects.get()
    # Other writes keep the cheaper setting: FULL for all cost 3-4x in commit rate.
    assert _durability() == ("NORMAL" if connection.vendor == "sqlite" else "on")
