"""Administration people do daily, in the application's own pages (issue 14): the security
administrator lifts a sign-in lock from the administration page (recorded); nobody else can."""

from __future__ import annotations

import pytest
from django.test import Client

from fullrecord.accounts import lockout
from fullrecord.audit.models import AuditEntry


@pytest.fixture
def locked_officer(bureau, settings):
    settings.FULLRECORD_LOGIN_MAX_FAILURES = 3
    stranger = Client()
    for _ in range(3):
        stranger.post("/accounts/login/", {"username": "officer", "password": "wrong"})
    assert lockout.account_locked_until("officer") is not None
    return bureau.officer


def test_the_security_administrator_lifts_the_lock(bureau, client, locked_officer):
    client.force_login(bureau.security_admin)
    assert 'data-testid="unlock-officer"' in client.get("/administration/").content.decode()

    response = client.post(f"/administration/users/{locked_officer.pk}/unlock/", follow=True)

    assert "登录锁定已解除" in response.content.decode()
    assert lockout.account_locked_until("officer") is None
    assert AuditEntry.objects.filter(
        action="account.unlocked", actor=bureau.security_admin
    ).exists()


def test_an_officer_cannot_lift_a_lock(bureau, client, locked_officer):
    client.force_login(bureau.officer2)

    response = client.post(f"/administration/users/{locked_officer.pk}/unlock/")

    assert response.status_code in (403, 404)
    assert lockout.account_locked_until("officer") is not None


def test_the_audit_administrator_may_look_but_not_lift_it(bureau, client, locked_officer):
    client.force_login(bureau.audit_admin)

    response = client.post(f"/administration/users/{locked_officer.pk}/unlock/")

    assert response.status_code == 403
    assert lockout.account_locked_until("officer") is not None
