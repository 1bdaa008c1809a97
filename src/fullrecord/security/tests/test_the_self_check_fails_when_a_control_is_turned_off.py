"""``fullrecord compliance``: each control passes when its setting is on and fails when it
is turned off (or says "not applicable" with a reason); none is fixed either way."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django_otp.plugins.otp_totp.models import TOTPDevice

from fullrecord.accounts.choices import Role
from fullrecord.accounts.models import RoleGrant
from fullrecord.audit import guards
from fullrecord.audit.services import record, sign_tree_head
from fullrecord.core.testing.factories import PartyFactory
from fullrecord.media.tests.evidence import ingest_bytes
from fullrecord.security import compliance, digests, keys, services
from fullrecord.security.models import SecurityPolicy, SM3TokenDevice

pytestmark = pytest.mark.django_db


def result(code: str) -> tuple[str, str]:
    [item] = [r for r in compliance.run() if r.control.code == code]
    return item.result, item.evidence


def test_every_control_names_its_standard_clause_and_test():
    codes = [c.code for c in compliance.CONTROLS]
    assert len(codes) == len(set(codes)) >= 11
    for item in compliance.CONTROLS:
        assert item.standard in ("GB/T 22239-2019", "GB/T 39786-2021")
        assert item.clause and item.title and item.test.endswith(".py")


def test_password_policy(bureau):
    assert result("EP-1")[0] == "pass"
    SecurityPolicy.objects.update_or_create(pk=1, defaults={"password_max_age_days": 0})
    assert result("EP-1")[0] == "fail"


def test_failures_and_idle_timeout(bureau, settings):
    assert result("EP-2")[0] == "pass"
    settings.FULLRECORD_LOGIN_MAX_FAILURES = 50
    assert result("EP-2")[0] == "fail"


def test_https_only(settings):
    settings.SECURE_SSL_REDIRECT = settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_HSTS_SECONDS = 31536000
    assert result("EP-3")[0] == "pass"
    settings.SECURE_HSTS_SECONDS = 0
    assert result("EP-3")[0] == "fail"


def test_two_factors_for_administrators(bureau):
    assert result("EP-4")[0] == "pass"
    services.set_policy(actor=bureau.security_admin, two_factor_roles=[Role.ADMIN])
    status, evidence = result("EP-4")
    assert status == "fail" and str(Role.AUDIT_ADMIN.label) in evidence


def test_three_separate_administrators(bureau):
    assert result("EP-5")[0] == "pass"
    bureau.admin.is_superuser = True
    bureau.admin.save()
    status, evidence = result("EP-5")
    assert status == "fail" and "admin" in evidence
    bureau.admin.is_superuser = False
    bureau.admin.save()
    RoleGrant.objects.filter(role=Role.AUDIT_ADMIN).delete()
    assert result("EP-5")[0] == "fail"


def test_audit_log_protected_and_sent_off_the_machine(settings, tmp_path):
    settings.FULLRECORD_AUDIT_HEAD_SINKS = [f"dir:{tmp_path}"]
    assert result("EP-6")[0] == "pass"
    settings.FULLRECORD_AUDIT_HEAD_SINKS = []
    assert result("EP-6")[0] == "fail"
    settings.FULLRECORD_AUDIT_HEAD_SINKS = [f"dir:{tmp_path}"]
    guards.uninstall(connection)
    try:
        assert result("EP-6")[0] == "fail"
    finally:
        guards.install(connection)


def test_personal_data_sealed(bureau):
    assert result("EP-7")[0] == "n/a"
    party = PartyFactory()
    assert result("EP-7")[0] == "pass"
    with connection.cursor() as cursor:
        cursor.execute("UPDATE cases_party SET id_number = %s WHERE id = %s", ["1101", party.pk])
    assert result("EP-7")[0] == "fail"


def test_identity_authentication_with_sm_algorithms(bureau):
    policy = {"two_factor_roles": [], "two_factor_everyone": False}
    SecurityPolicy.objects.update_or_create(pk=1, defaults=policy)
    assert result("CM-1")[0] == "n/a"
    SecurityPolicy.objects.filter(pk=1).update(two_factor_roles=[Role.SECURITY_ADMIN])
    TOTPDevice.objects.create(user=bureau.security_admin, name="phone", confirmed=True)
    status, evidence = result("CM-1")
    assert status == "fail" and "HMAC-SHA1" in evidence and "security_admin" in evidence
    SM3TokenDevice.objects.create(
        user=bureau.security_admin, name="令牌", key="ab" * 16, confirmed=True
    )
    assert result("CM-1")[0] == "pass"


@pytest.mark.usefixtures("empty_store")
def test_sm3_digests_of_originals(bureau):
    assert result("CM-2")[0] == "n/a"
    item = ingest_bytes(bureau.officer, b"footage", "a.mp4").item
    assert result("CM-2")[0] == "fail"  # the worker has not run yet
    digests.compute(item.sha256)
    assert result("CM-2")[0] == "pass"


def test_sm2_signed_heads(bureau):
    assert result("CM-3")[0] == "n/a"
    record("test.event")
    sign_tree_head()
    assert result("CM-3")[0] == "pass"
    with connection.cursor() as cursor:
        cursor.execute("UPDATE security_sm2treehead SET signature = %s", ["2" * 128])
    assert result("CM-3")[0] == "fail"


def test_keys_outside_the_data_directory(settings, tmp_path):
    assert result("CM-4")[0] == "fail"  # the test data dir holds generated keys
    for setting, name in (("FULLRECORD_DATA_KEY_FILE", "data"), ("FULLRECORD_SM2_KEY_FILE", "sm2")):
        path = tmp_path / name
        path.write_text("cd" * 32)
        setattr(settings, setting, str(path))
    keys.forget()
    try:
        assert result("CM-4")[0] == "pass"
    finally:
        keys.forget()


def test_the_command_prints_a_result_per_control_and_can_fail_the_build(bureau, capsys):
    call_command("compliance")
    out = capsys.readouterr().out
    assert "PASS  EP-1" in out and "FAIL  CM-4" in out

    with pytest.raises(CommandError, match="fail"):
        call_command("compliance", "--fail-on-fail")


def test_the_page_shows_a_result_column_to_both_administrators_only(bureau, client):
    client.force_login(bureau.audit_admin)
    page = client.get("/administration/compliance/").content.decode()
    assert 'data-testid="result-CM-4"' in page
    client.force_login(bureau.leader)
    assert client.get("/administration/compliance/").status_code == 404
