"""In Chromium at phone size, on the demo bureau: the section head opens yesterday's
booking of the interview room's camera (its camera clock found slow and applied), puts its
end right with a reason, then cancels it with a reason; another officer of the pool reads
the booking but is offered neither form."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from fullrecord.audit.models import AuditEntry
from fullrecord.core import demo
from fullrecord.core.testing.browser import PHONE, new_page, sign_in, snapshot
from fullrecord.devices.models import BookingCorrection, CameraBooking

pytestmark = pytest.mark.browser

SLOW = 60_000
FITS = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"


def test_the_head_corrects_and_cancels_a_booking_on_a_phone(phone_page, browser, site, demo_users):
    page = phone_page
    booking = CameraBooking.objects.filter(
        device__number="JK-0501", cancelled_at=None, clock_flagged=True
    ).get()
    # Cancelling is the page's dangerous button: it asks first; she agrees.
    page.on("dialog", lambda dialog: dialog.accept())
    sign_in(page, "head1", demo.DEMO_PASSWORD)

    page.goto(booking.device.get_absolute_url())
    page.locator(f'a[href="{booking.get_absolute_url()}"]').click()
    expect(page.get_by_test_id("clock")).to_contain_text("-5430", timeout=SLOW)
    assert page.evaluate(FITS), "the booking page scrolls sideways on a phone"

    new_end = timezone.localtime(booking.ends_at + timedelta(minutes=20))
    page.locator("#id_ends_at").fill(new_end.strftime("%Y-%m-%dT%H:%M:%S"))
    page.locator("#id_reason").fill("询问延长二十分钟")
    page.get_by_test_id("save-booking-correction").click()
    expect(page.get_by_test_id("corrections")).to_contain_text("询问延长二十分钟", timeout=SLOW)
    assert CameraBooking.objects.get(pk=booking.pk).ends_at == new_end
    assert BookingCorrection.objects.filter(booking=booking, actor=demo_users["head1"]).exists()

    page.locator("#id_cancel_reason").fill("询问改在派出所进行")
    page.get_by_test_id("cancel-booking").click()
    expect(page.get_by_test_id("cancelled")).to_contain_text("询问改在派出所进行", timeout=SLOW)
    expect(page.get_by_test_id("booking-cancel-form")).to_have_count(0)
    snapshot(page, "devices-booking-cancelled-phone")
    assert CameraBooking.objects.get(pk=booking.pk).cancelled_by == demo_users["head1"]
    assert AuditEntry.objects.filter(
        action="devices.cancel_booking", object_id=str(booking.pk)
    ).exists()

    other, errors = new_page(browser, site, PHONE)
    sign_in(other, "officer2", demo.DEMO_PASSWORD)
    other.goto(booking.get_absolute_url())
    expect(other.get_by_test_id("booking-state")).to_be_visible(timeout=SLOW)
    expect(other.get_by_test_id("booking-correction-form")).to_have_count(0)
    other.context.close()
    assert not errors, errors
