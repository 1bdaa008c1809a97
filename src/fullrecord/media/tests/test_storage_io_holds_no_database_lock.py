"""The store takes an original in (link, copy, fsync, S3 upload) outside any database
transaction: while it is slow, everyone else's writes go through — on SQLite the
write lock is held only for the rows, never past the busy timeout for a slow disk."""

from __future__ import annotations

import os
import threading

import pytest
from django.db import connections

from fullrecord.audit.services import record
from fullrecord.media.models import MediaItem
from fullrecord.media.store import get_store

from .ingesttree import ingest
from .tus_helpers import Tus, metadata

WAIT = 60  # bound on waiting for the other thread; the test never sleeps


@pytest.fixture
def slow_store(monkeypatch):
    """The store's put_file holds until the test lets it go, as a slow fsync would."""
    store = get_store()
    real = store.put_file
    started, release = threading.Event(), threading.Event()

    def held(*args, **kwargs):
        started.set()
        assert release.wait(WAIT)
        return real(*args, **kwargs)

    monkeypatch.setattr(store, "put_file", held)
    return started, release


def _while_storing(slow_store, work, actor) -> list:
    started, release = slow_store
    outcome: list = []

    def run() -> None:
        try:
            outcome.append(work())
        except Exception as exc:  # the result under test
            outcome.append(exc)
        finally:
            release.set()
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    try:
        assert started.wait(WAIT)
        # Another request writes while the original is being stored: it must not wait.
        record("test.meanwhile", actor=actor, summary="written while the store was busy")
    finally:
        release.set()
        thread.join(WAIT)
    assert not thread.is_alive()
    return outcome


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_write_goes_through_while_a_tus_finish_stores_its_original(bureau, slow_store):
    data = os.urandom(80_000)
    outcome = _while_storing(
        slow_store,
        lambda: Tus(bureau.officer).upload(data, metadata(filename="scene.mp4"))[1].status_code,
        bureau.head,
    )
    assert outcome == [204]
    assert MediaItem.objects.count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_write_goes_through_while_ingest_stores_an_original(bureau, slow_store, tmp_path):
    card = tmp_path / "card"
    card.mkdir()
    (card / "clip.mp4").write_bytes(os.urandom(80_000))
    outcome = _while_storing(slow_store, lambda: ingest(card, "--as", "officer"), bureau.head)
    out, error = outcome[0]
    assert error is None, out
    assert MediaItem.objects.count() == 1
