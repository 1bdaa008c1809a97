"""Journey at phone size (issue 11's "done"): an officer checks out a camera, fails the
battery item, takes a spare, records with it (footage made as the demo makes it, handed
in as a docking station does), checks it in; the footage is bound to the officer and the
patrol; the section head sees the fault and closes the repair."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from fullrecord.core import demo
from fullrecord.core.demo_media import make_clip
from fullrecord.core.testing.browser import PHONE, label_zh, new_page, sign_in, snapshot, zh
from fullrecord.devices.choices import DeviceStatus, FaultState
from fullrecord.devices.models import Checkout, Device, Fault, FootageBinding, Patrol
from fullrecord.media.models import MediaItem
from fullrecord.media.services import Hints, ingest_spooled
from fullrecord.media.spool import spool_file

pytestmark = pytest.mark.browser

# Each step waits for the server's answer, however loaded the machine (no timing assumed).
SLOW = 60_000
FITS = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"


def fits(page) -> None:
    assert page.evaluate(FITS), f"{page.url} scrolls sideways on a phone"


def answered(page, testid: str) -> None:
    """Wait for the server's answer: the part named ``testid``, or a refusal (then fail
    with what the page says)."""
    outcome = page.locator(f"[data-testid={testid}], .errors, .error").first
    expect(outcome).to_be_visible(timeout=SLOW)
    if outcome.get_attribute("data-testid") != testid:
        pytest.fail(f"refused: {page.locator('main').inner_text()[:2000]}")


def station_hands_in(officer, device_number: str) -> MediaItem:
    """Two seconds recorded now on the camera, named and handed in as a station does."""
    at = timezone.localtime().replace(microsecond=0)
    with tempfile.TemporaryDirectory() as work:
        name = f"{device_number}_{officer.certificate_number}_{at:%Y%m%d%H%M%S}_0001.mp4"
        clip = make_clip(Path(work) / name, device_number, 2, at)
        with open(clip, "rb") as handle:
            spooled = spool_file(handle)
        return ingest_spooled(
            spooled,
            actor=officer,
            original_name=name,
            source="station",
            hints=Hints(device_number=device_number, used_at=at),
        ).item


def test_an_officer_fails_the_battery_check_takes_a_spare_and_the_head_closes_the_repair(
    phone_page, browser, site, demo_users
):
    page = phone_page
    officer = demo_users["officer1"]
    failing = Device.objects.get(number="DSJ-0110")
    patrol = Patrol.objects.get(area__startswith="城关镇东片")
    sign_in(page, "officer1", demo.DEMO_PASSWORD)

    # The camera's page, and its checkout: the battery item fails.
    page.goto(failing.get_absolute_url())
    fits(page)
    page.get_by_test_id("checkout").click()
    expect(page.get_by_test_id("checkout-form")).to_be_visible(timeout=SLOW)
    fits(page)
    page.locator("#id_task_kind").select_option("patrol")
    page.locator("#id_patrol").select_option(str(patrol.pk))
    for item in ("power", "clock", "video", "audio", "storage"):
        page.get_by_test_id(f"check-check_{item}").get_by_label(zh("Works")).check()
    page.get_by_test_id("check-check_battery").get_by_label(zh("Fails")).check()
    page.locator("#id_battery").fill("8")
    page.get_by_test_id("confirm-checkout").click()
    answered(page, "blocked")
    snapshot(page, "devices-blocked-phone")

    # Blocked: a fault is open, the section head told, and a spare offered.
    expect(page.get_by_test_id("blocked")).to_be_visible(timeout=SLOW)
    fits(page)
    assert Device.objects.get(pk=failing.pk).status == DeviceStatus.FAULTY
    fault = Fault.objects.get(device=failing)
    spare_link = page.locator("[data-testid^=spare-]").first
    spare_number = spare_link.get_attribute("data-testid").removeprefix("spare-")
    spare_link.click()
    expect(page.get_by_test_id("spare-notice")).to_be_visible(timeout=SLOW)
    expect(page.locator("#id_patrol")).to_have_value(str(patrol.pk))  # the task came along
    for item in ("power", "clock", "video", "audio", "storage", "battery"):
        page.get_by_test_id(f"check-check_{item}").get_by_label(zh("Works")).check()
    page.get_by_test_id("confirm-checkout").click()
    expect(page.get_by_test_id("holder")).to_contain_text(officer.full_name, timeout=SLOW)
    fits(page)
    checkout = Checkout.objects.get(device__number=spare_number, in_at=None)
    assert checkout.replaces == fault and checkout.patrol == patrol

    # Recording with the spare; the station hands the footage in.
    item = station_hands_in(officer, spare_number)

    # Check-in on the phone.
    page.reload()
    page.locator("#id_battery").fill("55")
    page.locator("#id_storage_free").fill("80")
    page.get_by_test_id("confirm-checkin").click()
    expect(page.get_by_test_id("in-at")).not_to_have_text("—", timeout=SLOW)
    expect(page.get_by_test_id("footage")).to_contain_text(item.original_name, timeout=SLOW)
    fits(page)
    snapshot(page, "devices-checked-in-phone")
    item = MediaItem.objects.get(pk=item.pk)
    assert item.officer == officer
    assert item.task_reference == patrol.number and not item.unlinked
    assert FootageBinding.objects.get(item=item).checkout == checkout

    # The section head, on a phone too, sees the fault and closes the repair.
    head_page, errors = new_page(browser, site, PHONE)
    try:
        sign_in(head_page, "head1", demo.DEMO_PASSWORD)
        head_page.goto("/devices/faults/")
        fits(head_page)
        head_page.get_by_role("link", name="DSJ-0110").first.click()
        expect(head_page.get_by_test_id("fault-state")).to_have_text(
            label_zh(FaultState.REPORTED), timeout=SLOW
        )
        head_page.locator("#id_to_state").select_option("in_repair")
        head_page.locator("#id_note").fill("更换电池")
        head_page.get_by_test_id("move").click()
        expect(head_page.get_by_test_id("fault-state")).to_have_text(
            label_zh(FaultState.IN_REPAIR), timeout=SLOW
        )
        head_page.locator("#id_to_state").select_option("resolved")
        head_page.get_by_test_id("move").click()
        expect(head_page.get_by_test_id("fault-state")).to_have_text(
            label_zh(FaultState.RESOLVED), timeout=SLOW
        )
        expect(head_page.get_by_test_id("fault-history")).to_contain_text("更换电池", timeout=SLOW)
        fits(head_page)
        snapshot(head_page, "devices-fault-closed-phone")
    finally:
        head_page.context.close()
    assert not errors, errors
    assert Device.objects.get(pk=failing.pk).status == DeviceStatus.AVAILABLE
