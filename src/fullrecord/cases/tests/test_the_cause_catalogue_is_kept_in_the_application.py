"""The cause catalogue (案由) is kept by the system administrator in the application's own
pages: added, renamed and retired (never deleted), each change recorded; a retired cause
is no longer offered for a new case."""

from __future__ import annotations

import pytest

from fullrecord.audit.models import AuditEntry
from fullrecord.cases import services
from fullrecord.cases.forms import CaseForm
from fullrecord.cases.models import Cause

pytestmark = pytest.mark.django_db


def test_the_administrator_adds_a_cause_on_the_page_and_it_is_recorded(client, bureau):
    client.force_login(bureau.admin)

    response = client.post(
        "/cases/causes/new/",
        {
            "code": "use-change-test",
            "name": "违法改变土地用途（测试）",
            "legal_basis": "矿产资源法第三十九条",
            "active": "on",
            "order": 5,
        },
    )

    assert response.status_code == 302
    cause = Cause.objects.get(code="use-change-test")
    entry = AuditEntry.objects.get(action="case.cause_created")
    assert entry.actor_id == bureau.admin.pk and entry.object_id == str(cause.pk)


def test_a_retired_cause_stays_but_is_no_longer_offered(client, bureau):
    cause = Cause.objects.create(code="old", name="旧案由")
    client.force_login(bureau.admin)

    client.post(f"/cases/causes/{cause.pk}/", {"code": "changed", "name": "旧案由", "order": 0})

    cause.refresh_from_db()
    assert not cause.active and cause.code == "old"  # the code stays as it was made
    assert AuditEntry.objects.filter(action="case.cause_changed").exists()
    form = CaseForm(user=bureau.officer)
    assert cause not in form.fields["cause"].queryset


def test_a_duplicate_name_is_refused_in_chinese(client, bureau):
    Cause.objects.create(code="a", name="重复的案由")
    client.force_login(bureau.admin)

    response = client.post("/cases/causes/new/", {"code": "b", "name": "重复的案由", "order": 0})

    assert response.status_code == 200
    assert "已存在" in response.content.decode()


@pytest.mark.parametrize("persona", ["security_admin", "audit_admin", "officer", "leader"])
def test_nobody_else_changes_the_catalogue(bureau, persona):
    with pytest.raises(services.CaseError):
        services.save_cause(None, actor=getattr(bureau, persona), code="x", name="某")
    assert not Cause.objects.filter(code="x").exists()
