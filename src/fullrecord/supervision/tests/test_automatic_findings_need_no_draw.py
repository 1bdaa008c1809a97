"""Automatic findings: listed for the team without a draw (第九条、第十七条、第十八条)."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from fullrecord.access import services as access_services
from fullrecord.media.models import MediaItem
from fullrecord.media.services import link_to_case
from fullrecord.supervision import findings


def _groups(world):
    today = timezone.localdate()
    return {
        g.key: g
        for g in findings.all_findings(world.bureau.county, today - timedelta(days=30), today)
    }


def test_each_kind_is_found(world):
    b = world.bureau
    link_to_case(world.items1[0], world.cases1[0], stage="discovery", actor=b.officer)
    MediaItem.objects.filter(pk=world.items1[1].pk).update(interrupted=True, gap_before=61)
    refused = access_services.file_request(
        requester=b.other_officer, reason="查看一科录像", items=[world.items1[2]]
    )
    access_services.decide(refused, actor=b.leader, approve=False, note="无正当理由")

    groups = _groups(world)

    assert groups["interrupted"].count == 1
    assert groups["interrupted"].findings[0].item_id == world.items1[1].pk
    # Nine of the ten items are linked to nothing.
    assert groups["unlinked"].count == len(world.items1) + len(world.items2) - 1
    assert groups["refused"].count == 1
    # Every case has reached discovery; only cases1[0] has a record there.
    assert groups["no_record"].count == len(world.cases1) + len(world.cases2) - 1
    assert groups["copies"].count == 0 and groups["fixity"].count == 0


def test_another_bureaus_records_are_not_listed(world):
    b = world.bureau
    groups = {
        g.key: g
        for g in findings.all_findings(
            b.other_county, timezone.localdate() - timedelta(days=30), timezone.localdate()
        )
    }

    assert all(g.count == 0 for g in groups.values())


def test_the_page_and_the_api_list_them(world, client, api_client):
    client.force_login(world.inspector)
    api_client.force_authenticate(world.inspector)

    page = client.get(reverse("supervision:findings")).content.decode()
    answer = api_client.get(reverse("api:supervision-findings")).json()

    assert 'data-testid="findings-unlinked"' in page
    assert {k["key"] for k in answer["kinds"]} >= {
        "no_record",
        "interrupted",
        "unlinked",
        "refused",
    }
