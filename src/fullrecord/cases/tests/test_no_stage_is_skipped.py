"""第二条: a case moves through its stages in order; no move jumps a stage."""

from __future__ import annotations

import pytest

from fullrecord.accounts.choices import Role
from fullrecord.cases.choices import EXIT_STATES, CaseState
from fullrecord.cases.models import CaseTransition
from fullrecord.cases.workflow import TRANSITIONS
from fullrecord.core.testing.factories import UserFactory

from .helpers import ready_case, refusal

# The path of 第二条 and its exits, written out: from each state, where it may go.
LEGAL_MOVES = {
    CaseState.DISCOVERED: {CaseState.STOPPED, CaseState.NOT_FILED, CaseState.TRANSFERRED},
    CaseState.STOPPED: {CaseState.FILED, CaseState.NOT_FILED, CaseState.TRANSFERRED},
    CaseState.FILED: {
        CaseState.INVESTIGATING,
        CaseState.TRANSFERRED,
        CaseState.WITHDRAWN,
        CaseState.TERMINATED,
    },
    CaseState.INVESTIGATING: {
        CaseState.LEGAL_REVIEW,
        CaseState.TRANSFERRED,
        CaseState.WITHDRAWN,
        CaseState.TERMINATED,
    },
    CaseState.LEGAL_REVIEW: {
        CaseState.INVESTIGATING,
        CaseState.COLLECTIVE_DISCUSSION,
        CaseState.NOTIFIED,
        CaseState.WITHDRAWN,
        CaseState.TERMINATED,
    },
    CaseState.COLLECTIVE_DISCUSSION: {
        CaseState.NOTIFIED,
        CaseState.WITHDRAWN,
        CaseState.TERMINATED,
    },
    CaseState.NOTIFIED: {CaseState.HEARING, CaseState.DECIDED, CaseState.TERMINATED},
    CaseState.HEARING: {CaseState.DECIDED, CaseState.TERMINATED},
    CaseState.DECIDED: {CaseState.SERVED, CaseState.TERMINATED},
    CaseState.SERVED: {CaseState.ENFORCING, CaseState.TERMINATED},
    CaseState.ENFORCING: {CaseState.CLOSED, CaseState.TERMINATED},
    CaseState.CLOSED: {CaseState.ARCHIVED},
    CaseState.ARCHIVED: set(),
    **{state: set() for state in EXIT_STATES},
}

# For each state, the moves that do not start from it.
ILLEGAL = {
    state: [name for name, t in TRANSITIONS.items() if state not in t.sources]
    for state in CaseState.values
}


def test_the_state_machine_allows_exactly_the_moves_of_article_two():
    table = {state: set() for state in CaseState.values}
    for transition in TRANSITIONS.values():
        for source in transition.sources:
            table[source].add(transition.target)
    assert table == LEGAL_MOVES


def test_archived_and_ended_cases_cannot_move_at_all():
    for state in [CaseState.ARCHIVED, *EXIT_STATES]:
        assert not [t for t in TRANSITIONS.values() if state in t.sources], state


@pytest.fixture
def everyone(bureau):
    """One person holding every role (of the three administrator roles, which no account
    may combine, the system administrator's), so only the state can stand in the way."""
    return UserFactory(
        username="all-roles",
        org_unit=bureau.county,
        roles=[r for r in Role.values if r not in (Role.SECURITY_ADMIN, Role.AUDIT_ADMIN)],
        certificate_number="C9999",
    )


@pytest.mark.parametrize("state", ILLEGAL)
def test_it_refuses_every_move_that_does_not_start_from_the_current_state(bureau, everyone, state):
    case = ready_case(bureau, state)

    for name in ILLEGAL[state]:
        messages = refusal(case, name, everyone, reason="理由")

        assert len(messages) == 1, (name, messages)
        assert case.get_state_display() in messages[0], (name, messages)
    case.refresh_from_db()
    assert case.state == state
    assert not CaseTransition.objects.filter(case=case).exists()


def test_it_refuses_an_unknown_move(bureau):
    case = ready_case(bureau, CaseState.STOPPED)

    messages = refusal(case, "jump_to_archive", bureau.leader)

    assert "jump_to_archive" in messages[0]
