"""Upgrading in place: the API tokens DRF kept in plain text keep working after the
upgrade, now stored as knox digests, and the plaintext table is gone with its keys;
sessions open at the upgrade are indexed, so a lock ends them too."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from knox.crypto import hash_token
from knox.models import AuthToken
from rest_framework.test import APIClient

from fullrecord.accounts.models import SignedInSession
from fullrecord.core.testing.factories import UserFactory

pytestmark = pytest.mark.usefixtures("every_app_migrated_afterwards")

BEFORE = ("accounts", "0002_login_throttle")
AFTER = ("accounts", "0003_hashed_tokens_and_axes_lockout")
OLD_KEY = "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b"  # DRF's format: 40 hex characters


def migrate(target) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])
    if target == AFTER:
        # Going back to BEFORE also took out the migrations of other apps that depend
        # on AFTER; put them back, so later tests find every table.
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


def make_drf_token_table(user_id: int) -> None:
    """What ``rest_framework.authtoken`` left in an existing database."""
    with connection.schema_editor() as editor:
        editor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, "
            "created timestamp with time zone NOT NULL, user_id bigint NOT NULL UNIQUE)"
            if connection.vendor == "postgresql"
            else "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, "
            "created datetime NOT NULL, user_id bigint NOT NULL UNIQUE)"
        )
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO authtoken_token (key, created, user_id) VALUES (%s, %s, %s)",
            [OLD_KEY, "2026-01-05 08:00:00+00:00", user_id],
        )
        for name in ("0001_initial", "0004_alter_tokenproxy_options"):
            cursor.execute(
                "INSERT INTO django_migrations (app, name, applied) VALUES (%s, %s, %s)",
                ["authtoken", name, "2026-01-05 08:00:00+00:00"],
            )


def _open_session(user, auth_hash: str, backend: str | None = None) -> str:
    """What a sign-in before the upgrade left: a session row and no index row."""
    session = SessionStore()
    session.update({SESSION_KEY: str(user.pk), HASH_SESSION_KEY: auth_hash})
    if backend:
        session[BACKEND_SESSION_KEY] = backend
    session.create()
    return session.session_key


# Going back to BEFORE takes out nearly every migration of the project (everything
# depends on accounts) and a minute or two to put back, so the behaviours of one
# upgrade are checked on one upgrade: a token and two sessions made before it.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_old_tokens_and_open_sessions_come_through_the_upgrade():
    # Made before going back: the factory writes the current schema (e.g. 机关代字).
    client_user = UserFactory(username="old_client", roles=["officer"])
    signed_in = UserFactory(username="signed_in_before", roles=["officer"])
    idle = UserFactory(username="idle_before", roles=["officer"])
    migrate(BEFORE)
    make_drf_token_table(client_user.pk)
    key = _open_session(
        signed_in, signed_in.get_session_auth_hash(), settings.AUTHENTICATION_BACKENDS[0]
    )
    browser = Client()
    browser.cookies[settings.SESSION_COOKIE_NAME] = key
    idle_key = _open_session(idle, "x")

    migrate(AFTER)

    # An old plaintext token still signs in, stored as a digest; no key is left.
    assert "authtoken_token" not in connection.introspection.table_names()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM django_migrations WHERE app = 'authtoken'")
        assert cursor.fetchone()[0] == 0
    stored = AuthToken.objects.get(user=client_user)
    assert stored.digest == hash_token(OLD_KEY)
    assert stored.expiry is not None
    response = APIClient().get("/api/me/", HTTP_AUTHORIZATION=f"Token {OLD_KEY}")
    assert response.status_code == 200
    assert response.json()["username"] == "old_client"

    # The upgrade indexes the sessions open at the upgrade.
    assert SignedInSession.objects.get(user=idle).session_key == idle_key

    # A session open at the upgrade is ended by a lock.
    assert browser.get("/accounts/profile/").status_code == 200
    attacker = Client(REMOTE_ADDR="10.66.0.1")
    for _ in range(5):
        attacker.post("/accounts/login/", {"username": "signed_in_before", "password": "x"})
    assert SignedInSession.objects.filter(user=signed_in).count() == 0  # ended with the lock
    assert browser.get("/accounts/profile/").status_code == 302


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_fresh_database_upgrades_without_the_old_table():
    migrate(BEFORE)

    migrate(AFTER)

    assert "authtoken_token" not in connection.introspection.table_names()
