"""A checkout put right afterwards (wrong holder, wrong time, clock not read): on its
page or through the API, with a reason, audited, and the footage bound again."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from fullrecord.audit.models import AuditEntry
from fullrecord.devices.models import CheckoutCorrection, FootageBinding
from fullrecord.devices.services import DeviceError, checkin_device, correct_checkout
from fullrecord.media.models import MediaItem

from .helpers import check_out, footage, register


@pytest.fixture
def window(bureau, django_capture_on_commit_callbacks):
    """A checkout by the officer, checked in, with one record bound to it."""
    camera = register(bureau, "DSJ-0301")
    checkout = check_out(camera, bureau.officer).checkout
    checkout = checkin_device(checkout, actor=bureau.officer)
    middle = checkout.out_at + (checkout.in_at - checkout.out_at) / 2
    with django_capture_on_commit_callbacks(execute=True):
        item = footage(bureau.officer, "w.mp4", device_number="DSJ-0301", device_time=middle)
    assert FootageBinding.objects.get(item=item).checkout == checkout
    assert MediaItem.objects.get(pk=item.pk).officer == bureau.officer
    return checkout, item


def test_the_section_head_corrects_the_holder_through_the_api(
    bureau, window, django_capture_on_commit_callbacks
):
    from rest_framework.test import APIClient

    checkout, item = window
    api = APIClient()
    api.force_authenticate(bureau.head)

    with django_capture_on_commit_callbacks(execute=True):
        answer = api.post(
            f"/api/checkouts/{checkout.pk}/correction/",
            {"officer": "officer2", "reason": "登记错了领取人"},
            format="json",
        )

    assert answer.status_code == 200, answer.content
    assert answer.json()["officer"] == "officer2"
    correction = CheckoutCorrection.objects.get(checkout=checkout)
    assert correction.reason == "登记错了领取人" and correction.actor == bureau.head
    assert correction.before["officer"] == "officer" and correction.after["officer"] == "officer2"
    entry = AuditEntry.objects.get(action="devices.correct_checkout")
    assert entry.data["reason"] == "登记错了领取人"
    assert MediaItem.objects.get(pk=item.pk).officer == bureau.officer2  # bound again
    assert AuditEntry.objects.filter(action="media.bind", object_id=str(item.pk)).count() == 2


def test_a_correction_on_the_page_needs_a_reason_and_moves_the_footage_out_of_the_window(
    bureau, window, client, django_capture_on_commit_callbacks
):
    checkout, item = window
    client.force_login(bureau.head)
    url = f"/devices/checkouts/{checkout.pk}/correct/"
    earlier = timezone.localtime(checkout.out_at - timedelta(hours=2))
    form = {
        "out_at": earlier.strftime("%Y-%m-%dT%H:%M:%S"),
        "in_at": (earlier + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S"),
        "officer": bureau.officer.pk,
        "clock_offset": "0",
        "task_kind": checkout.task_kind,
        "task_note": "",
    }
    assert client.get(url).status_code == 200

    refused = client.post(url, {**form, "reason": ""})
    assert refused.status_code == 200  # shown again with the error, nothing changed
    assert not CheckoutCorrection.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {**form, "reason": "领取时间登记错误"})

    assert done.status_code == 302
    assert FootageBinding.objects.get(item=item).checkout is None  # no longer in its window
    page = client.get(f"/devices/checkouts/{checkout.pk}/").content.decode()
    assert "领取时间登记错误" in page


def test_an_officer_cannot_correct_their_own_checkout(bureau, window):
    checkout, _item = window
    with pytest.raises(DeviceError):
        correct_checkout(checkout, actor=bureau.officer, reason="x", changes={"task_note": "y"})


def test_a_window_ending_before_it_starts_is_refused(bureau, window):
    checkout, _item = window
    with pytest.raises(DeviceError):
        correct_checkout(
            checkout,
            actor=bureau.head,
            reason="录错",
            changes={"in_at": checkout.out_at - timedelta(minutes=1)},
        )
    assert not CheckoutCorrection.objects.exists()
