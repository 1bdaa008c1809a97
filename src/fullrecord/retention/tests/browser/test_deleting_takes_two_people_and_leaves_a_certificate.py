"""Journey (第十三条、第十八条第五项): a section head holds one record; the archivist sees
what has fallen due, proposes the sweep and approves it; the leader in charge gives the
second approval; the originals are deleted, and the certificate downloads and is in the
audit log."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from fullrecord.audit.models import AuditEntry
from fullrecord.core.testing.browser import label_zh, sign_in, zh
from fullrecord.media.models import MediaItem
from fullrecord.media.tests.evidence import ingest_bytes
from fullrecord.retention.choices import HoldReason, SweepState
from fullrecord.retention.models import Sweep

pytestmark = pytest.mark.browser


@pytest.fixture
def old_footage(bureau, settings):
    """Three routine records received seven months ago, linked to no case: fallen due."""
    settings.FULLRECORD_RETENTION_GRACE_DAYS = 0  # the grace period has its own tests
    with time_machine.travel(timezone.now() - timedelta(days=215), tick=False):
        return [
            ingest_bytes(bureau.officer, os.urandom(4096), f"日常巡查_{n}.mp4").item
            for n in range(3)
        ]


def test_two_people_approve_and_the_certificate_downloads(browser, site, bureau, old_footage):
    held = old_footage[0]
    page = browser.new_context(base_url=site, locale="zh-CN").new_page()
    page.set_default_timeout(15_000)

    # A section head keeps one record for good: the party has complained (第十三条).
    sign_in(page, "head")
    page.goto(held.get_absolute_url())
    page.get_by_role("link", name=zh("Place a long-term hold")).click()
    page.locator("#id_reason").select_option(HoldReason.OBJECTION)
    page.get_by_test_id("place-hold").click()
    expect(page.get_by_test_id("hold-state")).to_have_text(zh("In force"))
    page.context.clear_cookies()

    # The archivist sees what fell due — not the held record — and proposes the sweep.
    sign_in(page, "archivist")
    page.goto("/retention/")
    expect(page.get_by_test_id("due-count")).to_have_text("2")
    expect(page.get_by_role("link", name=held.original_name)).to_have_count(0)
    page.get_by_test_id("propose").click()
    expect(page.get_by_test_id("sweep-state")).to_have_text(label_zh(SweepState.LISTED))
    page.get_by_test_id("approve").click()
    expect(page.get_by_test_id("archivist-approval")).to_contain_text(
        bureau.archivist.full_name or "archivist"
    )
    expect(page.get_by_test_id("approve")).to_have_count(0)  # not twice by one person
    sweep_url = page.url
    page.context.clear_cookies()

    # The leader in charge gives the second approval: the originals go.
    sign_in(page, "leader")
    page.goto(sweep_url)
    page.get_by_test_id("approve").click()
    expect(page.get_by_test_id("sweep-state")).to_have_text(label_zh(SweepState.DONE))
    assert list(MediaItem.objects.values_list("pk", flat=True)) == [held.pk]

    # The certificate downloads as a PDF and stays in the audit log.
    with page.expect_download() as download:
        page.get_by_test_id("certificate").click()
    pdf = download.value.path().read_bytes()
    assert pdf.startswith(b"%PDF")
    sweep = Sweep.objects.get()
    entry = AuditEntry.objects.get(action="retention.certificate")
    assert sweep.certificate == entry
    assert {d["sha256"] for d in entry.data["deleted"]} == {i.sha256 for i in old_footage[1:]}
    expect(page.locator("body")).to_contain_text(
        zh("Kept for ever in the audit log as entry no. %(seq)s.") % {"seq": entry.seq}
    )
    page.context.close()
