"""The system administrator (系统管理员) keeps accounts and units in the application's own
pages: each change through the service, recorded in the same transaction; a new account's
temporary password must be changed at the first sign-in; nothing is deleted."""

from __future__ import annotations

import pytest

from fullrecord.accounts import services
from fullrecord.accounts.choices import OrgUnitKind
from fullrecord.accounts.models import OrgUnit, User
from fullrecord.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def entries(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action))


def test_a_new_account_gets_a_temporary_password_to_change_at_first_sign_in(bureau):
    from fullrecord.security.services import password_expired

    user, password = services.create_account(
        actor=bureau.admin,
        username="zhangsan",
        full_name="张三",
        org_unit=bureau.section1,
        email="zs@example.cn",
        phone="13800000000",
        certificate_number="",
    )

    assert user.check_password(password)
    assert password_expired(user)
    assert not user.roles and not user.is_staff
    [entry] = entries("account.created")
    assert entry.actor_id == bureau.admin.pk
    assert password not in str(entry.data) and password not in entry.summary


def test_the_page_shows_the_temporary_password_once(client, bureau):
    client.force_login(bureau.admin)
    response = client.post(
        "/accounts/manage/users/new/",
        {
            "username": "lisi",
            "full_name": "李四",
            "org_unit": bureau.section2.pk,
            "email": "",
            "phone": "",
            "certificate_number": "",
        },
    )

    assert response.status_code == 200
    password = response.context["password"]
    assert password in response.content.decode()
    assert "no-store" in response.headers["Cache-Control"]
    assert User.objects.get(username="lisi").check_password(password)


@pytest.mark.signin_policy
def test_the_new_account_must_change_the_password_at_the_first_sign_in(client, bureau):
    _user, password = services.create_account(
        actor=bureau.admin, username="lisi", full_name="李四", org_unit=bureau.section2
    )

    assert (
        client.post("/accounts/login/", {"username": "lisi", "password": password}).status_code
        == 302
    )
    assert client.get("/cases/")["Location"] == "/administration/me/password/"


def test_a_refused_form_keeps_what_was_typed_and_says_why_in_chinese(client, bureau):
    client.force_login(bureau.admin)

    response = client.post(
        "/accounts/manage/users/new/",
        {"username": "officer", "full_name": "重名", "org_unit": bureau.section1.pk},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "已存在" in page and 'value="重名"' in page
    assert not User.objects.filter(full_name="重名").exists()


def test_an_edit_records_before_and_after(bureau):
    changed = services.update_account(
        bureau.officer2, actor=bureau.admin, full_name="王五", org_unit=bureau.section2
    )

    assert changed["full_name"] == {"from": "officer2", "to": "王五"}
    [entry] = entries("account.changed")
    assert entry.data["changed"]["org_unit"] == {"from": "执法一科", "to": "执法二科"}


def test_a_deactivated_account_cannot_sign_in_and_keeps_its_records(client, bureau):
    services.set_account_active(bureau.officer2, False, actor=bureau.admin, reason="调离")

    user = User.objects.get(pk=bureau.officer2.pk)
    assert not user.is_active
    assert entries("account.deactivated")[0].data == {"reason": "调离"}
    assert client.login(username="officer2", password="pw") is False

    services.set_account_active(user, True, actor=bureau.admin)
    assert User.objects.get(pk=user.pk).is_active


def test_deactivating_needs_a_reason_and_spares_oneself_and_the_other_administrators(bureau):
    for person, reason in [
        (bureau.officer2, ""),
        (bureau.admin, "自己"),
        (bureau.security_admin, "停用"),
        (bureau.audit_admin, "停用"),
    ]:
        with pytest.raises(services.AccountError):
            services.set_account_active(person, False, actor=bureau.admin, reason=reason)
        assert User.objects.get(pk=person.pk).is_active


def test_a_unit_is_made_in_the_tree_and_closed_only_when_empty(bureau):
    team = services.create_unit(
        actor=bureau.admin,
        name="执法三科",
        kind=OrgUnitKind.SECTION,
        parent=bureau.county,
        code="QH3",
    )

    assert team.path == f"{bureau.county.path}{team.pk}/"
    assert entries("account.unit_created")
    with pytest.raises(services.AccountError):
        services.set_unit_active(bureau.section1, False, actor=bureau.admin)  # people in it
    with pytest.raises(services.AccountError):
        services.set_unit_active(bureau.county, False, actor=bureau.admin)  # units below

    services.set_unit_active(team, False, actor=bureau.admin)

    assert not OrgUnit.objects.get(pk=team.pk).active
    assert entries("account.unit_closed")
    with pytest.raises(services.AccountError):
        services.create_account(actor=bureau.admin, username="x", full_name="某", org_unit=team)


def test_a_unit_cannot_be_moved_under_itself(bureau):
    with pytest.raises(services.AccountError):
        services.update_unit(bureau.county, actor=bureau.admin, parent=bureau.section1)

    assert OrgUnit.objects.get(pk=bureau.county.pk).parent_id == bureau.city.pk


def test_moving_a_unit_moves_its_subtree(bureau):
    services.update_unit(bureau.county, actor=bureau.admin, parent=bureau.other_county)

    section = OrgUnit.objects.get(pk=bureau.section1.pk)
    assert section.path.startswith(OrgUnit.objects.get(pk=bureau.other_county.pk).path)


@pytest.mark.parametrize("persona", ["security_admin", "audit_admin", "officer", "head"])
def test_nobody_else_changes_accounts_or_units_through_the_services(bureau, persona):
    actor = getattr(bureau, persona)
    with pytest.raises(services.AccountError):
        services.create_account(actor=actor, username="x", full_name="某", org_unit=bureau.section1)
    with pytest.raises(services.AccountError):
        services.update_unit(bureau.section1, actor=actor, name="改名")
    assert not AuditEntry.objects.filter(action__startswith="account.").exists()


def test_the_account_list_takes_as_many_queries_for_many_rows_as_for_few(
    client, bureau, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(bureau.admin)
    with CaptureQueriesContext(connection) as few:
        client.get("/accounts/manage/users/")
    for n in range(20):
        services.create_account(
            actor=bureau.admin, username=f"extra{n}", full_name=f"新人{n}", org_unit=bureau.section1
        )
    with django_assert_max_num_queries(len(few)):
        response = client.get("/accounts/manage/users/")
    assert "新人19" in response.content.decode()


def test_a_closed_unit_takes_no_new_case(bureau):
    from fullrecord.cases.forms import CaseForm

    team = services.create_unit(
        actor=bureau.admin,
        name="执法四科",
        kind=OrgUnitKind.SECTION,
        parent=bureau.county,
        code="QH4",
    )
    assert team in CaseForm(user=bureau.leader).fields["org_unit"].queryset
    services.set_unit_active(team, False, actor=bureau.admin)

    assert team not in CaseForm(user=bureau.leader).fields["org_unit"].queryset
