"""Everyone manages their own API tokens on their profile page: a new key is shown in
that one answer, never again; revoking touches only one's own tokens; both recorded."""

from __future__ import annotations

from knox.models import AuthToken

from fullrecord.accounts.services import issue_api_token
from fullrecord.audit.models import AuditEntry


def test_a_new_token_is_shown_once_and_recorded(bureau, client, api_client):
    client.force_login(bureau.officer)

    response = client.post("/accounts/tokens/")

    key = response.context["new_key"]
    assert key in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert key not in client.get("/accounts/profile/").content.decode()
    assert AuthToken.objects.get(user=bureau.officer).token_key == key[:15]
    entry = AuditEntry.objects.get(action="account.token_issued")
    assert (entry.actor_id, entry.data["via"]) == (bureau.officer.pk, "page")
    assert api_client.get("/api/me/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200


def test_rotating_on_the_page_revokes_the_others(bureau, client, api_client):
    old = issue_api_token(bureau.officer)
    client.force_login(bureau.officer)

    client.post("/accounts/tokens/", {"rotate": "1"})

    assert AuthToken.objects.filter(user=bureau.officer).count() == 1
    assert api_client.get("/api/me/", HTTP_AUTHORIZATION=f"Token {old}").status_code == 401
    assert AuditEntry.objects.get(action="account.token_rotated").data["revoked"] == 1


def test_revoking_someone_elses_token_is_a_404_and_leaves_it(bureau, client, api_client):
    key = issue_api_token(bureau.officer2)
    client.force_login(bureau.officer)

    response = client.post(f"/accounts/tokens/{key[:15]}/revoke/")

    assert response.status_code == 404
    assert api_client.get("/api/me/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
    assert not AuditEntry.objects.filter(action="account.token_revoked").exists()


def test_revoking_ones_own_token_stops_it_and_is_recorded(bureau, client, api_client):
    key = issue_api_token(bureau.officer)
    client.force_login(bureau.officer)

    response = client.post(f"/accounts/tokens/{key[:15]}/revoke/")

    assert response.status_code == 302
    assert api_client.get("/api/me/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401
    assert AuditEntry.objects.get(action="account.token_revoked").data["via"] == "page"


def test_a_token_cannot_mint_tokens_on_the_page(bureau, client):
    """The page takes a signed-in session only: a stolen token cannot make itself a new
    term."""
    key = issue_api_token(bureau.officer)

    response = client.post("/accounts/tokens/", HTTP_AUTHORIZATION=f"Token {key}")

    assert response.status_code == 302
    assert AuthToken.objects.count() == 1


def test_the_page_lists_first_characters_in_chinese(bureau, client):
    key = issue_api_token(bureau.officer)
    client.force_login(bureau.officer)

    html = client.get("/accounts/profile/").content.decode()

    assert key[:15] in html and key not in html
    assert "新建 API 令牌" in html and "作废" in html
