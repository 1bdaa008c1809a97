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
