"""Fixtures for the core tests: real worker processes on a real database."""

from fullrecord.core.testing.liveworkers import live_database  # noqa: F401
