"""A move is refused, with its reason, until what it needs is there."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone
from django.utils.translation import gettext as _

from fullrecord.cases.choices import EXIT_STATES, TWO_OFFICER_STATES, CaseState
from fullrecord.cases.workflow import TRANSITIONS
from fullrecord.core.testing.factories import UserFactory

from .helpers import attempt, ready_case, refusal

# Not about records: moves need only what cases itself asks (core.testing.workflow).
pytestmark = pytest.mark.usefixtures("without_record_requirements")

EXITS = [t for t in TRANSITIONS.values() if t.target in EXIT_STATES]
NEED_TWO = [
    t
    for t in TRANSITIONS.values()
    if t.target in TWO_OFFICER_STATES and t.target not in EXIT_STATES
]


def _actor(bureau, transition):
    """Someone who holds a role for ``transition`` on a section-one case."""
    for name in ("head", "leader", "legal", "archivist", "officer"):
        user = getattr(bureau, name)
        if user.roles & transition.roles:
            return user
    raise AssertionError(transition.name)


def test_every_exit_asks_for_a_reason():
    assert EXITS
    assert all(t.reason_required for t in EXITS)


@pytest.mark.parametrize("transition", EXITS, ids=[t.name for t in EXITS])
@pytest.mark.parametrize("reason", ["", "   \n"])
def test_it_refuses_an_exit_without_a_reason(bureau, transition, reason):
    case = ready_case(bureau, transition.sources[0])

    messages = refusal(case, transition.name, _actor(bureau, transition), reason=reason)

    assert messages == [_("A reason is required.")]


def test_it_records_the_reason_of_an_exit(bureau):
    case = ready_case(bureau, CaseState.STOPPED)

    step = refusal_free(case, "not_file", bureau.head, reason="  经核实不构成违法 ")

    assert step.reason == "经核实不构成违法"


def refusal_free(case, name, user, **kwargs):
    from fullrecord.cases.services import do_transition

    return do_transition(case, name, actor=user, **kwargs)


# ---------------------------------------------------------------- 第十条: two certified officers


def _uncertified(bureau):
    return UserFactory(
        username="trainee", full_name="trainee", org_unit=bureau.section1, roles=["officer"]
    )


@pytest.mark.parametrize("transition", NEED_TWO, ids=[t.name for t in NEED_TWO])
def test_from_investigation_on_it_refuses_a_move_with_one_certified_officer(bureau, transition):
    case = ready_case(
        bureau,
        transition.sources[0],
        officers=[bureau.officer, _uncertified(bureau)],
        windows="open" if transition.name == "request_hearing" else "ended",
    )
    data = {"hearing_date": timezone.localdate() + timedelta(days=30)}

    messages = refusal(case, transition.name, _actor(bureau, transition), reason="r", data=data)

    assert any("第十条" in m and "trainee" in m for m in messages), messages


def test_it_refuses_investigation_with_a_single_officer(bureau):
    case = ready_case(bureau, CaseState.FILED, officers=[bureau.officer])

    messages = refusal(case, "investigate", bureau.officer)

    assert any("1" in m and "第十条" in m for m in messages)


def test_it_does_not_count_an_officer_who_has_left(bureau):
    case = ready_case(bureau, CaseState.FILED)
    bureau.officer2.is_active = False
    bureau.officer2.save()

    assert not attempt(case, "investigate", bureau.officer)


def test_it_allows_investigation_with_two_certified_officers(bureau):
    case = ready_case(bureau, CaseState.FILED)

    assert attempt(case, "investigate", bureau.officer)


def test_before_investigation_one_officer_is_enough(bureau):
    case = ready_case(bureau, CaseState.DISCOVERED, officers=[bureau.officer])

    assert attempt(case, "stop", bureau.officer)


# ---------------------------------------------------------------- filing needs a party


def test_it_refuses_to_file_a_case_without_a_party(bureau):
    case = ready_case(bureau, CaseState.STOPPED, party=False)

    messages = refusal(case, "file", bureau.head)

    assert messages == [_("Record at least one party (当事人) before filing.")]


def test_it_files_a_case_with_a_party_and_sets_the_filing_date(bureau):
    case = ready_case(bureau, CaseState.STOPPED)

    refusal_free(case, "file", bureau.head, today=date(2026, 3, 2))

    case.refresh_from_db()
    assert case.state == CaseState.FILED
    assert case.filed_on == date(2026, 3, 2)


def test_it_lists_every_problem_at_once(bureau):
    case = ready_case(bureau, CaseState.STOPPED, party=False)

    messages = refusal(case, "not_file", bureau.officer2, reason="")

    assert len(messages) == 2  # not the officer's move, and no reason
