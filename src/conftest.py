"""Shared pytest fixtures: fast hashing, an isolated data dir, the persona bureau."""

from __future__ import annotations

import os
import tempfile

import pytest

os.environ.setdefault("FULLRECORD_DATA_DIR", tempfile.mkdtemp(prefix="fullrecord-test-"))
# Background tasks run at commit in tests, so a test sees their effect without a worker.
os.environ.setdefault("FULLRECORD_TASK_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hasher(django_test_environment):
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
    """Transactional tests empty the database afterwards; lift the media delete guard for it.

    The guard triggers (fullrecord.media.guards) refuse DELETE/TRUNCATE of originals, which
    is what a test-database flush does. They are put back before the next test.
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

    from fullrecord.media import guards

    for connection in connections.all():
        guards.install(connection)
    yield
    for connection in connections.all():
        guards.uninstall(connection)
