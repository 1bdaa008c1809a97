"""In Chromium, on the demo bureau: the section head sets a model's maintenance interval
and the overdue list follows, logs a maintenance and lets an overdue camera out, which
the officer then checks out (phone size); the head declares a card's footage lost and
retires the camera from its page (phone size); the administrator changes a fixed
camera's registry entry."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from fullrecord.audit.models import AuditEntry
from fullrecord.core import demo
from fullrecord.core.testing.browser import PHONE, new_page, sign_in, snapshot, zh
from fullrecord.devices import services
from fullrecord.devices.choices import CheckItem, DeviceStatus
from fullrecord.devices.models import Checkout, Device, DeviceModel, FootageLoss, Maintenance

pytestmark = pytest.mark.browser

SLOW = 60_000
FITS = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"


def fits(page) -> None:
    assert page.evaluate(FITS), f"{page.url} scrolls sideways on a phone"


def test_the_head_sets_the_interval_logs_maintenance_and_lets_an_overdue_camera_out(
    phone_page, browser, site, demo_users
):
    page = phone_page
    handheld = DeviceModel.objects.get(name="索尼 HXR-NX80")
    overdue = page.get_by_test_id("overdue")
    sign_in(page, "head1", demo.DEMO_PASSWORD)

    # The interval: a year, and SX-0301 (last maintained 200 days ago) is not overdue;
    # thirty days, and it is again.
    page.goto("/devices/maintenance/")
    fits(page)
    expect(overdue).to_contain_text("SX-0301")
    page.locator(f"#id_m{handheld.pk}-maintenance_days").fill("365")
    page.get_by_test_id(f"set-interval-{handheld.pk}").click()
    expect(overdue).not_to_contain_text("SX-0301", timeout=SLOW)
    page.locator(f"#id_m{handheld.pk}-maintenance_days").fill("30")
    page.get_by_test_id(f"set-interval-{handheld.pk}").click()
    expect(overdue).to_contain_text("SX-0301", timeout=SLOW)
    assert DeviceModel.objects.get(pk=handheld.pk).maintenance_days == 30
    snapshot(page, "devices-maintenance-phone")

    # A maintenance logged on a camera's page.
    camera = Device.objects.get(number="DSJ-0110")
    page.goto(camera.get_absolute_url())
    page.locator("#id_battery_test").check()
    page.locator("#id_clock_sync").check()
    page.locator("#id_firmware").fill("V2.2.0")
    page.get_by_test_id("log-maintenance").click()
    expect(page.locator("main")).to_contain_text("V2.2.0", timeout=SLOW)
    entry = Maintenance.objects.filter(device=camera).latest("done_at")
    assert (entry.battery_test, entry.storage_check, entry.clock_sync) == (True, False, True)

    # The overdue handheld goes out once on the head's word.
    sx = Device.objects.get(number="SX-0301")
    page.goto(sx.get_absolute_url())
    expect(page.get_by_test_id("maintenance-overdue")).to_be_visible()
    page.locator("#id_reason").fill("备用机均在外，任务紧急")
    page.get_by_test_id("override").click()
    expect(page.locator("main")).to_contain_text("备用机均在外，任务紧急", timeout=SLOW)
    fits(page)

    officer, errors = new_page(browser, site, PHONE)
    sign_in(officer, "officer1", demo.DEMO_PASSWORD)
    officer.goto(sx.get_absolute_url())
    officer.get_by_test_id("checkout").click()
    expect(officer.get_by_test_id("overdue-notice")).to_be_visible(timeout=SLOW)
    officer.locator("#id_task_kind").select_option("survey")
    for item in CheckItem.values:
        officer.get_by_test_id(f"check-check_{item}").get_by_label(zh("Works")).check()
    officer.get_by_test_id("confirm-checkout").click()
    expect(officer.get_by_test_id("holder")).to_be_visible(timeout=SLOW)
    officer.context.close()
    assert not errors, errors
    checkout = Checkout.objects.get(device=sx, in_at=None)
    assert checkout.override_reason == "备用机均在外，任务紧急"


def test_the_head_declares_a_cards_footage_lost_and_retires_the_camera(phone_page, demo_users):
    page = phone_page
    camera = Device.objects.get(number="DSJ-0111")
    out = services.checkout_device(
        camera,
        actor=demo_users["officer1"],
        task_kind="survey",
        checklist=dict.fromkeys(CheckItem.values, True),
    ).checkout
    services.checkin_device(out, actor=demo_users["officer1"])  # its footage never comes
    # Declaring and retiring are the page's dangerous buttons: each asks first; she agrees.
    page.on("dialog", lambda dialog: dialog.accept())
    sign_in(page, "head1", demo.DEMO_PASSWORD)

    page.goto(camera.get_absolute_url())
    page.get_by_test_id("retire").click()
    expect(page.get_by_test_id("footage-lost-form")).to_be_visible(timeout=SLOW)
    fits(page)
    page.locator("#id_reason").fill("进水损坏，无法修复")
    page.get_by_test_id("confirm-retire").click()
    expect(page.locator(".errors")).to_be_visible(timeout=SLOW)  # the card comes first
    assert Device.objects.get(pk=camera.pk).status == DeviceStatus.AVAILABLE

    page.locator("#id_lost-reason").fill("存储卡进水，无法读取")
    page.get_by_test_id("declare-lost").click()
    expect(page.get_by_test_id("card-settled")).to_be_visible(timeout=SLOW)
    page.locator("#id_reason").fill("进水损坏，无法修复")
    page.get_by_test_id("confirm-retire").click()
    expect(page.get_by_test_id("retired")).to_be_visible(timeout=SLOW)
    expect(page.get_by_test_id("footage-losses")).to_contain_text("存储卡进水，无法读取")
    expect(page.get_by_test_id("checkout")).to_have_count(0)
    fits(page)
    snapshot(page, "devices-retired-phone")

    camera = Device.objects.get(pk=camera.pk)
    assert camera.status == DeviceStatus.RETIRED and camera.retired_by == demo_users["head1"]
    assert Checkout.objects.get(pk=out.pk).footage_lost == FootageLoss.objects.get(device=camera)


def test_the_administrator_moves_a_fixed_camera_to_another_room(page, demo_users):
    camera = Device.objects.get(number="JK-0501")
    sign_in(page, "admin", demo.DEMO_PASSWORD)

    page.goto(camera.get_absolute_url())
    page.get_by_test_id("edit").click()
    page.locator("#id_location").fill("执法一中队询问室二")
    page.locator("#id_firmware").fill("V2.2.0")
    page.get_by_test_id("save").click()

    expect(page.locator("main")).to_contain_text("执法一中队询问室二", timeout=SLOW)
    entry = AuditEntry.objects.filter(action="devices.edit", object_id=str(camera.pk)).get()
    assert entry.data["before"] == {"firmware": "V2.1.7", "location": "执法一中队询问室"}
    assert entry.data["after"] == {"firmware": "V2.2.0", "location": "执法一中队询问室二"}
