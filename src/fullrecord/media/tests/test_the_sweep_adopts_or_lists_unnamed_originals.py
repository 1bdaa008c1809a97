"""``recovery.adopt_orphans``: every original in the store is named by a record, taken
into the upload that received it, or listed for the archivist — never left silent.

These build on disk what a crash of the previous order of the finish left (the spool
file removed before the commit); the crashes of the current order are killed for real
in ``test_a_finish_killed_at_any_point_is_resumed``.
"""

from __future__ import annotations

import hashlib
import logging
import os

from fullrecord.audit.models import AuditEntry
from fullrecord.media import tus
from fullrecord.media.choices import UploadState
from fullrecord.media.models import MediaItem, Upload
from fullrecord.media.recovery import adopt_orphans
from fullrecord.media.spool import spool_chunks
from fullrecord.media.store import get_store

from .tus_helpers import Tus, metadata


def _received_then_spool_lost(bureau) -> tuple[Upload, bytes, str]:
    """All bytes received and stored, the spool file gone, nothing committed."""
    data = os.urandom(120_000)
    sha256 = hashlib.sha256(data).hexdigest()
    officer = Tus(bureau.officer)
    location = officer.create(len(data), metadata(filename="scene.mp4"))["Location"]
    assert officer.patch(location, data[:50_000], 0).status_code == 204
    upload = Upload.objects.get()
    path = tus.spool_path(upload.pk)
    with open(path, "ab") as spool:
        spool.write(data[50_000:])
    Upload.objects.filter(pk=upload.pk).update(sha256=sha256)
    get_store().put_file(path, sha256, len(data))
    path.unlink()
    return upload, data, sha256


def test_a_head_finishes_an_upload_from_the_stored_blob_when_its_spool_is_gone(bureau):
    upload, data, sha256 = _received_then_spool_lost(bureau)
    location = f"/api/uploads/{upload.pk}"

    head = Tus(bureau.officer).head(location)

    assert head.status_code == 200
    assert head["Upload-Offset"] == str(len(data)) and head["X-Media-Sha256"] == sha256
    item = MediaItem.objects.get(sha256=sha256)
    assert Upload.objects.get().item == item
    assert AuditEntry.objects.filter(action="media.ingest", object_id=str(item.pk)).count() == 1


def test_the_sweep_adopts_a_stored_original_into_the_upload_that_received_it(bureau):
    upload, _data, sha256 = _received_then_spool_lost(bureau)

    report = adopt_orphans()

    # (The store outlives each test: originals of earlier tests are unnamed here.)
    assert report.finished == [upload.pk] and sha256 not in report.unclaimed
    assert Upload.objects.get().state == UploadState.COMPLETE
    assert MediaItem.objects.get(sha256=sha256).uploaded_by == bureau.officer
    assert adopt_orphans().finished == []  # once


def test_received_bytes_never_expire(bureau, time_machine):
    upload, _data, sha256 = _received_then_spool_lost(bureau)
    time_machine.move_to(upload.expires_at, tick=False)
    time_machine.shift(3600)

    assert tus.expire_stale_uploads() == 0
    assert Upload.objects.get().state == UploadState.RECEIVING
    adopt_orphans()
    assert MediaItem.objects.filter(sha256=sha256).exists()


def test_a_store_file_nobody_claims_is_listed_for_the_archivist_and_kept(bureau, caplog):
    data = os.urandom(40_000)
    spooled = spool_chunks([data])  # as a killed `fullrecord ingest` leaves it
    get_store().put_file(spooled.path, spooled.sha256, spooled.size)
    spooled.path.unlink()

    with caplog.at_level(logging.ERROR, logger="fullrecord.media.recovery"):
        report = adopt_orphans()

    assert spooled.sha256 in report.unclaimed
    assert spooled.sha256 in caplog.text
    assert get_store().exists(spooled.sha256)
    assert not MediaItem.objects.exists()
