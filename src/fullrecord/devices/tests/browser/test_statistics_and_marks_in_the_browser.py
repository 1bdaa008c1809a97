"""In Chromium, under the site's Content-Security-Policy: the statistics charts are
drawn by the vendored ECharts, and a record's marked moments sit on the bar under the
player and jump it there."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from fullrecord.core import demo
from fullrecord.core.demo_media import make_clip
from fullrecord.core.testing.browser import sign_in, snapshot
from fullrecord.devices.services import add_mark
from fullrecord.media import analysis
from fullrecord.media.models import MediaItem
from fullrecord.media.services import Hints, ingest_spooled
from fullrecord.media.spool import spool_file

pytestmark = pytest.mark.browser

SLOW = 60_000


def test_the_leader_sees_the_charts_drawn(page, demo_users):
    sign_in(page, "leader", demo.DEMO_PASSWORD)
    page.goto("/devices/statistics/")

    expect(page.get_by_test_id("chart-officers")).to_have_attribute("data-ready", "1", timeout=SLOW)
    expect(page.get_by_test_id("chart-models")).to_have_attribute("data-ready", "1", timeout=SLOW)
    assert page.locator("[data-testid=chart-models] canvas").count() >= 1
    snapshot(page, "devices-statistics")


def test_a_mark_on_the_bar_starts_the_player_at_its_moment(page, demo_users):
    officer = demo_users["officer1"]
    at = timezone.localtime().replace(microsecond=0)
    with tempfile.TemporaryDirectory() as work:
        clip = make_clip(Path(work) / "DSJ-0111_mark.mp4", "DSJ-0111", 3, at)
        with open(clip, "rb") as handle:
            spooled = spool_file(handle)
        item = ingest_spooled(
            spooled,
            actor=officer,
            original_name=clip.name,
            source="test",
            hints=Hints(device_number="DSJ-0111", used_at=at),
        ).item
    analysis.analyse_item(item)
    item = MediaItem.objects.get(pk=item.pk)
    add_mark(item, actor=officer, at_seconds=2.0, kind="notice", note="已告知")

    sign_in(page, "officer1", demo.DEMO_PASSWORD)
    page.goto(item.get_absolute_url())
    tick = page.locator(".mark-tick").first
    expect(tick).to_be_visible(timeout=SLOW)
    left = tick.evaluate("el => el.style.left")
    assert left.endswith("%") and 60 < float(left[:-1]) < 70  # 2 s of 3 s
    tick.click()
    player = page.get_by_test_id("player")
    page.wait_for_function(
        "el => el.getAttribute('src') && el.readyState >= 1 && el.currentTime >= 1.9",
        arg=player.element_handle(),
        timeout=SLOW,
    )
    snapshot(page, "devices-marks")
