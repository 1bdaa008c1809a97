"""A guesser's failures lock the victim's username from the guesser's address only; the
victim signs in from their own. A lock ends the victim's open sessions and stops their
tokens for the lock's duration (the guesser may have the password by then); a lock set
at the admin's sign-in page counts the same, and lifting a lock is recorded."""

from __future__ import annotations

from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.test import Client

from fullrecord.accounts import signin
from fullrecord.accounts.models import SignedInSession
from fullrecord.accounts.services import issue_api_token
from fullrecord.audit.models import AuditEntry

ATTACKER = "10.66.0.1"
VICTIM = "10.1.0.7"


def make_staff(user) -> None:
    user.is_staff = user.is_superuser = True
    user.save()


def sign_in(client, username="officer", password="pw"):  # noqa: S107 (the personas' password)
    return client.post("/accounts/login/", {"username": username, "password": password})


def guess(username="officer", times=5, address=ATTACKER, **extra):
    attacker = Client(REMOTE_ADDR=address, **extra)
    for _ in range(times):
        sign_in(attacker, username, "wrong")
    return attacker


def test_the_victim_signs_in_from_their_address_after_five_failures_from_the_attackers(bureau):
    attacker = guess()

    assert sign_in(Client(REMOTE_ADDR=VICTIM)).status_code == 302
    assert sign_in(attacker).status_code == 200  # the attacker's address stays refused
    assert AuditEntry.objects.get(action="account.locked").data["ip"] == ATTACKER


def test_a_changing_user_agent_does_not_reset_the_count(bureau):
    for number in range(5):
        sign_in(Client(REMOTE_ADDR=ATTACKER, HTTP_USER_AGENT=f"agent/{number}"), "officer", "x")

    assert AuditEntry.objects.filter(action="account.locked").count() == 1
    assert sign_in(Client(REMOTE_ADDR=ATTACKER)).status_code == 200


def test_an_address_guessing_many_usernames_is_stopped_as_a_whole(bureau, settings):
    settings.FULLRECORD_LOGIN_MAX_FAILURES_PER_ADDRESS = 4
    for name in ["officer", "officer2", "head", "ghost"]:
        sign_in(Client(REMOTE_ADDR=ATTACKER), name, "wrong")

    refused = sign_in(Client(REMOTE_ADDR=ATTACKER), "legal", "pw")

    assert refused.status_code == 200
    assert "登录失败次数过多" in refused.content.decode()
    assert AuditEntry.objects.filter(action="account.address_locked").exists()
    assert not AuditEntry.objects.filter(action="account.locked").exists()
    assert sign_in(Client(REMOTE_ADDR=VICTIM), "legal", "pw").status_code == 302


def test_the_address_behind_the_proxy_is_the_one_it_appended(bureau, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    for _ in range(5):
        Client(REMOTE_ADDR="10.0.0.2").post(
            "/accounts/login/",
            {"username": "officer", "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"{VICTIM}, {ATTACKER}",  # the first hop is the client's claim
        )

    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}


def test_a_lock_ends_the_victims_open_sessions(bureau):
    victim = Client(REMOTE_ADDR=VICTIM)
    assert sign_in(victim).status_code == 302
    assert victim.get("/accounts/profile/").status_code == 200
    session_key = victim.session.session_key

    guess()

    assert not Session.objects.filter(session_key=session_key).exists()
    assert not SignedInSession.objects.filter(user=bureau.officer).exists()
    assert victim.get("/accounts/profile/").status_code == 302
    assert AuditEntry.objects.get(action="account.sessions_ended").data["sessions"] == 1


def test_a_token_replayed_anonymously_after_the_lock_is_refused(bureau, api_client):
    key = issue_api_token(bureau.officer)

    guess()

    assert api_client.get("/api/me/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401
    assert signin.is_locked(bureau.officer)


def test_failures_at_the_admin_sign_in_lock_and_end_sessions_too(bureau):
    make_staff(bureau.admin)
    victim = Client(REMOTE_ADDR=VICTIM)
    sign_in(victim, "admin")
    attacker = Client(REMOTE_ADDR=ATTACKER)
    for _ in range(5):
        attacker.post("/admin/login/", {"username": "admin", "password": "wrong"})

    assert AuditEntry.objects.filter(action="account.locked").exists()
    assert victim.get("/accounts/profile/").status_code == 302


def test_unlocking_from_the_admin_is_recorded(bureau):
    make_staff(bureau.admin)
    guess()
    admin = Client()
    admin.force_login(bureau.admin)
    row = AccessAttempt.objects.get(username="officer")

    admin.post(
        "/admin/axes/accessattempt/",
        {"action": "unlock", "_selected_action": [row.pk]},
    )

    entry = AuditEntry.objects.get(action="account.unlocked")
    assert entry.actor_id == bureau.admin.pk
    assert not signin.is_locked(bureau.officer)
    assert sign_in(Client(REMOTE_ADDR=ATTACKER)).status_code == 302


def test_a_token_replayed_on_the_upload_endpoint_after_the_lock_is_refused(bureau):
    key = issue_api_token(bureau.officer)
    headers = {"Authorization": f"Token {key}", "Tus-Resumable": "1.0.0", "Upload-Length": "10"}
    assert Client().generic("POST", "/api/uploads/", headers=headers).status_code == 201

    guess()

    assert Client().generic("POST", "/api/uploads/", headers=headers).status_code == 401


def test_the_session_index_forgets_sessions_that_are_gone(bureau):
    first = Client(REMOTE_ADDR=VICTIM)
    sign_in(first)
    Session.objects.filter(session_key=first.session.session_key).delete()  # clearsessions

    second = Client(REMOTE_ADDR=VICTIM)
    sign_in(second)

    assert list(SignedInSession.objects.values_list("session_key", flat=True)) == [
        second.session.session_key
    ]


def test_a_lock_typed_in_capitals_still_ends_the_owners_sessions(bureau):
    victim = Client(REMOTE_ADDR=VICTIM)
    sign_in(victim)

    guess("OFFICER")

    assert victim.get("/accounts/profile/").status_code == 302
    assert signin.is_locked(bureau.officer)
