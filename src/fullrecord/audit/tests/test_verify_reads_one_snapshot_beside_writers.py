"""``verify`` run while others append and sign reports no false alarm, and still catches
a real tamper: it reads the log as of one moment.

Real threads, each with its own database connection: two writers append entries (and
sign heads every few) without pause while the check runs. The check waits, in the middle
of its pass, until the writers have committed more entries and heads, so the writes
certainly land during the check (no sleeps, no luck). Runs on SQLite (a file in WAL
mode, the production settings) and on PostgreSQL (``DATABASE_URL``).
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from fullrecord.audit import guards
from fullrecord.audit.models import AuditEntry, SignedTreeHead
from fullrecord.audit.services import check_log, record, sign_tree_head
from fullrecord.core.testing.concurrency import threads_on_a_file

WRITES_DURING_EACH_CHECK = 30
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def live_log(settings, tmp_path):
    """A log of 40 entries; SQLite moves to a file so threads share it as production does."""
    settings.FULLRECORD_AUDIT_SIGN_EVERY = 5
    settings.FULLRECORD_AUDIT_HEAD_SINKS = []
    for n in range(40):
        record("test.before", data={"n": n})
    with threads_on_a_file(tmp_path / "live.sqlite3"):
        yield


class Writers:
    """Append and sign until told to stop; count what they committed."""

    def __init__(self, count: int = 2):
        self.stop = threading.Event()
        self.changed = threading.Condition()
        self.committed = 0
        self.errors: list[BaseException] = []
        self.threads = [threading.Thread(target=self._run, args=(i,)) for i in range(count)]

    def _run(self, number: int) -> None:
        try:
            while not self.stop.is_set():
                with transaction.atomic():
                    record("test.during", data={"writer": number})
                with self.changed:
                    self.committed += 1
                    mine = self.committed
                    self.changed.notify_all()
                if mine % 7 == 0:
                    sign_tree_head()
        except BaseException as exc:  # reported by the test, not swallowed
            self.errors.append(exc)
            with self.changed:
                self.changed.notify_all()
        finally:
            connections.close_all()

    def wait_for_more(self, more: int) -> None:
        with self.changed:
            target = self.committed + more
            reached = self.changed.wait_for(
                lambda: self.committed >= target or self.errors, timeout=120
            )
        assert reached and not self.errors, self.errors

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=120)
        assert not any(t.is_alive() for t in self.threads)
        assert not self.errors, self.errors


def in_a_thread(call):
    result: dict = {}

    def run():
        try:
            result["value"] = call()
        except BaseException as exc:  # handed back to the test
            result["error"] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=300)
    assert not thread.is_alive(), "the check hung"
    if "error" in result:
        raise result["error"]
    return result["value"]


def checks_beside(writers: Writers, runs: int) -> list:
    def check_while_writing():
        reports = []
        for _ in range(runs):

            def progress(done: int) -> None:
                if done == 20:  # mid-pass: entries and heads are committed meanwhile
                    writers.wait_for_more(WRITES_DURING_EACH_CHECK)

            report = check_log(progress)
            reports.append(report)
        return reports

    return in_a_thread(check_while_writing)


def test_verify_beside_writers_reports_no_false_alarm(live_log):
    with Writers() as writers:
        reports = checks_beside(writers, runs=3)
    for report in reports:
        assert report.problems == []
        assert report.entries >= 40
    final = in_a_thread(check_log)
    assert final.problems == []
    assert (
        final.entries == in_a_thread(AuditEntry.objects.count) >= 40 + 3 * WRITES_DURING_EACH_CHECK
    )
    assert in_a_thread(SignedTreeHead.objects.count) > 40 // 5 + 3


def test_verify_beside_writers_still_names_an_edited_entry_and_nothing_else(live_log):
    def tamper():
        guards.uninstall(connection)
        with connection.cursor() as cursor:
            cursor.execute("UPDATE audit_auditentry SET summary = 'nothing happened' WHERE seq = 7")
        guards.install(connection)

    in_a_thread(tamper)
    with Writers() as writers:
        reports = checks_beside(writers, runs=2)
    for report in reports:
        assert report.problems[:2] == [
            "entry #7: its content does not match its hash (edited)",
            "entry #7: its Merkle leaf does not match its content",
        ]
        # Every head from size 10 on covers entry 7; nothing else (no chain head alarm).
        sizes = [int(p.split()[4].rstrip(":")) for p in report.problems[2:]]
        assert report.problems[2:] == [
            f"signed head at size {n}: the log no longer has that root" for n in sizes
        ]
        assert sizes[:7] == [10, 15, 20, 25, 30, 35, 40]
