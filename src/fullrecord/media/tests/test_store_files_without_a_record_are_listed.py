"""A file in the evidence store that no record names is listed, never silently "OK".

This is what a crash between linking an original into the store and the commit leaves
behind: the file is put into the real store with no row, as that crash would.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone, translation

from fullrecord.core.models import PeriodicRun
from fullrecord.core.periodic import enqueue_due
from fullrecord.media import fixity
from fullrecord.media.spool import spool_chunks
from fullrecord.notifications.models import Notification

from .evidence import ingest_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_store")]


@pytest.fixture
def orphan(empty_store) -> str:
    """Bytes received and stored, whose database row never committed."""
    data = b"footage whose row was lost in a crash"
    spooled = spool_chunks([data])
    empty_store.put_file(spooled.path, spooled.sha256, spooled.size)
    assert spooled.sha256 == hashlib.sha256(data).hexdigest()
    return spooled.sha256


def test_verify_lists_a_store_file_no_record_refers_to(bureau, orphan, capsys):
    known = ingest_bytes(bureau.officer, b"registered footage", "ok.mp4").item

    with translation.override("en"), pytest.raises(CommandError):
        call_command("verify")

    err = capsys.readouterr().err
    assert f"store file {orphan}: no record refers to it" in err
    assert known.sha256 not in err


def test_the_sweep_reports_it_and_tells_the_archivists(
    bureau, orphan, django_capture_on_commit_callbacks
):
    ingest_bytes(bureau.officer, b"registered footage", "ok.mp4")

    result = fixity.sweep()

    assert result["orphans"] == [orphan]
    assert result["checked"] == 1 and result["failed"] == []
    [message] = Notification.objects.filter(key__startswith="fixity-orphans-")
    assert message.recipient == bureau.archivist
    assert orphan[:12] in message.message


def test_the_sweep_of_a_sound_store_reports_nothing(bureau):
    ingest_bytes(bureau.officer, b"registered footage", "ok.mp4")

    assert fixity.sweep()["orphans"] == []
    assert not Notification.objects.filter(key__startswith="fixity").exists()


def test_the_sweep_is_a_daily_periodic_job_that_a_setting_turns_off(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    now = timezone.now()

    assert "fixity_sweep" in enqueue_due(now)
    assert "fixity_sweep" not in enqueue_due(now + timedelta(hours=23))
    assert "fixity_sweep" in enqueue_due(now + timedelta(hours=24))

    settings.FULLRECORD_FIXITY_SWEEP_HOURS = 0
    assert "fixity_sweep" not in enqueue_due(now + timedelta(days=30))
    assert PeriodicRun.objects.get(name="fixity_sweep").last_enqueued_at == now + timedelta(
        hours=24
    )
