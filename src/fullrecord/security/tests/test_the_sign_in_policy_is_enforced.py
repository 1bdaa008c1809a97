"""等保 8.1.4.1: a second factor for the roles that need one, an idle timeout, expiring and
must-change passwords, complexity and history — each a refusal a user meets."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from fullrecord.accounts.choices import Role
from fullrecord.audit.models import AuditEntry
from fullrecord.security import services
from fullrecord.security.models import PasswordState, SM3TokenDevice
from fullrecord.security.otp import sm3_code, step_at

pytestmark = [pytest.mark.django_db, pytest.mark.signin_policy]
TWO_FACTOR = "/administration/me/two-factor/"
OWN_PASSWORD = "/administration/me/password/"


def sign_in(client, username, password="pw"):  # noqa: S107 — the personas' test password
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_the_leader_cannot_reach_a_page_on_a_password_alone(client, bureau):
    sign_in(client, "leader")

    response = client.get("/cases/")

    assert response.status_code == 302 and response["Location"] == TWO_FACTOR


def test_an_officer_is_not_asked_for_a_code_unless_the_policy_says_so(client, bureau):
    sign_in(client, "officer")
    assert client.get("/cases/").status_code == 200

    services.set_policy(actor=bureau.security_admin, two_factor_everyone=True)

    assert client.get("/cases/")["Location"] == TWO_FACTOR


def test_enrolment_with_a_phone_app_then_a_code_at_each_sign_in(client, bureau):
    sign_in(client, "leader")
    page = client.get(TWO_FACTOR).content.decode()
    assert "<svg" in page  # the QR code
    device = TOTPDevice.objects.get(user=bureau.leader, confirmed=False)

    wrong = client.post(TWO_FACTOR, {"token": "000000" if totp(device.bin_key) else "111111"})
    assert wrong.status_code == 200
    assert AuditEntry.objects.filter(action="security.refused", actor=bureau.leader).exists()
    # A wrong code holds the device back a moment (django-otp's throttle): try after it.
    with time_machine.travel(timezone.now() + timedelta(seconds=5), tick=False):
        throttled_ok = client.post(TWO_FACTOR, {"token": f"{totp(device.bin_key):06d}"})

    assert throttled_ok.status_code == 200
    assert 'data-testid="recovery-codes"' in throttled_ok.content.decode()
    assert client.get("/cases/").status_code == 200
    assert AuditEntry.objects.filter(action="security.otp_enrolled").count() == 1
    client.post("/accounts/logout/")
    sign_in(client, "leader")
    assert client.get("/cases/")["Location"] == TWO_FACTOR
    with time_machine.travel(timezone.now() + timedelta(seconds=65), tick=False):
        assert client.post(TWO_FACTOR, {"token": f"{totp(device.bin_key):06d}"}).status_code == 302
        assert client.get("/cases/").status_code == 200


def test_an_sm3_token_signs_in_the_same_way(client, bureau):
    seed = bytes(range(16))
    SM3TokenDevice.objects.create(user=bureau.leader, name="令牌", key=seed.hex(), confirmed=True)
    sign_in(client, "leader")

    code = sm3_code(seed, step_at(timezone.now().timestamp(), 60))
    response = client.post(TWO_FACTOR, {"token": f"{code:06d}"})

    assert response.status_code == 302
    assert client.get("/cases/").status_code == 200
    # the same code twice is refused (replay)
    client.post("/accounts/logout/")
    sign_in(client, "leader")
    assert client.post(TWO_FACTOR, {"token": f"{code:06d}"}).status_code == 200


def test_an_idle_session_is_signed_out_and_that_is_recorded(client, bureau):
    sign_in(client, "officer")
    assert client.get("/cases/").status_code == 200

    with time_machine.travel(timezone.now() + timedelta(minutes=31), tick=False):
        response = client.get("/cases/")

    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert AuditEntry.objects.filter(action="security.idle_signout", actor=bureau.officer).exists()


def test_an_expired_password_must_be_changed_first(client, bureau):
    PasswordState.objects.update_or_create(
        user=bureau.officer, defaults={"changed_at": timezone.now() - timedelta(days=91)}
    )
    sign_in(client, "officer")

    assert client.get("/cases/")["Location"] == OWN_PASSWORD
    response = client.post(
        OWN_PASSWORD,
        {
            "old_password": "pw",
            "new_password": "Qinghe#2026land",
            "new_password2": "Qinghe#2026land",
        },
    )
    assert response.status_code == 302
    assert client.get("/cases/").status_code == 200


def test_a_reset_password_must_be_changed_at_the_next_sign_in(client, bureau):
    temporary = services.reset_password(bureau.officer, actor=bureau.security_admin)
    sign_in(client, "officer", temporary)

    assert client.get("/cases/")["Location"] == OWN_PASSWORD
    assert AuditEntry.objects.filter(action="security.password_reset").exists()


def test_a_simple_or_reused_password_is_refused(bureau):
    with translation.override("en"):
        services.change_own_password(bureau.officer, "pw", "Qinghe#2026land")

        with pytest.raises(ValidationError, match="kinds of character|at least"):
            services.change_own_password(bureau.officer, "Qinghe#2026land", "qinghe2026")
        with pytest.raises(ValidationError, match="used before"):
            services.change_own_password(bureau.officer, "Qinghe#2026land", "Qinghe#2026land")
        services.change_own_password(bureau.officer, "Qinghe#2026land", "Another#2026pass")
        with pytest.raises(ValidationError, match="used before"):
            services.change_own_password(bureau.officer, "Another#2026pass", "Qinghe#2026land")
        assert (
            AuditEntry.objects.filter(action="security.refused", actor=bureau.officer).count() == 3
        )


def test_an_api_token_follows_its_user_s_policy(api_client, bureau):
    from fullrecord.accounts.services import issue_api_token

    key = issue_api_token(bureau.leader)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api_client.get("/api/me/").status_code == 401  # no second factor enrolled

    SM3TokenDevice.objects.create(user=bureau.leader, name="令牌", key="ab" * 16, confirmed=True)
    assert api_client.get("/api/me/").status_code == 200

    PasswordState.objects.update_or_create(user=bureau.leader, defaults={"must_change": True})
    assert api_client.get("/api/me/").status_code == 401


def test_the_security_admin_changes_the_policy_and_it_is_recorded(bureau):
    services.set_policy(actor=bureau.security_admin, idle_timeout_minutes=15)

    entry = AuditEntry.objects.get(action="security.policy_changed")
    assert entry.data["changed"] == {"idle_timeout_minutes": {"from": 30, "to": 15}}
    with pytest.raises(ValidationError):
        services.set_policy(actor=bureau.security_admin, password_min_length=4)
    assert Role.LEADER in services.SecurityPolicy.current().two_factor_roles
