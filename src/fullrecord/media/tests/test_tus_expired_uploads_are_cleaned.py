"""Unfinished uploads past their expiry are removed by the ``expire_uploads`` task."""

from __future__ import annotations

import fcntl
import os
import time
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from fullrecord.media import tus
from fullrecord.media.choices import UploadState
from fullrecord.media.models import MediaItem, Upload
from fullrecord.media.tasks import expire_uploads

from .tus_helpers import Tus

DATA = os.urandom(10_000)


@pytest.fixture
def officer_tus(bureau):
    return Tus(bureau.officer)


def _started(officer_tus) -> tuple[str, Upload]:
    location = officer_tus.create(len(DATA))["Location"]
    officer_tus.patch(location, DATA[:1000], 0)
    return location, Upload.objects.get(pk=location.rsplit("/", 1)[1])


def _age(upload: Upload, **delta) -> None:
    Upload.objects.filter(pk=upload.pk).update(expires_at=timezone.now() - timedelta(**delta))


def test_the_task_frees_stale_uploads_and_leaves_live_ones(officer_tus):
    stale_location, stale = _started(officer_tus)
    live_location, live = _started(officer_tus)
    _, finished = officer_tus.upload(DATA)
    _age(stale, minutes=1)
    Upload.objects.filter(state=UploadState.COMPLETE).update(
        expires_at=timezone.now() - timedelta(days=30)
    )

    assert expire_uploads.call() == 1

    stale.refresh_from_db()
    assert stale.state == UploadState.EXPIRED
    assert not tus.spool_path(stale.pk).exists()
    assert officer_tus.head(stale_location).status_code == 410
    assert officer_tus.patch(stale_location, DATA[1000:], 1000).status_code == 410
    assert tus.spool_path(live.pk).stat().st_size == 1000
    assert officer_tus.head(live_location)["Upload-Offset"] == "1000"
    assert MediaItem.objects.filter(pk=finished["X-Media-Id"]).exists()
    assert expire_uploads.call() == 0


def test_an_upload_being_written_is_not_expired_under_the_writer(officer_tus):
    _, upload = _started(officer_tus)
    _age(upload, seconds=1)
    fd = os.open(tus.spool_path(upload.pk), os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # a PATCH in another worker
        assert tus.expire_stale_uploads() == 0
    finally:
        os.close(fd)
    assert tus.expire_stale_uploads() == 1


def test_an_upload_extended_before_the_sweep_stays(officer_tus):
    """A PATCH that pushed the expiry back just before the sweep keeps the upload alive."""
    _, upload = _started(officer_tus)
    sweep_time = timezone.now()
    Upload.objects.filter(pk=upload.pk).update(expires_at=sweep_time + timedelta(hours=72))
    assert tus.expire_stale_uploads(now=sweep_time) == 0
    assert tus.spool_path(upload.pk).exists()


def test_spool_files_no_upload_owns_are_swept_once_old(officer_tus):
    _, live = _started(officer_tus)
    orphan = tus.spool_path(uuid.uuid4())
    orphan.write_bytes(b"left by a crash")
    fresh = tus.spool_path(uuid.uuid4())
    fresh.write_bytes(b"an upload being created right now")
    hours_ago = time.time() - 2 * 3600
    os.utime(orphan, (hours_ago, hours_ago))
    os.utime(tus.spool_path(live.pk), (hours_ago, hours_ago))  # old, but still owned

    tus.expire_stale_uploads()

    assert not orphan.exists()
    assert fresh.exists()
    assert tus.spool_path(live.pk).exists()
    fresh.unlink()
