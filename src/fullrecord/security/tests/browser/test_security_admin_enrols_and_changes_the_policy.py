"""Journeys: the security administrator signs in with a password, enrols a one-time-code
device from the QR page, and changes the sign-in policy; an officer shows a masked ID
number in full on the case page."""

from __future__ import annotations

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from fullrecord.audit.models import AuditEntry
from fullrecord.core.testing.browser import PASSWORD, zh
from fullrecord.core.testing.factories import AssignmentFactory, CaseFactory, PartyFactory
from fullrecord.security.models import SecurityPolicy

pytestmark = [pytest.mark.browser, pytest.mark.signin_policy]


def password_sign_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").click()


def test_sign_in_with_enrolment_then_the_policy_is_changed(page, bureau):
    password_sign_in(page, "security_admin")
    page.wait_for_url("**/administration/me/two-factor/")
    expect(page.get_by_test_id("qr").locator("svg")).to_be_visible()

    secret = page.get_by_test_id("otp-secret").inner_text().strip()
    page.locator("#id_token").fill(f"{totp(bytes.fromhex(secret)):06d}")
    page.get_by_test_id("otp-form").locator("button").click()
    expect(page.get_by_test_id("recovery-codes").locator("li")).to_have_count(10)

    page.goto("/administration/policy/")
    page.locator("#id_idle_timeout_minutes").fill("20")
    page.get_by_test_id("policy-form").locator("button").click()
    expect(page.locator(".messages")).to_contain_text(zh("Security policy saved."))

    assert SecurityPolicy.current().idle_timeout_minutes == 20
    assert AuditEntry.objects.filter(
        action="security.policy_changed", actor=bureau.security_admin
    ).exists()
    assert AuditEntry.objects.filter(action="security.otp_enrolled").exists()


def test_an_officer_shows_a_masked_id_number_in_full(page, bureau):
    case = CaseFactory(org_unit=bureau.section1, created_by=bureau.officer)
    AssignmentFactory(case=case, officer=bureau.officer)
    PartyFactory(case=case, id_number="110101199003074258")

    password_sign_in(page, "officer")
    page.wait_for_url("**/dashboard/")
    page.goto(case.get_absolute_url())
    expect(page.get_by_test_id("party-id_number")).to_have_text("110***********4258")
    page.get_by_test_id("reveal-id_number").click()

    expect(page.get_by_test_id("party-id_number")).to_have_text("110101199003074258")
    assert AuditEntry.objects.filter(action="security.personal_data_shown").count() == 1
