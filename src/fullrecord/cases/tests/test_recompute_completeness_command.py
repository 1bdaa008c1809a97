"""``fullrecord recompute_completeness`` checks the cases not yet checked (after an upgrade),
every case (``--all``, after a change of what the stages expect) or the ones named."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from fullrecord.cases import completeness
from fullrecord.cases.choices import CaseState
from fullrecord.cases.models import Case

from .helpers import ready_case

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("recompute_completeness", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_it_checks_the_cases_not_yet_checked(bureau, records):
    old = [ready_case(bureau, CaseState.INVESTIGATING) for _ in range(3)]
    records.complete(old[0], "discovery", "stopping", "filing", "investigation")

    output = run()

    by_pk = {c.pk: c for c in Case.objects.all()}
    assert all(by_pk[c.pk].completeness_checked_at is not None for c in old)
    assert by_pk[old[0].pk].completeness_missing == 0
    assert by_pk[old[1].pk].completeness_missing == 7
    assert by_pk[old[1].pk].completeness_missing_stages == "discovery,stopping,filing,investigation"
    assert "Checked 2 case(s); 2 lack required records." in output  # old[0] was refreshed


def test_after_a_change_of_expectations_all_recomputes_every_case(bureau, records):
    case = ready_case(bureau, CaseState.STOPPED)
    completeness.refresh(case)
    records.expected.append(("stopping", "written", "现场检查笔录", True))
    completeness.mark_all_stale()

    assert "Checked 1 case(s)" in run()
    case.refresh_from_db()
    assert case.completeness_missing == 4


def test_all_and_named_cases(bureau, records):
    one, two = ready_case(bureau, CaseState.STOPPED), ready_case(bureau, CaseState.STOPPED)
    completeness.refresh(one)

    assert "Checked 2 case(s)" in run("--all")
    assert "Checked 1 case(s)" in run(str(two.pk))
    with pytest.raises(CommandError, match="No case with id 999999"):
        run("999999")


def test_it_shows_progress_when_asked(bureau, records):
    ready_case(bureau, CaseState.STOPPED)
    err = StringIO()

    call_command("recompute_completeness", "--progress", stdout=StringIO(), stderr=err)

    assert "cases [" in err.getvalue() and "1/1" in err.getvalue()
