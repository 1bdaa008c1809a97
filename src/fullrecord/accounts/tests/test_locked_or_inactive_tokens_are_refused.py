"""An API token stops working while its user is locked out, and for an inactive user."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from fullrecord.accounts.models import LoginThrottle
from fullrecord.accounts.services import issue_api_token


def me(api_client, key):
    return api_client.get("/api/me/", HTTP_AUTHORIZATION=f"Token {key}")


def test_a_token_works_for_an_active_unlocked_user(bureau, api_client):
    assert me(api_client, issue_api_token(bureau.officer)).status_code == 200


def test_a_token_of_a_locked_user_is_refused(bureau, api_client):
    key = issue_api_token(bureau.officer)
    LoginThrottle.objects.create(
        username="officer", locked_until=timezone.now() + timedelta(minutes=5)
    )

    response = me(api_client, key)

    assert response.status_code == 401
    assert "locked" in response.json()["detail"] or "锁定" in response.json()["detail"]


def test_the_token_works_again_when_the_lock_ends(bureau, api_client):
    key = issue_api_token(bureau.officer)
    LoginThrottle.objects.create(
        username="officer", locked_until=timezone.now() - timedelta(seconds=1)
    )

    assert me(api_client, key).status_code == 200


def test_a_token_of_an_inactive_user_is_refused(bureau, api_client):
    key = issue_api_token(bureau.officer)
    bureau.officer.is_active = False
    bureau.officer.save()

    assert me(api_client, key).status_code == 401
