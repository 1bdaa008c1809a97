"""A fault reported from the field reaches the section head at once: in the
application always, by e-mail when FULLRECORD_DEVICE_FAULT_MAIL is on (第九条第六项)."""

from __future__ import annotations

from django.core import mail

from fullrecord.accounts.models import User
from fullrecord.devices.choices import DeviceStatus
from fullrecord.devices.models import Checkout, Device
from fullrecord.devices.services import report_fault
from fullrecord.notifications.models import Notification

from .helpers import check_out, register


def test_the_head_is_told_in_the_application_and_the_holders_window_ends(bureau):
    camera = register(bureau, "DSJ-0401")
    checkout = check_out(camera, bureau.officer).checkout

    fault = report_fault(camera, actor=bureau.officer, kind="storage", note="存储卡已满")

    assert Notification.objects.filter(recipient=bureau.head, level="alert").count() == 1
    assert Device.objects.get(pk=camera.pk).status == DeviceStatus.FAULTY
    assert Checkout.objects.get(pk=checkout.pk).in_at == fault.reported_at
    assert mail.outbox == []  # mail is off by default


def test_with_mail_on_the_head_gets_an_email_too(
    bureau, settings, django_capture_on_commit_callbacks
):
    settings.FULLRECORD_DEVICE_FAULT_MAIL = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    User.objects.filter(pk=bureau.head.pk).update(email="head@example.gov.cn")
    camera = register(bureau, "DSJ-0402")

    with django_capture_on_commit_callbacks(execute=True):
        report_fault(camera, actor=bureau.officer, kind="malfunction", note="无法开机")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["head@example.gov.cn"]
    assert "DSJ-0402" in message.subject
    assert "无法开机" in message.body


def test_with_both_mails_on_the_head_gets_one_email_not_two(
    bureau, settings, django_capture_on_commit_callbacks
):
    settings.FULLRECORD_DEVICE_FAULT_MAIL = True
    settings.FULLRECORD_NOTIFICATION_MAIL = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    User.objects.filter(pk=bureau.head.pk).update(email="head@example.gov.cn")
    camera = register(bureau, "DSJ-0404")

    with django_capture_on_commit_callbacks(execute=True):
        report_fault(camera, actor=bureau.officer, kind="battery", note="电池耗尽")

    assert [message.to for message in mail.outbox] == [["head@example.gov.cn"]]
    assert "DSJ-0404" in mail.outbox[0].body


def test_the_fault_page_works_on_the_phone_sized_form_in_one_step(bureau, client):
    camera = register(bureau, "DSJ-0403")
    client.force_login(bureau.officer)

    answer = client.post(f"/devices/{camera.pk}/fault/", {"kind": "lost", "note": "巡查途中遗失"})

    assert answer.status_code == 302
    assert Device.objects.get(pk=camera.pk).faults.get().kind == "lost"
    assert Notification.objects.filter(recipient=bureau.head).exists()
