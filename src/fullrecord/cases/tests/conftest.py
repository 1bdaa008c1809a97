"""Fixtures of the case tests."""

import pytest


@pytest.fixture
def records():
    """Only the records the test declares are expected of the stages (see completeness_records)."""
    from .completeness_records import only_these_records

    with only_these_records() as found:
        yield found
