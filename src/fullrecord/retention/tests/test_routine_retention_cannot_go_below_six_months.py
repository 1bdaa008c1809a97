"""第十二条: the floor of 183 days is in code; the variable may raise it, never lower it."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def _fullrecord(tmp_path, days: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "FULLRECORD_ROUTINE_RETENTION_DAYS": days,
        "FULLRECORD_DATA_DIR": str(tmp_path),
    }
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "fullrecord", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("days", ["30", "150", "182"])
def test_a_value_below_the_floor_stops_every_command_naming_the_floor(tmp_path, days):
    answer = _fullrecord(tmp_path, days)
    assert answer.returncode == 2
    assert f"FULLRECORD_ROUTINE_RETENTION_DAYS={days} is below the floor of 183 days" in (
        answer.stderr
    )
    assert "Traceback" not in answer.stderr
    assert "System check" not in answer.stdout  # nothing else ran


def test_a_value_above_the_floor_is_accepted(tmp_path):
    answer = _fullrecord(tmp_path, "400")
    assert answer.returncode == 0, answer.stderr


def test_routine_footage_is_kept_the_raised_term(bureau, settings):
    from .helpers import footage, keep_until, today

    settings.FULLRECORD_ROUTINE_RETENTION_DAYS = 400
    item = footage(bureau.officer)
    assert (keep_until(item) - today()).days == 400
