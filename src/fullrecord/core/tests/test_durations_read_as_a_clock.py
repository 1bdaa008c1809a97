"""A record's length reads 1:02:03, not 3723 s, on every page that shows one."""

from __future__ import annotations

import pytest

from fullrecord.core.templatetags.durations import clock


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [(3723.4, "1:02:03"), (123, "2:03"), (7.6, "0:08"), (0, "0:00"), (None, ""), ("x", "")],
)
def test_seconds_become_a_clock(seconds, shown):
    assert clock(seconds) == shown
