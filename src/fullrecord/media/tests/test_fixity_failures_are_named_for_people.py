"""A failing original is named for people: file, cases, who recorded it; marked, told, cleared.

Real files in the real store: a byte is flipped on disk, a file is deleted, and
``fullrecord verify`` is run as the archivist runs it.
"""

from __future__ import annotations

import os

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from fullrecord.audit.models import AuditEntry
from fullrecord.cases import services as case_services
from fullrecord.core.testing.factories import CauseFactory
from fullrecord.media.choices import FixityStatus
from fullrecord.media.models import MediaItem
from fullrecord.media.services import link_to_case
from fullrecord.media.store import get_store
from fullrecord.notifications.models import Notification

from .evidence import ingest_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_store")]


@pytest.fixture
def case(bureau):
    return case_services.create_case(
        actor=bureau.officer,
        cause=CauseFactory(name="测试案由丙"),
        source="patrol",
        org_unit=bureau.section1,
        address="城关镇",
        parties=[{"kind": "person", "name": "钱某某", "id_type": "passport", "id_number": "E7"}],
    )


@pytest.fixture
def item(bureau, case):
    item = ingest_bytes(bureau.officer, b"site footage, as recorded", "DSJ_0501.mp4").item
    link_to_case(item, case, stage="investigation", actor=bureau.officer)
    return MediaItem.objects.get(pk=item.pk)


@pytest.fixture
def bystander(bureau):
    """Another intact original, which must stay unmarked."""
    return ingest_bytes(bureau.officer2, b"another clip", "DSJ_0502.mp4").item


def flip_a_byte(item) -> bytes:
    path = get_store().local_path(item.sha256)
    original = path.read_bytes()
    os.chmod(path, 0o644)
    data = bytearray(original)
    data[3] ^= 0x01
    path.write_bytes(bytes(data))
    return original


def put_back(item, original: bytes) -> None:
    path = get_store().local_path(item.sha256)
    path.unlink(missing_ok=True)
    path.write_bytes(original)
    os.chmod(path, 0o444)


def run_verify(capsys) -> str:
    with translation.override("en"), pytest.raises(CommandError):
        call_command("verify")
    return capsys.readouterr().err


def test_verify_names_the_file_its_cases_and_who_recorded_it(
    bureau, case, item, bystander, capsys, django_capture_on_commit_callbacks
):
    flip_a_byte(item)

    with django_capture_on_commit_callbacks(execute=True):
        err = run_verify(capsys)

    [line] = [line for line in err.splitlines() if line.startswith("FAIL")]
    assert "DSJ_0501.mp4" in line
    assert item.sha256 in line
    assert case.number in line
    assert "stored bytes no longer match their hash" in line
    assert f"recorded by: {bureau.officer.full_name}" in line
    assert "DSJ_0502.mp4" not in err


def test_the_item_is_marked_failed_with_when_it_was_found_and_the_entry_is_recorded(
    item, bystander, capsys
):
    flip_a_byte(item)
    run_verify(capsys)

    item.refresh_from_db()
    bystander.refresh_from_db()
    assert item.fixity == FixityStatus.ALTERED
    assert item.fixity_failed_at is not None
    assert bystander.fixity == FixityStatus.INTACT
    assert bystander.fixity_failed_at is None
    entry = AuditEntry.objects.get(action="media.fixity_failed", object_id=str(item.pk))
    assert entry.data["fixity"] == "altered" and entry.data["found_by"] == "verify"


def test_the_archivist_and_the_leader_of_its_bureau_are_told_once(
    bureau, item, capsys, django_capture_on_commit_callbacks
):
    flip_a_byte(item)
    for _ in range(2):  # a failure found twice is one incident, one message each
        with django_capture_on_commit_callbacks(execute=True):
            run_verify(capsys)

    told = set(
        Notification.objects.filter(key__startswith=f"fixity-{item.pk}-").values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {"archivist", "leader"}  # not the leader of another county
    assert AuditEntry.objects.filter(action="media.fixity_failed").count() == 1


def test_a_first_seen_time_stays_and_a_later_passing_check_clears_the_mark(item, capsys):
    original = flip_a_byte(item)
    run_verify(capsys)
    first_seen = MediaItem.objects.get(pk=item.pk).fixity_failed_at
    run_verify(capsys)
    assert MediaItem.objects.get(pk=item.pk).fixity_failed_at == first_seen

    put_back(item, original)  # restored from the backup
    call_command("verify")

    item.refresh_from_db()
    assert (item.fixity, item.fixity_failed_at) == (FixityStatus.INTACT, None)
    restored = AuditEntry.objects.get(action="media.fixity_restored", object_id=str(item.pk))
    assert restored.data["was"] == "altered"


def test_a_deleted_original_is_named_missing(item, capsys):
    get_store().local_path(item.sha256).unlink()

    err = run_verify(capsys)

    assert "DSJ_0501.mp4" in err and "missing from the store" in err
    item.refresh_from_db()
    assert item.fixity == FixityStatus.MISSING


def test_the_page_list_and_api_show_and_filter_the_failure(
    client, api_client, bureau, item, bystander, capsys
):
    flip_a_byte(item)
    run_verify(capsys)
    client.force_login(bureau.head)

    page = client.get(f"/media/{item.pk}/")
    assert b'data-testid="fixity-failed"' in page.content
    assert b'data-testid="fixity-alert"' in page.content
    assert b'data-testid="fixity-failed"' not in client.get(f"/media/{bystander.pk}/").content

    listing = client.get("/media/?fixity_failed=true").content.decode()
    assert "DSJ_0501.mp4" in listing and "DSJ_0502.mp4" not in listing
    assert 'data-testid="fixity-failed"' in listing
    intact = client.get("/media/?fixity_failed=false").content.decode()
    assert "DSJ_0502.mp4" in intact and "DSJ_0501.mp4" not in intact

    api_client.force_authenticate(bureau.head)
    body = api_client.get("/api/media/?fixity_failed=true").json()
    assert [row["id"] for row in body["results"]] == [item.pk]
    assert body["results"][0]["fixity"] == "altered"
    assert body["results"][0]["fixity_failed_at"]
    assert [r["id"] for r in api_client.get("/api/media/?fixity=intact").json()["results"]] == [
        bystander.pk
    ]


def test_the_daily_sweep_finds_it_unattended_and_tells_the_same_people(
    item, bystander, django_capture_on_commit_callbacks
):
    from fullrecord.media.tasks import fixity_sweep

    flip_a_byte(item)

    with django_capture_on_commit_callbacks(execute=True):
        result = fixity_sweep.call()

    assert result["failed"] == [item.pk] and result["checked"] == 2
    entry = AuditEntry.objects.get(action="media.fixity_failed", object_id=str(item.pk))
    assert entry.data["found_by"] == "sweep"
    told = Notification.objects.filter(key=f"fixity-{item.pk}-altered")
    assert set(told.values_list("recipient__username", flat=True)) == {"archivist", "leader"}
    assert "DSJ_0501.mp4" in told.first().message
