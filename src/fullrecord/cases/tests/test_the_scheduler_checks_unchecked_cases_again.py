"""Cases a catalogue edit or an upgrade left "not yet checked" are checked again by a
periodic job, so the case list's 记录不全 filter does not wait for an operator."""

from __future__ import annotations

import pytest

from fullrecord.cases import completeness
from fullrecord.cases.choices import CaseState
from fullrecord.cases.tasks import refresh_unchecked_completeness
from fullrecord.core import periodic

from .helpers import ready_case

pytestmark = pytest.mark.django_db


def test_the_periodic_job_checks_every_unchecked_case(bureau, records):
    cases = [ready_case(bureau, CaseState.INVESTIGATING) for _ in range(3)]
    completeness.mark_all_stale()

    assert "refresh_completeness" in {job.name for job in periodic.JOBS}
    assert completeness.refresh_unchecked(limit=2, batch=1) == 2
    refresh_unchecked_completeness.call()

    for case in cases:
        case.refresh_from_db()
        assert case.completeness_checked_at is not None and case.completeness_missing > 0
