"""The admin's sign-out is recorded like ours; in the admin an API token is shown once when
made, never listed, and making and deleting one there is recorded."""

from __future__ import annotations

from django.test import Client
from knox.models import AuthToken

from fullrecord.accounts.services import issue_api_token
from fullrecord.audit.models import AuditEntry


def signed_in_admin(bureau) -> Client:
    bureau.admin.is_staff = bureau.admin.is_superuser = True
    bureau.admin.save()
    client = Client(REMOTE_ADDR="10.1.0.9")
    assert client.post("/admin/login/", {"username": "admin", "password": "pw"}).status_code == 302
    return client


def test_signing_out_of_the_admin_is_recorded_once(bureau):
    client = signed_in_admin(bureau)

    client.post("/admin/logout/")

    entry = AuditEntry.objects.get(action="account.logout")
    assert entry.actor_id == bureau.admin.pk
    assert entry.data["ip"] == "10.1.0.9"


def test_signing_out_of_our_pages_is_recorded_once(bureau):
    client = signed_in_admin(bureau)

    client.post("/accounts/logout/")

    assert AuditEntry.objects.filter(action="account.logout").count() == 1


def test_an_admin_listing_or_opening_tokens_sees_no_key(bureau):
    key = issue_api_token(bureau.officer)
    token = AuthToken.objects.get()
    client = signed_in_admin(bureau)

    listing = client.get("/admin/knox/authtoken/").content.decode()
    page = client.get(f"/admin/knox/authtoken/{token.pk}/change/").content.decode()

    assert token.token_key in listing
    assert key not in listing and key not in page


def test_making_a_token_in_the_admin_shows_it_once_and_is_recorded(bureau):
    client = signed_in_admin(bureau)

    response = client.post("/admin/knox/authtoken/add/", {"user": bureau.officer.pk}, follow=True)

    token = AuthToken.objects.get(user=bureau.officer)
    shown = [str(m) for m in response.context["messages"]]
    assert any(token.token_key in m for m in shown)
    entry = AuditEntry.objects.get(action="account.token_issued")
    assert entry.actor_id == bureau.admin.pk and entry.data["via"] == "admin"
    again = client.get("/admin/knox/authtoken/").content.decode()
    key = next(m for m in shown if token.token_key in m).split()[-1]
    assert key not in again


def test_deleting_a_token_in_the_admin_is_recorded(bureau, api_client):
    key = issue_api_token(bureau.officer)
    token = AuthToken.objects.get()
    client = signed_in_admin(bureau)

    client.post(f"/admin/knox/authtoken/{token.pk}/delete/", {"post": "yes"})

    assert not AuthToken.objects.exists()
    assert AuditEntry.objects.get(action="account.token_revoked").actor_id == bureau.admin.pk
    assert api_client.get("/api/me/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401
