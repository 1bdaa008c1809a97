"""The admin's role inline says why it refuses a second administrator role, instead of
failing at the database guard."""

from __future__ import annotations

import pytest

from fullrecord.accounts.models import RoleGrant

pytestmark = pytest.mark.django_db


def test_the_inline_refuses_and_keeps_the_roles(bureau, client):
    bureau.admin.is_staff = bureau.admin.is_superuser = True
    bureau.admin.save()
    client.force_login(bureau.admin)
    user = bureau.nobody
    form = {
        "username": user.username,
        "full_name": user.full_name,
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
        "role_grants-TOTAL_FORMS": "2",
        "role_grants-INITIAL_FORMS": "0",
        "role_grants-MIN_NUM_FORMS": "0",
        "role_grants-MAX_NUM_FORMS": "1000",
        "role_grants-0-role": "security_admin",
        "role_grants-1-role": "audit_admin",
    }

    response = client.post(f"/admin/accounts/user/{user.pk}/change/", form)

    assert response.status_code == 200
    assert (
        "三个不同的人" in response.content.decode()
        or "three different" in response.content.decode()
    )
    assert not RoleGrant.objects.filter(user=user).exists()
