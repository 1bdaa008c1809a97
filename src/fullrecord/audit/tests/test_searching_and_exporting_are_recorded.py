"""Reading the log leaves a trace: each search and export is an entry of its own."""

from __future__ import annotations

import pytest

from fullrecord.audit.models import AuditEntry, SignedTreeHead
from fullrecord.audit.services import record, sign_tree_head


@pytest.fixture
def some_entries(bureau):
    for n in range(3):
        record("case.edit", actor=bureau.officer, summary=f"edit {n}")
    sign_tree_head()


def test_a_search_on_the_page_is_recorded_with_its_filter(client, bureau, some_entries):
    client.force_login(bureau.inspector)

    client.get("/audit/", {"actor": "officer", "action": "case."})

    entry = AuditEntry.objects.filter(action="audit.search").get()
    assert entry.actor == bureau.inspector
    assert entry.data["filters"] == {"actor": "officer", "action": "case."}
    assert entry.data["via"] == "page"
    assert entry.data["shown"] == 3


def test_a_search_over_the_api_is_recorded(api_client, bureau, some_entries):
    api_client.force_authenticate(bureau.leader)

    api_client.get("/api/audit/entries/", {"action": "case."})

    entry = AuditEntry.objects.filter(action="audit.search").get()
    assert entry.data["via"] == "api"


def test_a_search_does_not_list_itself(api_client, bureau, some_entries):
    api_client.force_authenticate(bureau.officer)

    results = api_client.get("/api/audit/entries/").json()["results"]

    assert [row["action"] for row in results] == ["case.edit"] * 3


def test_a_refused_search_is_not_recorded(client, bureau, some_entries):
    client.force_login(bureau.nobody)

    assert client.get("/audit/").status_code == 404
    assert not AuditEntry.objects.filter(action="audit.search").exists()


@pytest.mark.parametrize("kind", ["csv", "pdf"])
@pytest.mark.parametrize("prefix", ["/audit", "/api/audit"])
def test_an_export_is_recorded_with_the_head_it_is_checked_against(
    client, bureau, some_entries, kind, prefix
):
    client.force_login(bureau.leader)
    head = SignedTreeHead.objects.order_by("-tree_size").first()

    response = client.get(f"{prefix}/export.{kind}", {"actor": "officer"})
    b"".join(response.streaming_content) if response.streaming else response.content

    entry = AuditEntry.objects.filter(action="audit.export").get()
    assert entry.actor == bureau.leader
    assert entry.data["format"] == kind
    assert entry.data["filters"] == {"actor": "officer"}
    assert entry.data["tree_size"] == head.tree_size
    assert entry.data["root_hash"] == head.root_hash
    assert response["X-Audit-Tree-Size"] == str(head.tree_size)
