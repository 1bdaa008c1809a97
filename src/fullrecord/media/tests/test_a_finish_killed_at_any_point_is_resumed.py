"""A web server or ``fullrecord ingest`` killed (SIGKILL) at any point of a finish loses
nothing: the upload resumes, HEAD tells the truth, one item and one audit entry come of
it, and no received byte is left untracked — also when the client never comes back.

Each test kills a real ``runserver`` process at a named point (``media/crashpoints.py``)
and resumes on another server of the same site; ``bench/bench_recovery.py`` repeats
this a hundred times.
"""

from __future__ import annotations

import hashlib
import os
import signal

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


def test_an_ingest_killed_after_storing_is_listed_then_taken_in_by_its_rerun(
    crash_site,  # noqa: F811
    tmp_path,
):
    card = tmp_path / "card"
    card.mkdir()
    data = os.urandom(120_000)
    (card / "DSJ_0001.mp4").write_bytes(data)
    sha256 = hashlib.sha256(data).hexdigest()

    status, output = crash_site.ingest(card, crash_at="linked")
    assert status == -signal.SIGKILL, output
    # Stored, named by no record: the sweep lists it for the archivist, keeps it.
    assert sha256 in crash_site.sweep()["unclaimed"]

    status, output = crash_site.ingest(card)
    assert status == 0, output
    assert "new: 1" in output
    assert sha256 not in crash_site.sweep()["unclaimed"]
