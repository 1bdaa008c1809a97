"""A web server killed (SIGKILL) at any point of an upload's finish loses nothing: the
upload resumes, HEAD tells the truth, one item and one audit entry come of it, and no
received byte is left untracked — also when the client never comes back.

Each test kills a real ``runserver`` process at a named point (``media/crashpoints.py``)
and resumes on another server of the same site; ``bench/bench_recovery.py`` repeats
this a hundred times.
"""

from __future__ import annotations

import pytest

from fullrecord.media.crashpoints import POINTS

from .crashsite import crash_and_resume
from .crashsite_fixture import crash_site, resume_server  # noqa: F401  (fixtures)


@pytest.mark.parametrize("point", POINTS)
def test_a_server_killed_at_this_point_of_the_finish_resumes_the_upload(
    crash_site,  # noqa: F811
    resume_server,  # noqa: F811
    point,
):
    assert crash_and_resume(crash_site, point, resume_server) == []


def test_an_upload_whose_client_never_returns_is_finished_by_the_sweep(
    crash_site,  # noqa: F811
    resume_server,  # noqa: F811
):
    assert crash_and_resume(crash_site, "linked", resume_server, client_returns=False) == []
