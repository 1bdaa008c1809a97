"""An API token stops working while its user is locked out, and for an inactive user."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.test import Client
from django.utils import timezone

from fullrecord.accounts.services import issue_api_token


def me(api_client, key):
    return api_client.get("/api/me/", HTTP_AUTHORIZATION=f"Token {key}")


def test_a_token_works_for_an_active_unlocked_user(bureau, api_client):
    assert me(api_client, issue_api_token(bureau.officer)).status_code == 200


def lock_from_elsewhere(username="officer", times=5):
    """What a guesser does: wrong passwords for the username from their own address."""
    attacker = Client(REMOTE_ADDR="10.66.0.1")
    for _ in range(times):
        attacker.post("/accounts/login/", {"username": username, "password": "wrong"})


def test_a_token_of_a_locked_user_is_refused(bureau, api_client):
    key = issue_api_token(bureau.officer)
    lock_from_elsewhere()

    response = me(api_client, key)

    assert response.status_code == 401
    assert "locked" in response.json()["detail"] or "锁定" in response.json()["detail"]


def test_the_token_works_again_when_the_lock_ends(bureau, api_client, settings):
    key = issue_api_token(bureau.officer)
    lock_from_elsewhere()

    minutes = settings.FULLRECORD_LOCKOUT_MINUTES
    with time_machine.travel(timezone.now() + timedelta(minutes=minutes, seconds=1)):
        assert me(api_client, key).status_code == 200


def test_a_token_of_an_inactive_user_is_refused(bureau, api_client):
    key = issue_api_token(bureau.officer)
    bureau.officer.is_active = False
    bureau.officer.save()

    assert me(api_client, key).status_code == 401
