"""The audit list pages by ``seq`` (keyset): no COUNT, and the queries do not grow with it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fullrecord.audit.services import record
from fullrecord.core.testing.factories import CaseFactory


def fill(bureau, count: int) -> None:
    case = CaseFactory(org_unit=bureau.section1, created_by=bureau.leader)
    for n in range(count):
        record("case.edit", actor=bureau.officer, obj=case, case_id=case.pk, summary=f"edit {n}")


def test_the_api_walks_every_entry_once_following_next(api_client, bureau):
    fill(bureau, 12)
    api_client.force_authenticate(bureau.leader)

    seen, url = [], "/api/audit/entries/?limit=5&action=case."
    while url:
        body = api_client.get(url).json()
        seen += [row["seq"] for row in body["results"]]
        url = body["next"]

    assert len(seen) == 12 == len(set(seen))
    assert seen == sorted(seen, reverse=True)


def test_the_page_links_to_older_entries(client, bureau):
    fill(bureau, 60)
    client.force_login(bureau.leader)

    first = client.get("/audit/", {"action": "case."})
    cursor = first.context["page"].next_before
    older = client.get("/audit/", {"action": "case.", "before": cursor})

    assert len(first.context["page"].items) == 50
    assert f"?action=case.&amp;before={cursor}" in first.content.decode()
    assert len(older.context["page"].items) == 10
    assert older.context["page"].next_before is None


def test_a_malformed_cursor_on_the_page_starts_from_the_newest(client, bureau):
    fill(bureau, 3)
    client.force_login(bureau.leader)

    response = client.get("/audit/", {"before": "x"})

    assert response.status_code == 200
    assert len(response.context["page"].items) >= 3


def _queries(client, path) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return [q["sql"] for q in captured.captured_queries]


@pytest.mark.parametrize("path", ["/audit/", "/api/audit/entries/"])
def test_the_number_of_queries_does_not_grow_with_the_log(client, bureau, path):
    client.force_login(bureau.leader)
    fill(bureau, 3)
    few = _queries(client, path)
    fill(bureau, 60)

    many = _queries(client, path)

    assert len(many) == len(few)
    assert len(many) <= 20
    assert not any("COUNT(" in sql.upper() and "audit_auditentry" in sql for sql in many)
