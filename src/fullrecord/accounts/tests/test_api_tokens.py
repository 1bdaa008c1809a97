"""``fullrecord apitoken USERNAME`` prints a token; ``Authorization: Token <key>`` signs in."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

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


def test_it_prints_the_same_token_twice_and_logs_its_issue_once(bureau):
    assert apitoken("officer") == apitoken("officer")
    assert AuditEntry.objects.filter(action="account.token_issued").count() == 1


def test_rotating_replaces_the_token(bureau, api_client):
    old = apitoken("officer")

    new = apitoken("officer", "--rotate")

    assert new != old
    assert api_client.get("/api/me/", HTTP_AUTHORIZATION=f"Token {old}").status_code == 401
    assert api_client.get("/api/me/", HTTP_AUTHORIZATION=f"Token {new}").status_code == 200


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
