"""The ``crash_site`` fixture: one migrated site per test module, on the tests' backend."""

from __future__ import annotations

import os
import zlib

import pytest

from .crashsite import CrashSite


def _postgres_url(module: str) -> str | None:
    """A database of its own beside the test database, when the tests run on PostgreSQL
    (one per xdist worker and test module, so parallel runs never share one)."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        return None
    import psycopg

    base = os.environ.get("FULLRECORD_TEST_DATABASE") or "test_fullrecord"
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    name = f"{base}_crash_{worker}_{zlib.crc32(module.encode()):08x}"
    server = url.rsplit("/", 1)[0]
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{server}/{name}"


@pytest.fixture(scope="module")
def crash_site(request, tmp_path_factory) -> CrashSite:
    site = CrashSite(tmp_path_factory.mktemp("crash-site"), _postgres_url(request.module.__name__))
    site.setup()
    yield site
    site.drop_database()


@pytest.fixture(scope="module")
def resume_server(crash_site):
    """A server of the same site that stays up while others are killed beside it."""
    with crash_site.serve() as server:
        yield server
