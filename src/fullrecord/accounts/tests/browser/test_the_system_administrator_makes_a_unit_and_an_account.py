"""Journey, at desktop and phone size: the system administrator opens 系统管理 from the
menu, makes a section and an account in it, and reads the temporary password once; the
new person signs in with it and is made to change it before anything else. Every page
on the way is checked as the role tour checks pages (Chinese only, no sideways scroll)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from fullrecord.accounts.models import OrgUnit, User
from fullrecord.audit.models import AuditEntry
from fullrecord.core.testing.browser import DESKTOP, PHONE, new_page, sign_in, zh
from fullrecord.core.tests.browser.test_role_tour import _look
from fullrecord.security import services as security

pytestmark = [pytest.mark.browser, pytest.mark.signin_policy]
SIZES = {"desktop": DESKTOP, "phone": PHONE}
NEW_PASSWORD = "Qinghe#2026land"  # noqa: S105 - typed by the new person in the journey


def open_menu(page) -> None:
    """On a phone the menu folds behind ☰."""
    toggle = page.locator("label.nav-toggle-label")
    if toggle.is_visible():
        toggle.click()


@pytest.mark.parametrize("size", SIZES)
def test_the_administrator_makes_a_unit_and_an_account_that_must_change_its_password(
    browser, site, bureau, size
):
    # This journey is about accounts, not second factors: the policy asks the leader only.
    security.set_policy(actor=bureau.security_admin, two_factor_roles=["leader"])
    usernames = frozenset(User.objects.values_list("username", flat=True)) | {"zhaoliu"}
    page, errors = new_page(browser, site, SIZES[size])

    sign_in(page, "admin")
    open_menu(page)
    page.get_by_test_id("nav-manage").click()
    page.wait_for_url("**/accounts/manage/")
    _look(page, "admin-manage", size, usernames)

    page.get_by_test_id("manage-nav").get_by_role("link", name="组织机构").click()
    page.wait_for_url("**/accounts/manage/units/")
    page.get_by_test_id("new-unit").click()
    page.wait_for_url("**/accounts/manage/units/new/")
    page.locator("#id_name").fill("执法三科")
    page.locator("#id_kind").select_option(label="科室")
    page.locator("#id_parent").select_option(label="　清河县局")
    page.locator("#id_code").fill("QH3")
    _look(page, "admin-new-unit", size, usernames)
    page.get_by_test_id("unit-form").locator("button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("已新建单位 执法三科")
    expect(page.get_by_test_id("units")).to_contain_text("执法三科")
    _look(page, "admin-units", size, usernames)
    unit = OrgUnit.objects.get(code="QH3")
    assert unit.parent_id == bureau.county.pk

    page.get_by_test_id("manage-nav").get_by_role("link", name="账号").click()
    page.wait_for_url("**/accounts/manage/users/")
    _look(page, "admin-accounts", size, usernames)
    page.get_by_test_id("new-account").click()
    page.wait_for_url("**/accounts/manage/users/new/")
    page.locator("#id_username").fill("zhaoliu")
    page.locator("#id_full_name").fill("赵六")
    page.locator("#id_org_unit").select_option(label="　　执法三科")
    page.locator("#id_phone").fill("13900000000")
    page.get_by_test_id("account-form").locator("button[type=submit]").click()
    expect(page.get_by_test_id("account-created")).to_contain_text("赵六")
    password = page.get_by_test_id("temporary-password").inner_text().strip()
    _look(page, "admin-account-created", size, usernames)
    assert AuditEntry.objects.filter(action="account.created", actor=bureau.admin).exists()
    assert AuditEntry.objects.filter(action="account.unit_created", actor=bureau.admin).exists()

    # The other pages of 系统管理 read in Chinese too.
    for url, name in [
        (f"/accounts/manage/users/{User.objects.get(username='zhaoliu').pk}/", "account"),
        (f"/accounts/manage/units/{unit.pk}/", "unit"),
        ("/cases/causes/", "causes"),
        ("/cases/causes/new/", "new-cause"),
        ("/documents/catalogue/", "document-types"),
    ]:
        page.goto(url)
        _look(page, f"admin-{name}", size, usernames)

    # The new person, on the same device after the administrator signed out.
    open_menu(page)
    page.locator("form.inline button.link").click()
    page.goto("/accounts/login/")
    page.locator("#id_username").fill("zhaoliu")
    page.locator("#id_password").fill(password)
    page.locator("form button[type=submit]").click()
    page.wait_for_url("**/administration/me/password/")
    page.goto("/cases/")
    page.wait_for_url("**/administration/me/password/")  # nothing else before the change
    page.locator("#id_old_password").fill(password)
    page.locator("#id_new_password").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill(NEW_PASSWORD)
    page.get_by_test_id("own-password").locator("button").click()
    page.wait_for_url("**/dashboard/")
    expect(page.locator(".messages")).to_contain_text(zh("Your password was changed."))

    person = User.objects.get(username="zhaoliu")
    assert person.org_unit_id == unit.pk and person.check_password(NEW_PASSWORD)
    page.context.close()
    assert not errors, f"the browser reported errors: {errors}"
