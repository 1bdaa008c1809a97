"""Each signed head is also written where the operator names, and a failing place loses none."""

from __future__ import annotations

import json
import logging
import socket
from datetime import UTC, datetime

import pytest
import time_machine
from django.core import mail

from fullrecord.audit.models import HeadSinkState, SignedTreeHead
from fullrecord.audit.services import head_line, record, sign_tree_head
from fullrecord.audit.sinks import deliver_heads, health
from fullrecord.core.periodic import enqueue_due

NINE = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def offsite(tmp_path):
    directory = tmp_path / "offsite"
    directory.mkdir()
    return directory


@pytest.fixture
def log(db, settings):
    settings.FULLRECORD_AUDIT_SIGN_EVERY = 2


def lines(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def database_heads() -> list[dict]:
    return [head_line(h) for h in SignedTreeHead.objects.order_by("tree_size")]


def test_every_head_is_appended_to_the_directory_as_one_json_line(log, settings, offsite):
    settings.FULLRECORD_AUDIT_HEAD_SINKS = [f"dir:{offsite}"]
    for n in range(5):
        record("test.event", data={"n": n})
    enqueue_due()  # signs the tail (size 5) and delivers
    assert lines(offsite / "audit-heads.jsonl") == database_heads()
    assert [h["tree_size"] for h in database_heads()] == [1, 2, 4, 5]

    record("test.event")
    record("test.event")
    deliver_heads()
    deliver_heads()  # nothing new: nothing written twice
    assert lines(offsite / "audit-heads.jsonl") == database_heads()


def test_an_unmounted_directory_keeps_the_heads_waiting_and_says_so(
    log, settings, tmp_path, caplog, client
):
    share = tmp_path / "not-mounted"
    settings.FULLRECORD_AUDIT_HEAD_SINKS = [f"dir:{share}"]
    with time_machine.travel(NINE, tick=False) as clock:
        for n in range(3):
            record("test.event", data={"n": n})
        with caplog.at_level(logging.ERROR, logger="fullrecord.audit.heads"):
            assert deliver_heads() == {f"dir:{share}": "failed"}
        assert not share.exists()  # never created on the local disk
        assert "not delivered" in caplog.text and "not mounted" in caplog.text
        state = HeadSinkState.objects.get()
        assert (state.delivered_size, state.failures) == (0, 1)
        clock.shift(600)
        assert health()["ok"] is False
        assert health()["destinations"][0]["failures"] == 1
        body = client.get("/healthz").json()
        assert body["status"] == "degraded"
        assert body["audit_heads"]["destinations"] == [
            {"kind": "dir", "delivered_size": 0, "failures": 1, "ok": False}
        ]
        assert str(share) not in json.dumps(body)

        share.mkdir()  # mounted again; the next run signs the tail and sends all three
        sign_tree_head()
        assert deliver_heads() == {f"dir:{share}": "delivered 3"}
        assert lines(share / "audit-heads.jsonl") == database_heads()
        assert HeadSinkState.objects.get().failures == 0
        assert health()["ok"] is True


def test_heads_reach_a_syslog_collector(log, settings):
    collector = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    collector.bind(("127.0.0.1", 0))
    collector.settimeout(10)
    port = collector.getsockname()[1]
    settings.FULLRECORD_AUDIT_HEAD_SINKS = [f"syslog:127.0.0.1:{port}"]
    try:
        record("test.event")
        record("test.event")
        deliver_heads()
        received = [collector.recv(65536).decode() for _ in database_heads()]
    finally:
        collector.close()
    assert all("fullrecord-audit-head: " in message for message in received)
    assert [json.loads(m[m.index("{") :].rstrip("\x00")) for m in received] == database_heads()


def test_the_inspection_team_gets_the_heads_by_mail_at_most_hourly(log, settings):
    settings.FULLRECORD_AUDIT_HEAD_SINKS = ["mail:jcz@example.gov.cn"]
    settings.FULLRECORD_AUDIT_HEAD_MAIL_MINUTES = 60
    with time_machine.travel(NINE, tick=False) as clock:
        for n in range(4):
            record("test.event", data={"n": n})
        deliver_heads()
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == ["jcz@example.gov.cn"]
        sent = [json.loads(x) for x in message.body.splitlines() if x.startswith("{")]
        assert sent == database_heads()

        for n in range(2):
            record("test.event", data={"n": n})
        clock.shift(30 * 60)
        assert deliver_heads() == {"mail:jcz@example.gov.cn": "waiting"}
        clock.shift(31 * 60)
        deliver_heads()
    assert len(mail.outbox) == 2
    assert [
        json.loads(x)["tree_size"] for x in mail.outbox[1].body.splitlines() if x.startswith("{")
    ] == [6]


def test_a_destination_that_is_not_one_is_refused_by_name(settings):
    from django.core.exceptions import ImproperlyConfigured

    from fullrecord.audit.sinks import parse

    with pytest.raises(ImproperlyConfigured, match="relative/dir"):
        parse("dir:relative/dir")
