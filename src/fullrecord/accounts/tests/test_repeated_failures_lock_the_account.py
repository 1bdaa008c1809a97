"""Five failures within fifteen minutes lock a username, from that address, for fifteen
minutes (the defaults); django-axes counts them in the database."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from axes.models import AccessAttempt
from django.core.management import call_command
from django.utils import timezone

from fullrecord.accounts import signin
from fullrecord.audit.models import AuditEntry


@pytest.fixture
def limits(settings):
    settings.FULLRECORD_LOGIN_MAX_FAILURES = 3
    settings.FULLRECORD_LOGIN_WINDOW_MINUTES = 10
    settings.FULLRECORD_LOCKOUT_MINUTES = 30
    return settings


@pytest.fixture
def clock():
    """Moves the time for the sign-in code, django-axes and the sessions alike."""
    with time_machine.travel(timezone.now(), tick=False) as traveller:

        class Clock:
            now = timezone.now()

            def advance(self, **delta):
                self.now += timedelta(**delta)
                traveller.move_to(self.now)

        yield Clock()


PERSONA_PASSWORD = "pw"  # what the persona factories set


def sign_in(client, username="officer", password=PERSONA_PASSWORD, **extra):
    return client.post("/accounts/login/", {"username": username, "password": password}, **extra)


def fail(client, times, username="officer", **extra):
    for _ in range(times):
        sign_in(client, username, "wrong", **extra)


def test_the_defaults_are_five_failures_in_fifteen_minutes_for_fifteen(settings):
    assert settings.FULLRECORD_LOGIN_MAX_FAILURES == 5
    assert settings.FULLRECORD_LOGIN_WINDOW_MINUTES == 15
    assert settings.FULLRECORD_LOCKOUT_MINUTES == 15


def test_the_nth_failure_locks_and_is_recorded(client, bureau, limits, clock):
    fail(client, 2, REMOTE_ADDR="10.6.6.6")
    assert not AuditEntry.objects.filter(action="account.locked").exists()

    response = sign_in(client, password="wrong", REMOTE_ADDR="10.6.6.6")

    assert "locked" in response.content.decode().lower() or "锁定" in response.content.decode()
    entry = AuditEntry.objects.get(action="account.locked")
    assert entry.object_id == str(bureau.officer.pk)
    assert entry.data["username"] == "officer"
    assert entry.data["ip"] == "10.6.6.6"
    assert entry.data["failures"] == 3


def test_a_locked_account_refuses_the_right_password_and_records_the_attempt(
    client, bureau, limits, clock
):
    fail(client, 3)

    response = sign_in(client)

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    attempt = AuditEntry.objects.filter(action="account.login_failed").order_by("-seq").first()
    assert attempt.data["reason"] == "locked"
    assert not AuditEntry.objects.filter(action="account.login").exists()


def test_the_lock_message_is_in_chinese_by_default(client, bureau, limits, clock):
    fail(client, 3)

    body = sign_in(client).content.decode()

    assert "登录失败次数过多" in body
    until = timezone.localtime(clock.now + timedelta(minutes=30)).strftime("%H:%M")
    assert until in body


def test_the_lock_message_is_in_english_for_english_readers(client, bureau, limits, clock):
    fail(client, 3)
    client.cookies[limits.LANGUAGE_COOKIE_NAME] = "en"  # what the language switch sets

    body = sign_in(client).content.decode()

    assert "Too many failed sign-ins" in body


def test_the_lock_ends_after_the_lockout(client, bureau, limits, clock):
    fail(client, 3)
    clock.advance(minutes=31)

    assert sign_in(client).status_code == 302
    assert client.session["_auth_user_id"] == str(bureau.officer.pk)


def test_failures_older_than_the_window_do_not_count(client, bureau, limits, clock):
    fail(client, 2)
    clock.advance(minutes=11)
    fail(client, 2)

    assert sign_in(client).status_code == 302


def test_a_sign_in_clears_the_count(client, bureau, limits, clock):
    fail(client, 2)
    assert sign_in(client).status_code == 302
    client.post("/accounts/logout/")

    fail(client, 2)

    assert sign_in(client).status_code == 302


def test_one_username_locked_leaves_the_others_alone(client, bureau, limits, clock):
    fail(client, 3, "officer")

    assert sign_in(client, "officer2").status_code == 302


def test_unknown_usernames_lock_too_so_a_lock_reveals_nothing(client, bureau, limits, clock):
    fail(client, 3, "ghost")

    assert AuditEntry.objects.filter(action="account.locked").get().data["username"] == "ghost"
    assert AccessAttempt.objects.get(username="ghost").failures_since_start == 3
    assert signin.locked_until("ghost") == clock.now + timedelta(minutes=30)


def test_the_username_is_matched_regardless_of_case(client, bureau, limits, clock):
    fail(client, 3, "OFFICER")

    assert sign_in(client).status_code == 200


def test_the_lock_is_kept_in_the_database(client, bureau, limits, clock):
    """Several web processes share it: a fresh client (another process) sees the lock."""
    from django.test import Client

    fail(client, 3)

    assert sign_in(Client()).status_code == 200


def test_failures_at_the_admin_sign_in_count_too(client, bureau, limits, clock):
    for _ in range(3):
        client.post("/admin/login/", {"username": "officer", "password": "wrong"})

    assert AuditEntry.objects.filter(action="account.locked").exists()
    assert sign_in(client).status_code == 200


def test_an_administrator_can_lift_the_lock(client, bureau, limits, clock):
    fail(client, 3)
    out = StringIO()

    call_command("unlock", "officer", stdout=out)

    assert "unlocked" in out.getvalue()
    assert AuditEntry.objects.filter(action="account.unlocked").exists()
    assert sign_in(client).status_code == 302
