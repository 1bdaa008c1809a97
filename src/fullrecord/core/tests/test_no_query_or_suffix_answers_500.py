"""Odd query strings and format suffixes answer 400, 404 or a page, never 500.

Every URL pattern of the project is walked: no route takes a ``format`` suffix any more
(``/api/media/<id>/content.json`` answered 500), and every list — each pattern without
arguments — is asked for pages past anything a database's LIMIT/OFFSET take and for
numbers that are not numbers, as each persona."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver

from fullrecord.cases.choices import CaseState
from fullrecord.cases.tests.helpers import ready_case
from fullrecord.media.tests.evidence import ingest_bytes

HUGE = str(10**30)
ODD_QUERIES = [
    {"limit": HUGE},
    {"limit": HUGE, "offset": HUGE},
    {"offset": HUGE},
    {"limit": "-1", "offset": "-5"},
    {"limit": "abc", "offset": "x"},
    {"limit": "0"},
    {"page": HUGE},
    {"page": "-1"},
    {"before": HUGE},
    {"before": "-1"},
    {"cursor": "not-a-cursor"},
    {"cursor": HUGE},
]


def routes() -> list[tuple[str, object]]:
    found: list[tuple[str, object]] = []

    def walk(patterns, prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                found.append((prefix + str(pattern.pattern), pattern))

    walk(get_resolver().url_patterns, "")
    return found


def list_paths() -> list[str]:
    """Every route without arguments (lists, pages, the API root), as a path."""
    paths = []
    for route, pattern in routes():
        if pattern.pattern.regex.groups or route.startswith("admin/"):
            continue
        path = "/" + route.replace("^", "").replace("$", "").replace("\\", "").replace("/?", "/")
        paths.append(path)
    return sorted(set(paths))


def test_no_route_takes_a_format_suffix():
    suffixed = [route for route, p in routes() if "format" in p.pattern.regex.groupindex]

    assert suffixed == []


@pytest.mark.parametrize("suffix", [".json", ".api", ".xml", ".csv", ".bogus"])
def test_format_suffixes_on_items_and_their_actions_answer_404(bureau, suffix):
    item = ingest_bytes(bureau.officer, b"\x00" * 2048).item
    case = ready_case(bureau, CaseState.FILED)
    client = Client()
    client.force_login(bureau.officer)

    for path in [
        f"/api/media/{item.pk}/content",
        f"/api/media/{item.pk}",
        f"/api/cases/{case.pk}",
        f"/api/cases/{case.pk}/timeline",
        "/api/cases",
        "/api/media",
        "/api/me",
    ]:
        assert client.get(path + suffix).status_code == 404, path + suffix


@pytest.mark.parametrize("persona", ["officer", "leader"])
def test_odd_page_and_limit_numbers_never_answer_500(bureau, persona):
    ingest_bytes(bureau.officer, b"\x01" * 1024)
    ready_case(bureau, CaseState.FILED)
    client = Client(raise_request_exception=False)
    client.force_login(getattr(bureau, persona))
    paths = list_paths()
    assert "/api/cases/" in paths and "/api/media/" in paths and "/api/audit/entries/" in paths

    failures = []
    for path in paths:
        for query in ODD_QUERIES:
            status = client.get(path, query).status_code
            if status >= 500:
                failures.append((path, query, status))

    assert failures == []


def test_a_limit_past_the_maximum_is_clamped(bureau):
    client = Client()
    client.force_login(bureau.leader)
    for _ in range(3):
        ready_case(bureau, CaseState.FILED)

    body = client.get("/api/cases/", {"limit": HUGE, "offset": HUGE}).json()

    assert body["count"] == 3
    assert body["results"] == []
    assert len(client.get("/api/cases/", {"limit": HUGE}).json()["results"]) == 3
