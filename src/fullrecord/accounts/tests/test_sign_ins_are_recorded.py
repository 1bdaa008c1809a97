"""Every sign-in, failed sign-in and sign-out is in the audit log, with the username and IP."""

from __future__ import annotations

import pytest

from fullrecord.audit.models import AuditEntry

PERSONA_PASSWORD = "pw"  # what the persona factories set


def sign_in(client, username="officer", password=PERSONA_PASSWORD, **extra):
    return client.post("/accounts/login/", {"username": username, "password": password}, **extra)


def last(action: str) -> AuditEntry:
    return AuditEntry.objects.filter(action=action).order_by("-seq").first()


def test_a_sign_in_is_recorded_with_the_user_and_ip(client, bureau):
    response = sign_in(client, REMOTE_ADDR="10.1.2.3", HTTP_USER_AGENT="Firefox")

    assert response.status_code == 302
    entry = last("account.login")
    assert entry.actor == bureau.officer
    assert entry.object_type == "accounts.user"
    assert entry.object_id == str(bureau.officer.pk)
    assert entry.data["username"] == "officer"
    assert entry.data["ip"] == "10.1.2.3"
    assert entry.data["user_agent"] == "Firefox"


def test_a_wrong_password_is_recorded_against_the_account(client, bureau):
    response = sign_in(client, password="wrong", REMOTE_ADDR="10.9.9.9")

    assert response.status_code == 200
    entry = last("account.login_failed")
    assert entry.actor is None
    assert entry.object_id == str(bureau.officer.pk)
    assert entry.data["username"] == "officer"
    assert entry.data["ip"] == "10.9.9.9"
    assert entry.data["reason"] == "invalid"
    assert not AuditEntry.objects.filter(action="account.login").exists()


def test_an_unknown_username_is_recorded_as_tried(client, bureau):
    sign_in(client, username="ghost")

    entry = last("account.login_failed")
    assert entry.object_type == ""
    assert entry.data["username"] == "ghost"


def test_an_inactive_user_signing_in_is_a_failure(client, bureau):
    bureau.officer.is_active = False
    bureau.officer.save()

    response = sign_in(client)

    assert response.status_code == 200
    assert last("account.login_failed").data["username"] == "officer"


def test_signing_out_is_recorded(client, bureau):
    sign_in(client)

    response = client.post("/accounts/logout/", REMOTE_ADDR="10.1.2.3")

    assert response.status_code == 302
    entry = last("account.logout")
    assert entry.actor == bureau.officer
    assert entry.data["ip"] == "10.1.2.3"


def test_signing_out_when_not_signed_in_records_nothing(client, bureau):
    client.post("/accounts/logout/")

    assert not AuditEntry.objects.filter(action="account.logout").exists()


def test_a_forwarded_for_header_is_ignored_without_a_proxy(client, bureau, settings):
    settings.SECURE_PROXY_SSL_HEADER = None

    sign_in(client, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")

    assert last("account.login").data["ip"] == "10.0.0.1"


def test_behind_the_proxy_the_address_it_appended_counts(client, bureau, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

    sign_in(
        client,
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.7",
        HTTP_X_FORWARDED_PROTO="https",
        secure=True,
    )

    assert last("account.login").data["ip"] == "203.0.113.7"


@pytest.mark.parametrize("header", ["", "not-an-ip"])
def test_behind_the_proxy_a_bad_forwarded_for_falls_back(client, bureau, settings, header):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

    sign_in(client, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=header, secure=True)

    assert last("account.login").data["ip"] == "127.0.0.1"


def test_the_admin_sign_in_is_recorded_too(client, bureau):
    bureau.admin.is_staff = True
    bureau.admin.save()

    response = client.post("/admin/login/?next=/admin/", {"username": "admin", "password": "pw"})

    assert response.status_code == 302
    assert last("account.login").actor == bureau.admin


def test_a_non_staff_user_at_the_admin_sign_in_is_a_failure(client, bureau):
    response = client.post("/admin/login/", {"username": "officer", "password": "pw"})

    assert response.status_code == 200
    assert last("account.login_failed").data["reason"] == "not_allowed"
