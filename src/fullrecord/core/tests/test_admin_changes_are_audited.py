"""Administrators are logged like everyone else (issue 4)."""

import pytest

from fullrecord.audit.models import AuditEntry
from fullrecord.cases.models import Cause


@pytest.fixture
def admin_client(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", password="pw", full_name="root")
    client.force_login(admin)
    return client


def test_adding_a_cause_in_the_admin_is_recorded(admin_client):
    response = admin_client.post(
        "/admin/cases/cause/add/",
        {"code": "new-cause", "name": "新案由", "legal_basis": "", "active": "on", "order": 9},
    )
    assert response.status_code == 302
    cause = Cause.objects.get(code="new-cause")
    entry = AuditEntry.objects.get(action="admin.add", object_id=str(cause.pk))
    assert entry.actor.username == "root"


def test_deleting_a_cause_in_the_admin_is_recorded(admin_client):
    cause = Cause.objects.create(code="gone", name="将删除")
    admin_client.post(f"/admin/cases/cause/{cause.pk}/delete/", {"post": "yes"})
    assert AuditEntry.objects.filter(action="admin.delete", object_id=str(cause.pk)).exists()


def test_the_admin_cannot_change_or_delete_audit_entries(admin_client):
    from fullrecord.audit.services import record

    entry = record("test.event")
    assert admin_client.post(f"/admin/audit/auditentry/{entry.pk}/change/", {}).status_code == 403
    assert (
        admin_client.post(
            f"/admin/audit/auditentry/{entry.pk}/delete/", {"post": "yes"}
        ).status_code
        == 403
    )
