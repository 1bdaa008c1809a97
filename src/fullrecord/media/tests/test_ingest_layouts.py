"""Each folder layout we accept tells the device, officer, start time and task of a file."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from fullrecord.media import layouts
from fullrecord.media.layouts import Found, Resolver, layout
from fullrecord.media.layouts.metadata import is_sidecar
from fullrecord.media.layouts.values import parse_time

SHANGHAI = timedelta(hours=8)


def put(root: Path, rel: str, data: bytes | str = b"\x00\x00\x00\x18ftypmp42") -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    path.write_bytes(data)
    return path


def hints_for(root: Path, rel: str):
    return Resolver(root).resolve(rel)


def at(*args) -> datetime:
    return datetime(*args, tzinfo=UTC) - SHANGHAI


# --- GA/T 947-style names


@pytest.mark.parametrize(
    ("name", "device", "officer", "sequence"),
    [
        ("DSJ-A1_C0001_20260302090000_0001.MP4", "DSJ-A1", "officer", "0001"),
        ("dsj-a1-c0001-20260302-090000-0002.mp4", "DSJ-A1", "officer", "0002"),
        ("DSJ-A1 C0002 20260302_090000 3.mov", "DSJ-A1", "officer2", "3"),
        ("QH_DSJ-A1_c0004_20260302090000_12.avi", "DSJ-A1", "head", "12"),
        ("DSJ-A1#C0001#20260302090000#0001.mp4", "DSJ-A1", "officer", "0001"),
        ("DSJ-A1_20260302090000_0001.mp4", "DSJ-A1", None, "0001"),
    ],
)
def test_the_gat947_body_camera_name_is_read_leniently(
    bureau, tmp_path, name, device, officer, sequence
):
    put(tmp_path, name)
    resolved = hints_for(tmp_path, name)
    hints = resolved.hints
    assert hints.device_number == device
    assert hints.officer == (getattr(bureau, officer) if officer else None)
    assert hints.used_at == at(2026, 3, 2, 9, 0, 0)
    assert hints.used_at.utcoffset() == SHANGHAI  # naive times are Asia/Shanghai
    assert hints.extra["sequence"] == sequence
    assert hints.extra["layout"] == "gat947"
    assert resolved.warnings == []


@pytest.mark.parametrize(
    "name",
    [
        "IMG_20260302_090000.jpg",  # a phone's photo: "IMG" is no device number
        "DSJ-A1_C0001_20261302090000_0001.mp4",  # month 13
        "notes.txt",
        "20260302090000.mp4",
    ],
)
def test_names_that_are_not_gat947_give_no_device(bureau, tmp_path, name):
    put(tmp_path, name)
    hints = hints_for(tmp_path, name).hints
    assert hints.device_number == ""
    assert hints.officer is None
    assert "layout" not in hints.extra


# --- docking-station export trees


def test_a_station_tree_gives_the_device_from_its_folder(bureau, tmp_path):
    rel = "采集站01/DSJ-B7/20260302/REC0001.MP4"
    put(tmp_path, rel)
    hints = hints_for(tmp_path, rel).hints
    assert hints.device_number == "DSJ-B7"
    assert hints.extra["station"] == "采集站01"
    assert hints.extra["station_day"] == "2026-03-02"
    assert hints.extra["layout"] == "station"


def test_a_station_manifest_gives_every_field_and_a_file_entry_wins(bureau, tmp_path):
    folder = "采集站01/DSJ-B7/20260302"
    put(tmp_path, f"{folder}/REC0001.MP4")
    put(tmp_path, f"{folder}/REC0002.MP4")
    manifest = {
        "station": "采集站01",
        "device_id": "DSJ-B7",
        "officer": {"certificate": "C0001", "name": "officer"},
        "task_no": "XC-2026-031",
        "files": [
            {"FileName": "REC0001.MP4", "StartTime": "2026-03-02 09:00:00"},
            {"FileName": "REC0002.MP4", "StartTime": 1772413260, "执法证号": "C0002"},
        ],
    }
    put(tmp_path, f"{folder}/manifest.json", json.dumps(manifest, ensure_ascii=False))
    resolver = Resolver(tmp_path)
    first = resolver.resolve(f"{folder}/REC0001.MP4").hints
    second = resolver.resolve(f"{folder}/REC0002.MP4").hints
    assert (first.device_number, first.officer, first.task_reference) == (
        "DSJ-B7",
        bureau.officer,
        "XC-2026-031",
    )
    assert first.used_at == at(2026, 3, 2, 9, 0, 0)
    assert second.officer == bureau.officer2
    assert second.used_at == datetime.fromtimestamp(1772413260, tz=UTC)
    assert first.extra["layout"] == "manifest+station"


def test_a_manifest_may_map_file_names(bureau, tmp_path):
    put(tmp_path, "DSJ-B7/20260302/a.mp4")
    put(
        tmp_path,
        "DSJ-B7/20260302/manifest.json",
        json.dumps({"files": {"A.MP4": {"device": "DSJ-B7", "start": "2026-03-02T09:00:00Z"}}}),
    )
    hints = hints_for(tmp_path, "DSJ-B7/20260302/a.mp4").hints
    assert hints.device_number == "DSJ-B7"
    assert hints.used_at == datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_a_gbk_xml_sidecar_is_read_and_wins_over_the_manifest(bureau, tmp_path):
    folder = "采集站01/DSJ-B7/20260302"
    put(tmp_path, f"{folder}/REC0003.MP4")
    put(tmp_path, f"{folder}/manifest.json", json.dumps({"device": "DSJ-B7", "officer": "C0001"}))
    xml = (
        '<?xml version="1.0" encoding="GBK"?>\n'
        "<录像><设备编号>DSJ-B7</设备编号><执法证号>C0002</执法证号>"
        "<开始时间>2026年03月02日 10:00:00</开始时间><任务编号>XC-2026-032</任务编号></录像>"
    )
    put(tmp_path, f"{folder}/REC0003.MP4.xml", xml.encode("gbk"))
    resolved = hints_for(tmp_path, f"{folder}/REC0003.MP4")
    hints = resolved.hints
    assert hints.officer == bureau.officer2
    assert hints.used_at == at(2026, 3, 2, 10, 0, 0)
    assert hints.task_reference == "XC-2026-032"
    assert hints.extra["sidecar"] == "REC0003.MP4.xml"
    assert any("officer" in w and "kept sidecar" in w for w in resolved.warnings)


def test_a_json_sidecar_named_by_stem_is_read(bureau, tmp_path):
    put(tmp_path, "x/clip.mp4")
    put(tmp_path, "x/clip.json", json.dumps({"DeviceNo": "dsj 77", "PoliceNo": "officer"}))
    hints = hints_for(tmp_path, "x/clip.mp4").hints
    assert hints.device_number == "DSJ77"
    assert hints.officer == bureau.officer  # by user name when no certificate matches


def test_xml_with_entities_is_not_read(bureau, tmp_path):
    put(tmp_path, "clip.mp4")
    put(
        tmp_path,
        "clip.mp4.xml",
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><r><device>&a;</device></r>',
    )
    resolved = hints_for(tmp_path, "clip.mp4")
    assert resolved.hints.device_number == ""
    assert any("not understood" in w for w in resolved.warnings)


def test_a_broken_manifest_is_a_warning_not_a_failure(bureau, tmp_path):
    put(tmp_path, "DSJ-B7/20260302/a.mp4")
    put(tmp_path, "DSJ-B7/20260302/manifest.json", "{not json")
    resolved = hints_for(tmp_path, "DSJ-B7/20260302/a.mp4")
    assert resolved.hints.device_number == "DSJ-B7"  # the folder still says it
    assert any("manifest.json not understood" in w for w in resolved.warnings)


def test_sidecars_and_manifests_are_recognised_as_such(tmp_path):
    names = {"a.mp4", "a.mp4.json", "b.mov", "b.xml", "manifest.json", "lonely.json"}
    assert is_sidecar("a.mp4.json", names)
    assert is_sidecar("b.xml", names)
    assert is_sidecar("manifest.json", names)
    assert not is_sidecar("lonely.json", names)  # beside nothing: a file like any other
    assert not is_sidecar("a.mp4", names)


# --- plain trees


def test_a_plain_device_officer_tree_is_read(bureau, tmp_path):
    put(tmp_path, "DSJ-009/C0003/clip.mp4")
    hints = hints_for(tmp_path, "DSJ-009/C0003/clip.mp4").hints
    assert hints.device_number == "DSJ-009"
    assert hints.officer == bureau.other_officer
    assert hints.extra["layout"] == "plain"


@pytest.mark.parametrize("rel", ["photos/march/a.jpg", "a/DSJ-009/C0003/clip.mp4", "clip.mp4"])
def test_other_trees_are_not_taken_for_plain_ones(bureau, tmp_path, rel):
    put(tmp_path, rel)
    hints = hints_for(tmp_path, rel).hints
    assert hints.device_number == ""
    assert hints.extra == {}


def test_an_unknown_officer_is_kept_as_text_and_reported(bureau, tmp_path):
    put(tmp_path, "DSJ-009/C9999/clip.mp4")
    resolved = hints_for(tmp_path, "DSJ-009/C9999/clip.mp4")
    assert resolved.hints.officer is None
    assert resolved.hints.extra["officer_raw"] == "C9999"
    assert any("C9999" in w for w in resolved.warnings)


def test_the_file_name_wins_over_the_folder_and_the_disagreement_is_reported(bureau, tmp_path):
    rel = "DSJ-009/C0003/DSJ-010_C0001_20260302090000_0001.mp4"
    put(tmp_path, rel)
    resolved = hints_for(tmp_path, rel)
    assert resolved.hints.device_number == "DSJ-010"
    assert resolved.hints.officer == bureau.officer
    assert resolved.hints.extra["layout"] == "gat947+plain"
    assert len(resolved.warnings) == 2


# --- the registry


@pytest.fixture
def vendor_layout():
    @layout("acme-station", priority=95)
    def parse(source):
        if source.rel.suffix.lower() != ".acme":
            return None
        device, _rest = source.rel.stem.split("@", 1)
        return Found(device_number=device, task_reference="ACME")

    yield
    del layouts._REGISTRY["acme-station"]


def test_a_new_vendor_is_one_decorated_function(bureau, tmp_path, vendor_layout):
    put(tmp_path, "DSJ-77@0001.acme")
    hints = hints_for(tmp_path, "DSJ-77@0001.acme").hints
    assert (hints.device_number, hints.task_reference) == ("DSJ-77", "ACME")
    assert hints.extra["layout"] == "acme-station"


def test_a_failing_layout_is_a_warning(bureau, tmp_path):
    @layout("broken", priority=1)
    def parse(source):
        raise RuntimeError("vendor bug")

    try:
        put(tmp_path, "DSJ-A1_C0001_20260302090000_0001.mp4")
        resolved = hints_for(tmp_path, "DSJ-A1_C0001_20260302090000_0001.mp4")
    finally:
        del layouts._REGISTRY["broken"]
    assert resolved.hints.device_number == "DSJ-A1"
    assert any("vendor bug" in w for w in resolved.warnings)


# --- times


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("20260302090000", at(2026, 3, 2, 9, 0, 0)),
        ("2026-03-02 09:00:00", at(2026, 3, 2, 9, 0, 0)),
        ("2026/03/02 09:00", at(2026, 3, 2, 9, 0, 0)),
        ("2026年03月02日 09:00:00", at(2026, 3, 2, 9, 0, 0)),
        ("2026-03-02T01:00:00Z", datetime(2026, 3, 2, 1, 0, tzinfo=UTC)),
        ("2026-03-02T09:00:00+08:00", at(2026, 3, 2, 9, 0, 0)),
        (1772413200, datetime(2026, 3, 2, 1, 0, tzinfo=UTC)),
        ("1772413200000", datetime(2026, 3, 2, 1, 0, tzinfo=UTC)),
        ("yesterday", None),
        (12, None),
        ("", None),
    ],
)
def test_times_are_read_in_the_forms_stations_write(raw, expected):
    assert parse_time(raw) == expected
