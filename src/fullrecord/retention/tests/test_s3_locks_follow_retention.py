"""第十八条第二项: on S3 each original's Object Lock retain-until date follows its
keep-until date, and a hold in force is a legal hold — against a one-node Ceph RGW on
loopback (the ``s3_server`` fixture of media's store tests), which enforces both."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from fullrecord.media.store import get_store
from fullrecord.media.tests.store.conftest import s3_server  # noqa: F401 - the fixture
from fullrecord.retention import services
from fullrecord.retention.choices import HoldReason

from .helpers import case_of, end_case, footage, link


@pytest.fixture
def s3(settings, s3_server, tmp_path):  # noqa: F811
    bucket = s3_server.new_bucket()
    settings.FULLRECORD_STORAGE = {
        "backend": "s3",
        "root": tmp_path / "unused",
        "s3": s3_server.settings(bucket),
    }
    get_store.cache_clear()
    yield get_store()
    get_store.cache_clear()


def _retain_until(store, item) -> datetime:
    head = store.client.head_object(Bucket=store.bucket, Key=store.key(item.sha256))
    assert head["ObjectLockMode"] == "COMPLIANCE"
    return head["ObjectLockRetainUntilDate"]


def test_the_lock_is_extended_to_the_case_files_term(
    s3, bureau, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        item = footage(bureau.officer)
    floor = _retain_until(s3, item)
    assert floor >= timezone.now() + timedelta(days=182)
    case = case_of(bureau)
    with django_capture_on_commit_callbacks(execute=True):
        link(item, case, bureau.officer)
        end_case(case, bureau.archivist)
    item.refresh_from_db()
    wanted = datetime.combine(item.keep_until, time.min, tzinfo=timezone.get_current_timezone())
    assert _retain_until(s3, item) >= wanted
    assert item.keep_until.year == timezone.localdate().year + 30


def test_a_hold_is_a_legal_hold_until_the_leader_releases_it(
    s3, bureau, django_capture_on_commit_callbacks
):
    item = footage(bureau.officer)
    assert not s3.legal_hold(item.sha256)
    with django_capture_on_commit_callbacks(execute=True):
        hold = services.place_hold(actor=bureau.head, reason=HoldReason.OBJECTION, item=item)
    assert s3.legal_hold(item.sha256)
    services.ask_release(hold, actor=bureau.head, note="信访已办结")
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_release(hold, actor=bureau.leader, approve=True)
    assert not s3.legal_hold(item.sha256)
