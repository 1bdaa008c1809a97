"""Attacks on the account pages: an officer posting to the create-account page or API gets
the same 404 as a missing page, nothing is made, and the refusal is on record; the
security administrator cannot make themself system administrator too (三员分立), nor can
the system administrator grant roles at all."""

from __future__ import annotations

import pytest

from fullrecord.accounts.choices import Role
from fullrecord.accounts.models import RoleGrant, User
from fullrecord.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

FORM = {"username": "mole", "full_name": "内鬼", "email": "", "phone": "", "certificate_number": ""}


def test_an_officer_posting_to_the_create_account_page_gets_404_and_is_recorded(client, bureau):
    client.force_login(bureau.officer)

    response = client.post("/accounts/manage/users/new/", {**FORM, "org_unit": bureau.section1.pk})

    assert response.status_code == 404
    assert not User.objects.filter(username="mole").exists()
    refusal = AuditEntry.objects.get(action="security.request_refused", actor=bureau.officer)
    assert refusal.data["http_status"] == 404


def test_an_officer_posting_to_the_accounts_api_gets_404(api_client, bureau):
    api_client.force_authenticate(bureau.officer)

    response = api_client.post(
        "/api/manage/accounts/", {**FORM, "org_unit": bureau.section1.pk}, format="json"
    )

    assert response.status_code == 404
    assert not User.objects.filter(username="mole").exists()


def test_the_security_administrator_cannot_make_themself_system_administrator(client, bureau):
    client.force_login(bureau.security_admin)

    response = client.post("/administration/", {"username": "security_admin", "role": Role.ADMIN})

    assert response.status_code == 200
    assert "不能同时担任" in response.content.decode()
    assert not RoleGrant.objects.filter(user=bureau.security_admin, role=Role.ADMIN).exists()
    assert AuditEntry.objects.filter(
        action="security.refused", actor=bureau.security_admin
    ).exists()


def test_the_system_administrator_grants_no_roles(client, bureau):
    client.force_login(bureau.admin)

    response = client.post("/administration/", {"username": "nobody", "role": Role.LEADER})

    assert response.status_code == 404
    assert not bureau.nobody.role_grants.exists()


def test_the_system_administrator_cannot_change_the_api_fields_roles_or_status_directly(
    api_client, bureau
):
    api_client.force_authenticate(bureau.admin)

    api_client.patch(
        f"/api/manage/accounts/{bureau.nobody.pk}/",
        {"roles": ["leader"], "is_active": False, "is_superuser": True},
        format="json",
    )

    nobody = User.objects.get(pk=bureau.nobody.pk)
    assert nobody.is_active and not nobody.is_superuser and not nobody.role_grants.exists()
