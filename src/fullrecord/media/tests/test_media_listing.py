"""The six classification fields of 第十五条: filtered alone and combined, keyset pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from fullrecord.core.testing.factories import CauseFactory
from fullrecord.media.models import MediaItem

from .evidence import ingest_bytes


@pytest.fixture
def items(bureau):
    cause = CauseFactory(name="测试案由甲")
    now = timezone.now()
    made = []
    for n in range(7):
        officer = bureau.officer if n % 2 == 0 else bureau.officer2
        result = ingest_bytes(
            officer,
            f"clip {n}".encode(),
            f"clip{n}.mp4",
            device_number=f"DSJ-{n % 3}",
            used_at=now - timedelta(hours=n),
        )
        MediaItem.objects.filter(pk=result.item.pk).update(
            party_name="王某某" if n < 3 else "李某某", cause=cause if n % 3 == 0 else None
        )
        made.append(result.item)
    return made


def ids(response) -> list[int]:
    return [row["id"] for row in response.json()["results"]]


@pytest.fixture
def head_client(api_client, bureau):
    api_client.force_authenticate(bureau.head)
    return api_client


def test_a_head_sees_the_sections_items_newest_first(head_client, items):
    assert ids(head_client.get("/api/media/")) == [i.pk for i in items]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("device_number=DSJ-1", [1, 4]),
        ("party=王", [0, 1, 2]),
        ("device_number=DSJ-0&party=王", [0]),
    ],
)
def test_filters_alone_and_combined(head_client, items, query, expected):
    assert ids(head_client.get(f"/api/media/?{query}")) == [items[n].pk for n in expected]


def test_officer_cause_and_section_filters(head_client, items, bureau):
    officer_ids = ids(head_client.get(f"/api/media/?officer={bureau.officer2.pk}"))
    assert officer_ids == [items[n].pk for n in (1, 3, 5)]
    cause = items[0].__class__.objects.get(pk=items[0].pk).cause
    assert ids(head_client.get(f"/api/media/?cause={cause.pk}")) == [items[n].pk for n in (0, 3, 6)]
    assert len(ids(head_client.get(f"/api/media/?org_unit={bureau.section1.pk}"))) == 7


def test_time_of_use_window(head_client, items):
    newest = items[0].used_at
    start = (newest - timedelta(hours=2, minutes=30)).isoformat()
    response = head_client.get("/api/media/", {"used_from": start})
    assert ids(response) == [items[n].pk for n in (0, 1, 2)]


def test_keyset_pages_cover_everything_once(head_client, items):
    seen, url = [], "/api/media/?limit=3"
    while url:
        body = head_client.get(url).json()
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
    assert seen == [i.pk for i in items]


def test_sha256_finds_the_item(head_client, items):
    assert ids(head_client.get(f"/api/media/?sha256={items[2].sha256.upper()}")) == [items[2].pk]


def test_a_garbage_cursor_starts_from_the_top(head_client, items):
    assert ids(head_client.get("/api/media/?cursor=%%%"))[0] == items[0].pk


def test_the_list_costs_the_same_queries_for_more_items(
    head_client, items, bureau, django_assert_max_num_queries
):
    for n in range(20):
        ingest_bytes(bureau.officer, f"more {n}".encode(), f"m{n}.mp4")
    with django_assert_max_num_queries(8):
        head_client.get("/api/media/?limit=50")


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        ("officer", {0, 2, 4, 6}),
        ("officer2", {1, 3, 5}),
        ("head", set(range(7))),
        ("leader", set(range(7))),
        ("inspector", set(range(7))),
        ("other_officer", set()),
        ("other_head", set()),
        ("outsider_leader", set()),
        ("nobody", set()),
        ("admin", set()),
    ],
)
def test_each_persona_lists_only_what_it_may_see(api_client, bureau, items, persona, visible):
    api_client.force_authenticate(getattr(bureau, persona))
    assert set(ids(api_client.get("/api/media/"))) == {items[n].pk for n in visible}


def test_the_page_lists_with_filters(client, bureau, items):
    client.force_login(bureau.head)
    response = client.get("/media/?device_number=DSJ-1")
    assert response.status_code == 200
    assert items[1].original_name in response.content.decode()
    assert items[0].original_name not in response.content.decode()
