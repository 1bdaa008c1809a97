"""The small parsers behind analysis: device timestamps, ISO 6709 positions, bounded JSON."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from fullrecord.media.analysis import parse_device_time, parse_iso6709
from fullrecord.media.analysis.parsing import bounded

EAST8 = timezone(timedelta(hours=8))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-05-01T08:30:00.000000Z", datetime(2024, 5, 1, 8, 30, tzinfo=UTC)),
        ("2024-05-01T16:30:00+0800", datetime(2024, 5, 1, 16, 30, tzinfo=EAST8)),
        ("2024-05-01T16:30:00+08:00", datetime(2024, 5, 1, 16, 30, tzinfo=EAST8)),
        ("2024-05-01 08:30:00", datetime(2024, 5, 1, 8, 30, tzinfo=UTC)),
        ("2024:05:01 16:30:00+08:00", datetime(2024, 5, 1, 16, 30, tzinfo=EAST8)),
        ("2024:05:01 08:30:00", datetime(2024, 5, 1, 8, 30, tzinfo=UTC)),
        ("2024-05-01 08:30:00 UTC", datetime(2024, 5, 1, 8, 30, tzinfo=UTC)),
        ("Wed May 01 08:30:00 2024", datetime(2024, 5, 1, 8, 30, tzinfo=UTC)),
    ],
)
def test_device_timestamps_become_aware_datetimes(text, expected):
    assert parse_device_time(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "   ", "yesterday", "1904-01-01T00:00:00.000000Z", "1970-01-01T00:00:00Z", "2024-05-01"],
)
def test_unset_clocks_bare_dates_and_nonsense_give_no_time(text):
    assert parse_device_time(text) is None


@pytest.mark.parametrize(
    ("text", "lat", "lon"),
    [
        ("+39.9042+116.4074+044.000/", 39.9042, 116.4074),
        ("+39.9042+116.4074/", 39.9042, 116.4074),
        ("-33.8688-070.6693/", -33.8688, -70.6693),
        ("+3954.252+11624.444/", 39.9042, 116.4074),  # degrees and minutes
        ("+395415.12+1162426.64/", 39.9042, 116.4074),  # degrees, minutes and seconds
        ("+39.9042+116.4074+044.000CRSWGS_84/", 39.9042, 116.4074),
    ],
)
def test_iso6709_positions_in_every_form(text, lat, lon):
    parsed = parse_iso6709(text)

    assert parsed == pytest.approx((lat, lon), abs=1e-4)


@pytest.mark.parametrize("text", ["", "39.9,116.4", "+99.0+116.0/", "+39.0+190.0/", "+39+1/"])
def test_what_is_not_an_iso6709_position_gives_none(text):
    assert parse_iso6709(text) is None


def test_probe_data_is_made_json_safe():
    raw = {
        "nul": "a\x00b",
        "nan": float("nan"),
        "blob": b"\x00\x01" * 100,
        "when": datetime(2024, 5, 1, tzinfo=UTC),
        "ratio": (1, 2.5),
        "surrogate": "\udcff",
    }

    safe = bounded(raw)

    text = json.dumps(safe)
    assert "\\u0000" not in text  # PostgreSQL's jsonb refuses NUL
    assert safe["nan"] is None
    assert safe["ratio"] == [1, 2.5]
    assert len(safe["blob"]) < 80


def test_probe_data_is_kept_small():
    huge = {"tags": {f"tag{n}": "x" * 10_000 for n in range(500)}}

    assert len(json.dumps(bounded(huge))) <= 48 * 1024
