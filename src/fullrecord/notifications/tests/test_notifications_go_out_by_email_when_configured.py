"""Notifications also go out by e-mail when the operator named a mail server: after the
commit, by a task, in Chinese with a link, only to people with an address who did not
turn it off; a refusing mail server never loses the in-app notification, and the task
that failed is retried and sends the mail once."""

from __future__ import annotations

import logging
import os
import subprocess
import sys

import pytest

from fullrecord.cases import services as case_services
from fullrecord.cases.choices import CaseState
from fullrecord.cases.tests.helpers import ready_case
from fullrecord.core.testing.workflow import only_case_requirements
from fullrecord.notifications.models import Notification
from fullrecord.notifications.services import notify
from fullrecord.notifications.tasks import mail_notification

from .smtp import free_port, smtp_server


@pytest.fixture
def inbox(settings):
    with smtp_server() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = server.port
        settings.EMAIL_TIMEOUT = 5
        settings.FULLRECORD_NOTIFICATION_MAIL = True
        settings.FULLRECORD_SITE_URL = "https://zhifa.example.gov.cn"
        yield server


@pytest.fixture
def addressed(bureau):
    for user in (bureau.officer, bureau.head, bureau.leader):
        user.email = f"{user.username}@example.gov.cn"
        user.save(update_fields=["email"])
    return bureau


def test_a_case_move_mails_the_next_actor_in_chinese_with_a_link(
    addressed, inbox, django_capture_on_commit_callbacks
):
    case = ready_case(addressed, CaseState.DISCOVERED)

    with only_case_requirements(), django_capture_on_commit_callbacks(execute=True):
        case_services.do_transition(case, "stop", actor=addressed.officer)

    to_head = [m for m in inbox.messages if m["To"] == "head@example.gov.cn"]
    assert len(to_head) == 1, [m["To"] for m in inbox.messages]
    body = to_head[0].get_content()
    assert str(to_head[0]["Subject"]).strip().startswith("【执法全过程记录】案件")
    assert case.number in to_head[0]["Subject"]
    assert "立案" in body
    assert f"查看：https://zhifa.example.gov.cn{case.get_absolute_url()}" in body
    assert "可在个人页面关闭：https://zhifa.example.gov.cn/accounts/profile/" in body
    assert "officer@example.gov.cn" not in [m["To"] for m in inbox.messages]  # the mover
    assert Notification.objects.get(recipient=addressed.head).mailed_at is not None


def test_nothing_is_mailed_before_the_commit(addressed, inbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify([addressed.head], "有新的查阅申请", link="/access/")

    assert inbox.messages == []
    assert len(callbacks) == 1


def test_only_people_with_an_address_who_did_not_opt_out_are_mailed(
    addressed, inbox, django_capture_on_commit_callbacks
):
    addressed.leader.email_notifications = False
    addressed.leader.save(update_fields=["email_notifications"])
    people = [
        addressed.officer,
        addressed.head,
        addressed.leader,
        addressed.legal,
    ]  # legal: no address

    with django_capture_on_commit_callbacks(execute=True):
        notify(people, "请处理待办", link="/todo/")

    assert sorted(m["To"] for m in inbox.messages) == [
        "head@example.gov.cn",
        "officer@example.gov.cn",
    ]
    assert Notification.objects.filter(message="请处理待办").count() == 4


def test_no_mail_when_no_mail_server_is_configured(
    addressed, inbox, settings, django_capture_on_commit_callbacks
):
    settings.FULLRECORD_NOTIFICATION_MAIL = False

    with django_capture_on_commit_callbacks(execute=True):
        notify([addressed.head], "请处理待办")

    assert inbox.messages == []
    assert Notification.objects.get(recipient=addressed.head).mailed_at is None


def test_a_refusing_mail_server_keeps_the_notification_and_the_retry_sends_it_once(
    addressed, inbox, caplog, django_capture_on_commit_callbacks
):
    inbox.refuse = True
    with (
        caplog.at_level(logging.ERROR, "fullrecord.notifications.tasks"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        notify([addressed.head], "设备故障：请处理", link="/devices/")

    notification = Notification.objects.get(recipient=addressed.head)
    assert notification.mailed_at is None
    assert inbox.messages == []
    assert "will be retried" in caplog.text

    # the worker runs the failed task again (core/worker.py); it raises so it is retried
    with pytest.raises(Exception):  # noqa: B017, PT011  (smtplib's own refusal)
        mail_notification.call(notification.pk)

    inbox.refuse = False
    assert mail_notification.call(notification.pk) == 1
    assert mail_notification.call(notification.pk) == 0  # a second run sends nothing

    assert [m["To"] for m in inbox.messages] == ["head@example.gov.cn"]
    notification.refresh_from_db()
    assert notification.mailed_at is not None


def test_an_unreachable_mail_server_never_breaks_the_move(
    addressed, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()  # nothing listens
    settings.FULLRECORD_NOTIFICATION_MAIL = True
    case = ready_case(addressed, CaseState.DISCOVERED)

    with only_case_requirements(), django_capture_on_commit_callbacks(execute=True):
        case_services.do_transition(case, "stop", actor=addressed.officer)

    case.refresh_from_db()
    assert case.state == CaseState.STOPPED
    assert Notification.objects.filter(recipient=addressed.head, mailed_at=None).exists()


@pytest.mark.parametrize(
    ("env", "expected"),
    [({}, "False"), ({"FULLRECORD_EMAIL_HOST": "mail.example.gov.cn"}, "True")],
)
def test_mail_is_off_until_a_mail_server_is_named(env, expected):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("FULLRECORD_EMAIL")}
    clean.pop("FULLRECORD_NOTIFICATION_MAIL", None)
    out = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-c",
            "from django.conf import settings; print(settings.FULLRECORD_NOTIFICATION_MAIL)",
        ],
        env={**clean, **env, "DJANGO_SETTINGS_MODULE": "fullrecord.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == expected
