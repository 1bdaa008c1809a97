"""密评: every original gets an SM3 digest after ingest (the worker), export manifests can
ask for it, and ``fullrecord verify`` and the SM3 sweep find an original whose SM3 no
longer matches."""

from __future__ import annotations

import os

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from fullrecord.audit.models import AuditEntry
from fullrecord.media.store import get_store
from fullrecord.media.tests.evidence import ingest_bytes
from fullrecord.security import digests, sm3
from fullrecord.security.models import DigestStatus, OriginalDigest
from fullrecord.security.tasks import sm3_sweep

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_store")]

DATA = b"body camera footage, as recorded"


@pytest.fixture
def item(bureau, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return ingest_bytes(bureau.officer, DATA, "DSJ_0001.mp4").item


def test_the_worker_computes_it_after_ingest(item):
    digest = OriginalDigest.objects.get(sha256=item.sha256)

    assert digest.sm3 == sm3.sm3_hex(DATA)
    assert sm3.sm3_of_original(item.sha256) == sm3.sm3_hex(DATA)
    assert sm3.sm3_of_originals([item.sha256, "0" * 64]) == {item.sha256: sm3.sm3_hex(DATA)}
    assert AuditEntry.objects.filter(action="security.sm3_computed").count() == 1


def test_no_digest_is_made_for_bytes_that_already_changed(bureau):
    item = ingest_bytes(bureau.officer, DATA, "DSJ_0002.mp4").item  # no worker ran
    _flip(item.sha256)

    assert digests.compute(item.sha256) is None
    assert not OriginalDigest.objects.exists()


def test_verify_finds_an_original_whose_sm3_no_longer_matches(item, capsys):
    call_command("verify")
    assert "SM3" in capsys.readouterr().out

    _flip(item.sha256)

    with translation.override("en"), pytest.raises(CommandError):
        call_command("verify")
    err = capsys.readouterr().err
    assert f"original {item.sha256}: its SM3 digest no longer matches" in err


def test_the_sweep_marks_it_and_records_it(item):
    _flip(item.sha256)

    assert sm3_sweep.call() == {"checked": 1, "computed": 0, "failed": 1}
    assert OriginalDigest.objects.get().status == DigestStatus.ALTERED
    assert AuditEntry.objects.filter(action="security.sm3_failed").count() == 1


def test_the_sweep_computes_what_a_crash_left_out(bureau):
    ingest_bytes(bureau.officer, DATA, "DSJ_0003.mp4")  # committed, worker never ran

    assert sm3_sweep.call()["computed"] == 1


def _flip(sha256: str) -> None:
    path = get_store().local_path(sha256)
    os.chmod(path, 0o644)
    data = bytearray(path.read_bytes())
    data[2] ^= 1
    path.write_bytes(bytes(data))


def test_the_record_page_shows_it_beside_the_sha256(item, bureau, client):
    client.force_login(bureau.officer)

    page = client.get(item.get_absolute_url()).content.decode()

    assert item.sha256 in page and sm3.sm3_hex(DATA) in page
