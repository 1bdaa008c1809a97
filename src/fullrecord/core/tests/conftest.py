"""Fixtures for the core tests: real worker processes on a real database."""

from fullrecord.core.testing.liveworkers import _live_template, live_database  # noqa: F401
