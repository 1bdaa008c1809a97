"""``fullrecord apitoken USERNAME`` prints a new token once; ``Authorization: Token <key>``
signs in; only a digest is stored, and every issue, rotation and revocation is recorded."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone
from knox.crypto import hash_token
from knox.models import AuthToken

from fullrecord.audit.models import AuditEntry


def apitoken(*args) -> str:
    out = StringIO()
    call_command("apitoken", *args, stdout=out)
    return out.getvalue().strip()


def test_it_prints_a_token_that_signs_in_as_the_user(bureau, api_client):
    key = apitoken("officer")

    response = api_client.get("/api/me/", HTTP_AUTHORIZATION=f"Token {key}")

    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "officer"
    assert body["roles"] == ["officer"]
    assert body["org_unit"]["code"] == "QH1"


def test_the_database_keeps_a_digest_not_the_key(bureau):
    key = apitoken("officer")

    stored = AuthToken.objects.get(user=bureau.officer)
    assert key not in {stored.digest, stored.token_key}
    assert stored.digest == hash_token(key)
    assert stored.expiry > timezone.now()


def test_each_issue_is_a_new_token_and_is_recorded(bureau):
    assert apitoken("officer") != apitoken("officer")
    entries = AuditEntry.objects.filter(action="account.token_issued")
    assert entries.count() == 2
    assert entries.first().data["via"] == "command"


def test_a_token_past_its_expiry_is_refused(bureau, api_client):
    key = apitoken("officer", "--days", "1")

    with time_machine.travel(timezone.now() + timedelta(days=1, seconds=1)):
        assert api_client.get("/api/me/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401


def test_revoking_stops_the_token_and_is_recorded(bureau, api_client):
    key = apitoken("officer")

    assert apitoken("officer", "--revoke") == "已吊销 1 个令牌。"
    assert not AuthToken.objects.exists()

    assert api_client.get("/api/me/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401
    assert AuditEntry.objects.filter(action="account.token_revoked").count() == 1


def test_rotating_replaces_the_token(bureau, api_client):
    old = apitoken("officer")

    new = apitoken("officer", "--rotate")

    assert new != old
    assert api_client.get("/api/me/", HTTP_AUTHORIZATION=f"Token {old}").status_code == 401
    assert api_client.get("/api/me/", HTTP_AUTHORIZATION=f"Token {new}").status_code == 200
    assert AuditEntry.objects.get(action="account.token_rotated").data["revoked"] == 1


def test_it_refuses_an_unknown_user(bureau):
    with pytest.raises(CommandError, match="ghost"):
        apitoken("ghost")


def test_it_refuses_an_inactive_user(bureau):
    bureau.officer.is_active = False
    bureau.officer.save()

    with pytest.raises(CommandError):
        apitoken("officer")


@pytest.mark.parametrize(
    "header", ["Token wrong", "Token ", "Bearer abc", "Token a b", "Basic Zm9vOmJhcg=="]
)
def test_a_bad_authorization_header_is_401(bureau, api_client, header):
    assert api_client.get("/api/me/", HTTP_AUTHORIZATION=header).status_code == 401


def test_a_token_of_a_deactivated_user_no_longer_works(bureau, api_client):
    key = apitoken("officer")
    bureau.officer.is_active = False
    bureau.officer.save()

    assert api_client.get("/api/cases/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401
