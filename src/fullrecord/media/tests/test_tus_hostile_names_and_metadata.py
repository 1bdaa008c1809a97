"""Names and metadata from the client are data, never paths or markup (hostile input)."""

from __future__ import annotations

import base64
import os

import pytest

from fullrecord.core.testing.factories import AssignmentFactory, CaseFactory
from fullrecord.media import tus
from fullrecord.media.models import CaseMediaLink, MediaItem, Upload
from fullrecord.media.spool import spool_dir

from .tus_helpers import Tus, metadata

DATA = os.urandom(5000)


@pytest.fixture
def officer_tus(bureau):
    return Tus(bureau.officer)


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("../../../etc/passwd", "passwd"),
        ("/var/lib/fullrecord/store/clip.mp4", "clip.mp4"),
        ("C:\\Users\\x\\..\\clip.mp4", "clip.mp4"),
        ("clip\x00.mp4", "clip.mp4"),
        ("\x1b[31mred\x07\r\n.mp4", "[31mred.mp4"),
        ("invoice\u202egnp.exe", "invoicegnp.exe"),  # RIGHT-TO-LEFT OVERRIDE
        ("\u200f\u2066clip\u2069.mp4", "clip.mp4"),  # RTL mark and isolates
        ("..", "unnamed"),
        ("", "unnamed"),
        ("现场执法记录.mp4", "现场执法记录.mp4"),
    ],
)
def test_hostile_file_names_are_cleaned_before_they_are_kept(officer_tus, raw, stored):
    _, response = officer_tus.upload(DATA + raw.encode(), metadata(filename=raw))
    item = MediaItem.objects.get(pk=response["X-Media-Id"])
    assert item.original_name == stored
    assert Upload.objects.get().filename == stored


def test_a_name_of_300_characters_is_cut_keeping_its_extension(officer_tus):
    _, response = officer_tus.upload(DATA, metadata(filename="长" * 300 + ".mp4"))
    name = MediaItem.objects.get(pk=response["X-Media-Id"]).original_name
    assert len(name) <= 200 and name.endswith(".mp4")


def test_the_spool_file_is_named_by_the_server_alone(officer_tus):
    before = set(os.listdir(spool_dir()))
    location = officer_tus.create(len(DATA), metadata(filename="../../escape.mp4"))["Location"]
    officer_tus.patch(location, DATA[:10], 0)
    upload = Upload.objects.get()
    assert set(os.listdir(spool_dir())) - before == {tus.spool_path(upload.pk).name}
    assert not (spool_dir().parent.parent / "escape.mp4").exists()


def test_other_metadata_is_cleaned_and_cut(officer_tus):
    meta = metadata(
        filename="a.mp4",
        device_number="../DSJ\u202e-001\x00" + "9" * 80,
        task_reference="\x1b]0;title\x07巡查任务-7",
        filetype="video/mp4\r\nX-Injected: 1",
    )
    _, response = officer_tus.upload(DATA, meta)
    item = MediaItem.objects.get(pk=response["X-Media-Id"])
    assert item.device_number.startswith("DSJ-001")
    assert len(item.device_number) <= 50
    assert "\x1b" not in item.task_reference and item.task_reference.endswith("巡查任务-7")
    assert "\n" not in Upload.objects.get().metadata["filetype"]


def test_undecodable_utf8_is_replaced_not_refused(officer_tus):
    raw = "filename " + base64.b64encode(b"\xff\xfeclip.mp4").decode()
    _, response = officer_tus.upload(DATA, raw)
    assert MediaItem.objects.get(pk=response["X-Media-Id"]).original_name.endswith("clip.mp4")


@pytest.mark.parametrize(
    "header",
    [
        "filename not*base64",
        "filename Y2xpcC5tcDQ=,filename Y2xpcC5tcDQ=",  # a key twice
        "file name Y2xpcC5tcDQ=",
        "filename Y2xp cC5t",
        "fil\u00e9name Y2xpcC5tcDQ=",
        ",",
        "filename " + "A" * 10_000,
    ],
)
def test_malformed_metadata_is_400_and_creates_nothing(officer_tus, header):
    response = officer_tus.create(10, header)
    assert response.status_code == 400
    assert not Upload.objects.exists()


def test_a_key_without_a_value_is_allowed(officer_tus):
    response = officer_tus.create(10, "is_confidential," + metadata(filename="x.mp4"))
    assert response.status_code == 201


@pytest.fixture
def own_case(bureau):
    case = CaseFactory(org_unit=bureau.section1, created_by=bureau.head)
    AssignmentFactory(case=case, officer=bureau.officer)
    return case


def test_an_upload_into_the_officers_case_is_linked_at_the_stage(officer_tus, own_case):
    meta = metadata(filename="scene.mp4", case=str(own_case.pk), stage="investigation")
    _, response = officer_tus.upload(DATA, meta)
    link = CaseMediaLink.objects.get(item_id=response["X-Media-Id"])
    assert (link.case, link.stage) == (own_case, "investigation")


@pytest.mark.parametrize("case", ["other", "999999", "1 OR 1=1", "../1", "-1"])
def test_a_case_the_user_may_not_add_to_is_400(officer_tus, bureau, case):
    if case == "other":
        case = str(CaseFactory(org_unit=bureau.section2).pk)
    response = officer_tus.create(10, metadata(filename="x.mp4", case=case))
    assert response.status_code == 400
    assert not Upload.objects.exists()


def test_an_unknown_stage_is_400(officer_tus, own_case):
    response = officer_tus.create(10, metadata(case=str(own_case.pk), stage="<script>"))
    assert response.status_code == 400
    assert "<script>" not in response.content.decode()
