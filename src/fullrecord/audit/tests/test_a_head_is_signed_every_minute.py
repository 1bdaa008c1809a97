"""While the log grows a head is signed at least every minute; a quiet log gets none.

The clock is moved with time-machine, never slept on.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine

from fullrecord.audit.models import SignedTreeHead
from fullrecord.audit.services import record, sign_tree_head, verify_log
from fullrecord.audit.tests.attacker import drop_triggers, rechain_from
from fullrecord.core.periodic import enqueue_due

NINE = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def log(db, settings):
    settings.FULLRECORD_AUDIT_SIGN_EVERY = 1000
    settings.FULLRECORD_AUDIT_SIGN_SECONDS = 60
    settings.FULLRECORD_AUDIT_HEAD_SINKS = []


def sizes() -> list[int]:
    return list(SignedTreeHead.objects.values_list("tree_size", flat=True))


def test_an_append_a_minute_after_the_last_head_signs_the_tree(log):
    with time_machine.travel(NINE, tick=False) as clock:
        record("test.event")
        clock.shift(30)
        record("test.event")
        assert sizes() == [1]
        clock.shift(31)
        record("test.event")
        assert sizes() == [1, 3]


def test_the_every_minute_job_signs_the_quiet_tail(log):
    with time_machine.travel(NINE, tick=False) as clock:
        for n in range(3):
            record("test.event", data={"n": n})
        assert sizes() == [1]
        clock.shift(10)
        assert "sign_tree_head" in enqueue_due()  # the immediate backend runs it here
        assert sizes() == [1, 3]


def test_an_unchanged_tree_gets_no_new_head(log):
    with time_machine.travel(NINE, tick=False) as clock:
        record("test.event")
        record("test.event")
        first = sign_tree_head()
        assert first is not None and first.tree_size == 2
        for _ in range(5):
            clock.shift(61)
            enqueue_due()
            assert sign_tree_head() is None
    assert sizes() == [1, 2]
    assert SignedTreeHead.objects.get(tree_size=2).signed_at == first.signed_at


def test_the_last_entries_deleted_and_rechained_are_caught_by_the_minute_head(log):
    """An insider removes the record of a download and re-chains what followed."""
    with time_machine.travel(NINE, tick=False) as clock:
        for n in range(3):
            record("test.event", data={"n": n})
        record("media.download", summary="下载原始视频 #7")
        record("test.event", data={"n": 4})
        clock.shift(15)
        enqueue_due()  # the minute's head covers entries 1-5
        clock.shift(20)
        record("test.event", data={"n": 5})
        record("test.event", data={"n": 6})
    assert verify_log() == []

    drop_triggers()
    rechain_from(4, drop={4})  # entries 5-7 become 4-6, every hash and the head row agree

    problems = verify_log()
    assert "signed head at size 5: the log no longer has that root" in problems


def test_before_a_minute_has_passed_the_unsigned_tail_is_what_the_database_alone_cannot_protect(
    log,
):
    """The bound the docs state: entries not yet under any head (under a minute old)."""
    with time_machine.travel(NINE, tick=False) as clock:
        record("test.event")
        clock.shift(61)
        record("test.event")  # signed: a minute after the first head
        clock.shift(5)
        record("media.download", summary="下载原始视频 #7")
    drop_triggers()
    rechain_from(3, drop={3})
    assert verify_log() == []
    assert sizes() == [1, 2]
