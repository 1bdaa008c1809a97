"""Shared pytest fixtures: fast hashing, an isolated data dir, the persona bureau."""

from __future__ import annotations

import pytest

# Chromium, the live site and pages for the browser journeys of every app.
pytest_plugins = ["fullrecord.core.testing.browser"]


# A race is tested on each database the way that database settles it; each half of
# `make test` runs the variants written for its database, so CI runs every one.
POSTGRES_ONLY = (
    "PostgreSQL only: the race is settled by row locks held across two connections, which "
    "SQLite does not have (it lets one writer at a time; races with a SQLite variant mark "
    "it sqlite_only); it runs in the PostgreSQL half of make test"
)
SQLITE_ONLY = (
    "SQLite variant: the race is settled by SQLite's one-writer lock on a database file; "
    "its postgres_only variant runs in the PostgreSQL half"
)


def pytest_collection_modifyitems(config, items):
    """Skip each race test on the database it is not written for (reasons above).

    Mark the tests that talk to the real object store (a Ceph RGW on loopback) ``s3``:
    ``make test`` runs them in its PostgreSQL half, the scale-out mode they belong to."""
    from django.conf import settings

    on_postgresql = "postgresql" in settings.DATABASES["default"]["ENGINE"]
    for item in items:
        if item.get_closest_marker("postgres_only") and not on_postgresql:
            item.add_marker(pytest.mark.skip(reason=POSTGRES_ONLY))
        if item.get_closest_marker("sqlite_only") and on_postgresql:
            item.add_marker(pytest.mark.skip(reason=SQLITE_ONLY))
        callspec = getattr(item, "callspec", None)
        if {"s3_server", "s3_store"} & set(item.fixturenames) or (
            callspec is not None and callspec.params.get("store") == "s3"
        ):
            item.add_marker(pytest.mark.s3)


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hasher(django_test_environment):
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _signin_policy(request):
    """The second factor, idle timeout and password expiry (security/middleware.py) apply
    in tests marked ``signin_policy``; tests about something else sign in as before."""
    from fullrecord.security import middleware

    middleware.ENFORCED = request.node.get_closest_marker("signin_policy") is not None
    yield
    middleware.ENFORCED = True


@pytest.fixture
def bureau(db):
    from fullrecord.core.testing.personas import build_bureau

    return build_bureau()


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture(autouse=True)
def _media_guards_for_flush(request):
    """Transactional tests empty the database afterwards; lift the guard triggers for it.

    The guards (fullrecord.media.guards, fullrecord.audit.guards) refuse DELETE/TRUNCATE of
    originals and audit entries, which is what a test-database flush does. They are put
    back before the next test.
    """
    transactional = (
        any(name in request.fixturenames for name in ("transactional_db", "live_server"))
        or request.node.get_closest_marker("django_db")
        and request.node.get_closest_marker("django_db").kwargs.get("transaction")
    )
    if not transactional:
        yield
        return
    from django.db import connections

    from fullrecord.audit import guards as audit_guards
    from fullrecord.media import guards as media_guards

    for connection in connections.all():
        for guards in (media_guards, audit_guards):
            guards.install(connection)
    yield
    for connection in connections.all():
        for guards in (media_guards, audit_guards):
            guards.uninstall(connection)


@pytest.fixture
def empty_store(settings, tmp_path):
    """A local evidence store of this test's own, for checks over the whole store (verify,
    the fixity sweep): the shared one keeps files of earlier tests whose rows rolled back."""
    from fullrecord.media.store import get_store

    settings.FULLRECORD_STORAGE = {**settings.FULLRECORD_STORAGE, "root": tmp_path / "originals"}
    get_store.cache_clear()
    yield get_store()
    get_store.cache_clear()


@pytest.fixture
def without_record_requirements():
    """For tests about something else: moves need only what ``cases`` itself asks."""
    from fullrecord.core.testing.workflow import only_case_requirements

    with only_case_requirements():
        yield


@pytest.fixture
def every_app_migrated_afterwards():
    """For tests that take an app's migrations back: every app is migrated forward again
    afterwards, even when the test fails half way. Migrating one app back unapplies the
    apps that depend on it (retention, supervision …); the next transactional test's
    serialized rollback would find their tables missing."""
    yield
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
