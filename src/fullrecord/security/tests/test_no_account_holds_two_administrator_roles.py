"""三员分立: the system, security and audit administrators are three people, whatever path
grants the role; a refused grant is recorded."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from fullrecord.accounts.choices import Role
from fullrecord.accounts.models import RoleGrant, User
from fullrecord.audit.models import AuditEntry
from fullrecord.security import services
from fullrecord.security.guards import RoleConflict, SuperuserRefused

pytestmark = pytest.mark.django_db


def test_the_security_admin_cannot_make_the_system_admin_an_auditor_too(bureau):
    with translation.override("en"), pytest.raises(services.SecurityError, match="three different"):
        services.grant_role(bureau.admin, Role.AUDIT_ADMIN, actor=bureau.security_admin)

    assert not bureau.admin.role_grants.filter(role=Role.AUDIT_ADMIN).exists()
    refusal = AuditEntry.objects.get(action="security.refused")
    assert refusal.actor == bureau.security_admin
    assert refusal.data["attempted"] == "security.role_granted"


def test_no_path_below_the_service_can_combine_them_either(bureau):
    with pytest.raises(RoleConflict):
        RoleGrant.objects.create(user=bureau.security_admin, role=Role.ADMIN)


def test_an_ordinary_role_beside_an_administrator_role_is_allowed(bureau):
    services.grant_role(bureau.admin, Role.ARCHIVIST, actor=bureau.security_admin)

    assert bureau.admin.role_grants.filter(role=Role.ARCHIVIST).exists()
    assert AuditEntry.objects.filter(action="security.role_granted").count() == 1


def test_the_audit_admin_grants_nothing_and_the_attempt_is_recorded(bureau):
    with pytest.raises(services.SecurityError):
        services.grant_role(bureau.nobody, Role.LEADER, actor=bureau.audit_admin)

    assert not bureau.nobody.role_grants.exists()
    assert AuditEntry.objects.filter(action="security.refused", actor=bureau.audit_admin).exists()


def test_the_audit_admin_posting_the_policy_page_is_refused_and_recorded(bureau, client):
    client.force_login(bureau.audit_admin)

    response = client.post("/administration/policy/", {"idle_timeout_minutes": "5"})

    assert response.status_code == 403
    assert "审计日志" in response.content.decode() or "audit log" in response.content.decode()
    entry = AuditEntry.objects.get(action="security.refused")
    assert entry.actor == bureau.audit_admin
    assert entry.data["attempted"] == "security.policy_changed"


def test_createsuperuser_is_refused():
    with pytest.raises(CommandError, match="createadmins"):
        call_command("createsuperuser", "--noinput", "--username", "root")

    assert not User.objects.filter(username="root").exists()


def test_createadmins_makes_three_accounts_with_one_role_each_to_change_at_first_sign_in(capsys):
    call_command("createadmins")

    out = capsys.readouterr().out
    for username, role in (
        ("sysadmin", Role.ADMIN),
        ("secadmin", Role.SECURITY_ADMIN),
        ("auditadmin", Role.AUDIT_ADMIN),
    ):
        user = User.objects.get(username=username)
        assert user.roles == {role}
        assert not user.is_superuser
        assert user.password_state.must_change
        assert username in out
    assert AuditEntry.objects.filter(action="security.admins_created").exists()


def test_createadmins_refuses_one_name_for_two_roles():
    with pytest.raises(CommandError, match="three different"):
        call_command("createadmins", "--system", "same", "--security", "same")


def test_a_superuser_cannot_be_saved_in_production(settings, bureau):
    settings.FULLRECORD_PRODUCTION = True
    bureau.admin.is_superuser = True

    with pytest.raises(SuperuserRefused):
        bureau.admin.save()


def test_the_audit_admin_reads_every_entry_including_the_other_administrators(bureau):
    from fullrecord.audit.access import visible_entries

    services.grant_role(bureau.nobody, Role.ARCHIVIST, actor=bureau.security_admin)

    assert visible_entries(bureau.audit_admin).filter(actor=bureau.security_admin).exists()
    assert not visible_entries(bureau.officer).filter(actor=bureau.security_admin).exists()
