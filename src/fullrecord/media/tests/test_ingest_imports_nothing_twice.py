"""Running ``fullrecord ingest`` twice on the same folder imports nothing twice."""

from __future__ import annotations

import os
import shutil

from fullrecord.audit.models import AuditEntry
from fullrecord.media.models import IngestSource, MediaItem

from .ingesttree import camera_card, counted, ingest, station_export


def test_a_second_run_skips_every_file_without_reading_it(bureau, tmp_path, monkeypatch):
    camera_card(tmp_path / "card")
    station_export(tmp_path / "card")
    out, error = ingest(tmp_path / "card", "--as", "officer")
    assert error is None, out
    assert counted(out, "new") == 5
    assert MediaItem.objects.count() == 5
    assert IngestSource.objects.count() == 5

    def no_reading(*args, **kwargs):
        raise AssertionError("a known file was read again")

    monkeypatch.setattr("fullrecord.media.management.commands.ingest.spool_chunks", no_reading)
    out, error = ingest(tmp_path / "card", "--as", "officer")
    assert error is None, out
    assert (counted(out, "new"), counted(out, "duplicates"), counted(out, "failed")) == (0, 0, 0)
    assert "already taken in 5" in out
    assert MediaItem.objects.count() == 5


def test_a_touched_file_is_read_again_but_stored_once(bureau, tmp_path):
    files = camera_card(tmp_path / "card")
    ingest(tmp_path / "card", "--as", "officer")
    stat = files[0].stat()
    os.utime(files[0], ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    out, error = ingest(tmp_path / "card", "--as", "officer")
    assert error is None
    assert (counted(out, "new"), counted(out, "duplicates")) == (0, 1)
    assert MediaItem.objects.count() == 3
    # The second receipt is a custody event on the existing item, not a second item.
    assert AuditEntry.objects.filter(action="media.duplicate").count() == 1


def test_the_same_files_in_another_folder_are_duplicates(bureau, tmp_path):
    camera_card(tmp_path / "card")
    shutil.copytree(tmp_path / "card", tmp_path / "copy")
    ingest(tmp_path / "card", "--as", "officer")
    out, _error = ingest(tmp_path / "copy", "--as", "officer2")
    assert (counted(out, "new"), counted(out, "duplicates")) == (0, 3)
    assert MediaItem.objects.count() == 3
    # ...and the copy is now known too: a third run skips it.
    out, _error = ingest(tmp_path / "copy", "--as", "officer2")
    assert counted(out, "duplicates") == 0


def test_a_dry_run_stores_nothing(bureau, tmp_path):
    camera_card(tmp_path / "card")
    out, error = ingest(tmp_path / "card", "--as", "officer", "--dry-run")
    assert error is None
    assert counted(out, "would take in") == 3
    assert "device=DSJ-A1 officer=officer" in out
    assert not MediaItem.objects.exists()
    assert not IngestSource.objects.exists()
