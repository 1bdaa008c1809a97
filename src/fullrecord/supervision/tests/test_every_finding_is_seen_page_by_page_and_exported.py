"""Automatic findings are not capped: past the 50 shown per kind, the team pages through
every one (page and API: count, next, previous, filter by kind) and exports them all."""

from __future__ import annotations

import io

from django.urls import reverse
from openpyxl import load_workbook

from fullrecord.audit.models import AuditEntry
from fullrecord.audit.services import record
from fullrecord.supervision import findings

MANY = findings.LIMIT + 23


def _refusals(world, n=MANY):
    for i in range(n):
        record(
            "access.refuse",
            actor=world.bureau.other_officer,
            case_id=world.cases1[0].pk,
            summary=f"拒绝 {i}",
        )


def test_the_api_pages_through_every_finding_of_a_kind(world, api_client):
    _refusals(world)
    api_client.force_authenticate(world.inspector)
    url = reverse("api:supervision-findings") + "?kind=refused&page_size=50"

    first = api_client.get(url).json()
    second = api_client.get(first["next"]).json()

    assert first["count"] == MANY and first["previous"] is None
    assert [k["key"] for k in first["kinds"]] == ["refused"]
    assert len(first["results"]) == 50 and len(second["results"]) == MANY - 50
    assert second["next"] is None and second["previous"]
    seen = {r["detail"] for r in first["results"] + second["results"]}
    assert len(seen) == MANY and all(r["kind"] == "refused" for r in first["results"])


def test_without_a_kind_the_api_lists_the_kinds_one_after_the_other(world, api_client):
    _refusals(world, 3)
    api_client.force_authenticate(world.inspector)

    answer = api_client.get(reverse("api:supervision-findings") + "?page_size=500").json()

    assert answer["count"] == sum(k["count"] for k in answer["kinds"])
    assert len(answer["results"]) == answer["count"]
    assert [r["kind"] for r in answer["results"]].count("refused") == 3


def test_the_page_shows_a_kind_page_by_page(world, client):
    _refusals(world)
    client.force_login(world.inspector)

    overview = client.get(reverse("supervision:findings")).content.decode()
    page2 = client.get(reverse("supervision:findings") + "?kind=refused&page=2")

    assert 'data-testid="findings-all-refused"' in overview
    text = page2.content.decode()
    assert text.count('data-testid="finding"') == MANY - 50
    assert 'data-testid="findings-pager"' in text and "第 2 页" in text


def test_the_export_holds_every_finding_and_is_recorded(world, client):
    _refusals(world)
    client.force_login(world.bureau.leader)

    response = client.get(reverse("supervision:findings_export") + "?kind=refused")

    book = load_workbook(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    )
    sheet = book.worksheets[0]
    assert sheet.max_row == 2 + MANY  # title, header, every finding
    assert AuditEntry.objects.filter(
        action="supervision.export", actor=world.bureau.leader, data__rows=MANY
    ).exists()


def test_an_officer_neither_lists_nor_exports_findings(world, client, api_client):
    client.force_login(world.bureau.officer)
    api_client.force_authenticate(world.bureau.officer)

    assert client.get(reverse("supervision:findings_export")).status_code == 404
    assert api_client.get(reverse("api:supervision-findings")).status_code == 404
