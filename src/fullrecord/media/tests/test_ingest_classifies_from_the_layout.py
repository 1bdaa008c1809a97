"""第十五条: what the station or the file name says becomes the item's classification."""

from __future__ import annotations

import io
from datetime import timedelta

from django.core.management import call_command

from fullrecord.audit.models import AuditEntry
from fullrecord.core.testing.factories import CaseFactory
from fullrecord.media.models import MediaItem

from .ingesttree import T0, camera_card, clip, counted, ingest, station_export


def test_a_station_export_fills_device_officer_time_and_task(bureau, tmp_path):
    station_export(tmp_path / "export")
    out, error = ingest(tmp_path / "export", "--as", "head")
    assert error is None, out
    first, second = MediaItem.objects.order_by("used_at")
    for item in (first, second):
        assert item.device_number == "DSJ-B7"
        assert item.officer == bureau.officer2
        assert item.org_unit == bureau.officer2.org_unit
        assert item.task_reference == "XC-2026-031"
        assert item.uploaded_by == bureau.head
    assert first.used_at == T0 + timedelta(minutes=5)
    assert second.used_at == T0 + timedelta(minutes=5, seconds=1)
    entry = AuditEntry.objects.get(action="media.ingest", object_id=str(second.pk))
    assert entry.data["source"] == "ingest"
    assert entry.data["layout"] == "sidecar+manifest+station"
    assert entry.data["path"] == "采集站01/DSJ-B7/20260302/REC0002.MP4"


def test_a_camera_card_fills_them_from_the_file_names(bureau, tmp_path):
    camera_card(tmp_path / "card", device="dsj-a1", cert="c0001")
    out, error = ingest(tmp_path / "card", "--as", "officer")
    assert error is None, out
    items = list(MediaItem.objects.order_by("used_at"))
    assert [i.device_number for i in items] == ["DSJ-A1"] * 3
    assert [i.officer for i in items] == [bureau.officer] * 3
    assert [i.used_at for i in items] == [T0 + timedelta(seconds=s) for s in (0, 1, 2)]


def test_without_as_each_file_is_received_from_the_officer_it_names(bureau, tmp_path):
    camera_card(tmp_path / "card", cert="C0002")
    out, error = ingest(tmp_path / "card")
    assert error is None, out
    assert set(MediaItem.objects.values_list("uploaded_by", flat=True)) == {bureau.officer2.pk}


def test_without_as_a_file_naming_nobody_fails_and_says_what_to_do(bureau, tmp_path):
    clip(tmp_path / "card" / "clip.mp4")
    out, error = ingest(tmp_path / "card")
    assert error is not None
    assert "use --as" in out
    assert not MediaItem.objects.exists()


def test_an_unknown_officer_is_a_warning_and_the_file_is_still_taken_in(bureau, tmp_path):
    camera_card(tmp_path / "card", cert="C9999", offsets=(0,))
    # Received by the archivist, who records nothing: the item's officer can only come
    # from the layout (an officer handing it in would be taken for its recorder).
    out, error = ingest(tmp_path / "card", "--as", "archivist")
    assert error is None, out
    item = MediaItem.objects.get()
    assert item.officer is None  # an officer who is nobody here is not guessed
    assert item.device_number == "DSJ-A1"
    assert "warnings: 1" in out and "officer C9999 is nobody known here" in out
    entry = AuditEntry.objects.get(action="media.ingest", object_id=str(item.pk))
    assert entry.data["officer_raw"] == "C9999"


def test_files_can_be_linked_to_a_case_at_a_stage(bureau, tmp_path):
    case = CaseFactory(org_unit=bureau.section1, created_by=bureau.head)
    camera_card(tmp_path / "card", offsets=(0,))
    out, error = ingest(
        tmp_path / "card", "--as", "head", "--case", case.number, "--stage", "discovery"
    )
    assert error is None, out
    item = MediaItem.objects.get()
    link = item.case_links.get()
    assert (link.case, link.stage) == (case, "discovery")
    assert not item.unlinked


def test_bad_arguments_are_refused_before_anything_is_read(bureau, tmp_path):
    camera_card(tmp_path / "card", offsets=(0,))
    for args, message in [
        (["--as", "nobody"], "may not add"),
        (["--as", "ghost"], "No active user"),
        (["--as", "officer", "--case", "NOPE"], "No case"),
        (["--as", "officer", "--stage", "filing"], "--stage needs --case"),
    ]:
        _out, error = ingest(tmp_path / "card", *args)
        assert error is not None and message in str(error), (args, error)
    _out, error = ingest(tmp_path / "missing")
    assert error is not None and "does not exist" in str(error)
    assert not MediaItem.objects.exists()


def test_the_progress_bar_counts_bytes_and_files(bureau, tmp_path):
    files = camera_card(tmp_path / "card")
    total = sum(f.stat().st_size for f in files)
    out = io.StringIO()
    call_command("ingest", str(tmp_path / "card"), "--as", "officer", "--progress", stdout=out)
    text = out.getvalue()
    assert "\r[" + "#" * 30 + "] 100%  3/3 files" in text
    assert f"{total / 1024:.1f} KiB/{total / 1024:.1f} KiB" in text
    assert counted(text.replace("\r", "\n"), "new") == 3
