"""The dashboard's figures may be up to 15 minutes old: the page and the API say when they
were counted, in Chinese; an inspector counts them again now, and that is recorded."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from fullrecord.audit.models import AuditEntry
from fullrecord.supervision import figures


def test_the_page_and_the_api_say_when_and_how_long_ago_in_chinese(world, client, api_client):
    counted = timezone.now().replace(microsecond=0)
    with time_machine.travel(counted, tick=False):
        figures.refresh()
    client.force_login(world.inspector)
    api_client.force_authenticate(world.bureau.leader)

    with time_machine.travel(counted + timedelta(minutes=7), tick=False):
        page = client.get(reverse("supervision:dashboard")).content.decode()
        answer = api_client.get(reverse("api:supervision-dashboard")).json()

    at = timezone.localtime(counted).strftime("%Y-%m-%d %H:%M")
    assert f"统计于 {at}（7 分钟前）；每 15 分钟重新统计。" in page
    assert answer["refreshed_text"] == f"统计于 {at}（7 分钟前）；每 15 分钟重新统计。"
    assert answer["max_age_minutes"] == 15
    assert answer["refreshed_at"]


def test_an_inspector_counts_again_now_and_it_is_recorded(world, client, api_client):
    earlier = timezone.now() - timedelta(minutes=14)
    with time_machine.travel(earlier, tick=False):
        figures.refresh()
    client.force_login(world.inspector)
    api_client.force_authenticate(world.inspector)

    client.post(reverse("supervision:dashboard_refresh"))
    answer = api_client.post(reverse("api:supervision-dashboard-refresh")).json()

    assert figures.refreshed_at() > earlier + timedelta(minutes=13)
    assert "刚刚" in answer["refreshed_text"]
    entries = AuditEntry.objects.filter(
        action="supervision.dashboard_refresh", actor=world.inspector
    )
    assert entries.count() == 2


def test_the_leader_reads_but_does_not_recount(world, client, api_client):
    client.force_login(world.bureau.leader)
    api_client.force_authenticate(world.bureau.leader)

    page = client.get(reverse("supervision:dashboard")).content.decode()
    refused = client.post(reverse("supervision:dashboard_refresh"))
    refused_api = api_client.post(reverse("api:supervision-dashboard-refresh"))

    assert 'data-testid="recount"' not in page
    assert (refused.status_code, refused_api.status_code) == (404, 404)
    assert not AuditEntry.objects.filter(action="supervision.dashboard_refresh").exists()
