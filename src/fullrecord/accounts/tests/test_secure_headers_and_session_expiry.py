"""Headers on every page (CSP, frames, sniffing, referrer) and sessions that expire."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

PAGES = ["/accounts/login/", "/cases/", "/audit/", "/api/me/"]


@pytest.fixture
def signed_in(client, bureau):
    client.force_login(bureau.leader)
    return client


@pytest.mark.parametrize("path", PAGES)
def test_pages_carry_a_strict_content_security_policy(signed_in, path):
    policy = signed_in.get(path)["Content-Security-Policy"]

    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "object-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy


@pytest.mark.parametrize("path", PAGES)
def test_pages_refuse_frames_sniffing_and_foreign_referrers(signed_in, path):
    response = signed_in.get(path)

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_the_session_cookie_is_http_only_and_same_site(client, bureau):
    response = client.post("/accounts/login/", {"username": "officer", "password": "pw"})

    cookie = response.cookies["sessionid"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_a_session_lasts_session_cookie_age(client, bureau, settings):
    client.post("/accounts/login/", {"username": "officer", "password": "pw"})

    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE
    assert settings.SESSION_COOKIE_AGE == 8 * 3600


def test_an_expired_session_must_sign_in_again(client, bureau, settings, monkeypatch):
    client.post("/accounts/login/", {"username": "officer", "password": "pw"})
    assert client.get("/cases/").status_code == 200
    later = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE + 1)
    monkeypatch.setattr(timezone, "now", lambda: later)

    response = client.get("/cases/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
