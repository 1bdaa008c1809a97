"""Each request gets an id (the proxy's ``X-Request-ID`` when sane, else a new one), sends it
back, and every log line made while it runs carries it; the request's own line is JSON
with what an operator looks for."""

from __future__ import annotations

import io
import json
import logging

import pytest
from django.conf import settings as django_settings
from pythonjsonlogger.json import JsonFormatter

from fullrecord.core.requestlog import RequestIdFilter


@pytest.fixture
def json_lines():
    """The console handler's formatter and filter, as settings.LOGGING configures them."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    spec = django_settings.LOGGING["formatters"]["json"]
    handler.setFormatter(JsonFormatter(spec["fmt"], rename_fields=spec["rename_fields"]))
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    old_level = logging.getLogger("fullrecord.request").level
    logging.getLogger("fullrecord.request").setLevel(logging.INFO)
    root.addHandler(handler)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)
        logging.getLogger("fullrecord.request").setLevel(old_level)


@pytest.mark.django_db
def test_a_new_id_is_made_sent_back_and_logged(client, bureau, json_lines):
    client.force_login(bureau.officer)
    response = client.get("/cases/")
    rid = response["X-Request-ID"]
    assert len(rid) == 32
    (line,) = [x for x in json_lines() if x["logger"] == "fullrecord.request"]
    assert line["request_id"] == rid
    assert line["method"] == "GET" and line["path"] == "/cases/" and line["status"] == 200
    assert line["user_id"] == bureau.officer.pk
    assert line["view"] == "cases:list" or line["view"].startswith("cases:")
    assert line["duration_ms"] >= 0 and line["level"] == "INFO" and line["time"]


@pytest.mark.django_db
def test_the_proxys_id_is_kept_and_a_hostile_one_replaced(client, json_lines):
    kept = client.get("/healthz", headers={"X-Request-ID": "nginx-4f2a9c01b7e3"})
    assert kept["X-Request-ID"] == "nginx-4f2a9c01b7e3"
    for hostile in ["a b c d e f g h", "x" * 65, "短的中文请求编号一二三", "id\r\nSet-Cookie: a=b"]:
        answer = client.get("/healthz", headers={"X-Request-ID": hostile})
        assert answer["X-Request-ID"] != hostile and len(answer["X-Request-ID"]) == 32
    ids = [x["request_id"] for x in json_lines() if x["logger"] == "fullrecord.request"]
    assert ids[0] == "nginx-4f2a9c01b7e3"


@pytest.mark.django_db
def test_lines_logged_inside_a_request_carry_its_id(client, json_lines, monkeypatch):
    from fullrecord.core import health

    monkeypatch.setattr(health, "_check_database", _logging_check(health._check_database))
    response = client.get("/healthz")
    inside = [x for x in json_lines() if x["message"] == "checking the database"]
    assert inside and inside[0]["request_id"] == response["X-Request-ID"]


def _logging_check(check):
    def logged():
        logging.getLogger("fullrecord.health").warning("checking the database")
        return check()

    return logged


def test_outside_a_request_the_id_is_empty():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "m", (), None)
    RequestIdFilter().filter(record)
    assert record.request_id == ""
