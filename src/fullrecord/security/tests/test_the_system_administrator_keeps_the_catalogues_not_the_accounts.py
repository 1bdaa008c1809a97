"""The system administrator made by ``createadmins`` opens the admin for the units and the
catalogues (causes, time limits, document types …), and cannot touch accounts, roles or
the log: those are the security administrator's and the auditor's (三员分立)."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from fullrecord.accounts.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def sysadmin(client, capsys):
    call_command("createadmins")
    capsys.readouterr()
    user = User.objects.get(username="sysadmin")
    client.force_login(user)
    return user


@pytest.mark.parametrize(
    "page",
    [
        "/admin/",
        "/admin/cases/cause/add/",
        "/admin/cases/timelimitrule/",
        "/admin/accounts/orgunit/add/",
        "/admin/documents/documenttype/",
        "/admin/documents/paperitem/add/",
    ],
)
def test_the_catalogues_open(client, sysadmin, page):
    assert client.get(page).status_code == 200


@pytest.mark.parametrize(
    "page",
    [
        "/admin/accounts/user/",
        "/admin/accounts/user/add/",
        "/admin/audit/auditentry/",
        "/admin/cases/case/",
    ],
)
def test_accounts_roles_the_log_and_cases_stay_shut(client, sysadmin, page):
    assert client.get(page).status_code == 403


def test_a_cause_is_added_and_never_deleted(client, sysadmin):
    from fullrecord.cases.models import Cause

    response = client.post(
        "/admin/cases/cause/add/",
        {"code": "sys-cause", "name": "系统管理员添加的案由", "active": "on", "order": 9},
    )
    assert response.status_code == 302
    cause = Cause.objects.get(code="sys-cause")
    assert client.post(f"/admin/cases/cause/{cause.pk}/delete/", {"post": "yes"}).status_code == 403
