"""Who may move a case: every transition, from every source state, tried by every persona.

The expectation is written out here by hand, from the issue and the regulation,
not read from ``workflow.TRANSITIONS``: a change to the table that is not also
made here fails, and so does a new transition nobody has placed in the matrix.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from fullrecord.accounts.choices import Role
from fullrecord.cases.choices import CaseState
from fullrecord.cases.services import available_transitions
from fullrecord.cases.workflow import TRANSITIONS
from fullrecord.core.testing.personas import PERSONAS

from .helpers import attempt, ready_case

# Not about records: moves need only what cases itself asks (core.testing.workflow).
pytestmark = pytest.mark.usefixtures("without_record_requirements")

R = Role

# Who may make each move, by role (第二条 stages; 主管负责人 decides, 法制 reviews …).
EXPECTED_ROLES: dict[str, set[str]] = {
    "stop": {R.OFFICER, R.SECTION_HEAD},
    "file": {R.SECTION_HEAD, R.LEADER},
    "investigate": {R.OFFICER, R.SECTION_HEAD},
    "submit_review": {R.OFFICER, R.SECTION_HEAD},
    "return_investigation": {R.LEGAL},
    "collective_discussion": {R.LEGAL, R.LEADER},
    "notify": {R.LEGAL, R.LEADER},
    "request_hearing": {R.OFFICER, R.SECTION_HEAD, R.LEGAL},
    "decide": {R.LEADER},
    "serve": {R.OFFICER, R.SECTION_HEAD},
    "enforce": {R.OFFICER, R.SECTION_HEAD},
    "close": {R.SECTION_HEAD, R.LEADER},
    "archive": {R.ARCHIVIST},
    "not_file": {R.SECTION_HEAD, R.LEADER},
    "transfer": {R.SECTION_HEAD, R.LEADER},
    "withdraw": {R.LEADER},
    "terminate": {R.LEADER},
}

# The roles that count for a case of section one assigned to officer and officer2.
# An officer's role counts only on cases they are assigned to; a section head's
# only for their own section and below; leader, legal, inspector and archivist
# bureau-wide; the administrator's role never moves a case; the other county's
# leader and a user without roles reach nothing.
REACH: dict[str, set[str]] = {
    "officer": {R.OFFICER},
    "officer2": {R.OFFICER},
    "other_officer": set(),  # not assigned
    "head": {R.SECTION_HEAD},  # also an officer, but not assigned to this case
    "other_head": set(),  # head of section two
    "leader": {R.LEADER},
    "legal": {R.LEGAL},
    "inspector": {R.INSPECTOR},
    "archivist": {R.ARCHIVIST},
    "admin": set(),
    "security_admin": set(),  # 三员 reach no case
    "audit_admin": set(),
    "outsider_leader": set(),
    "nobody": set(),
}

MOVES = [(t.name, source) for t in TRANSITIONS.values() for source in t.sources]


def test_every_transition_has_an_expectation_in_the_matrix():
    assert set(TRANSITIONS) == set(EXPECTED_ROLES), (
        "add new transitions to EXPECTED_ROLES (and remove old ones) with who may make them"
    )


def test_every_persona_has_a_place_in_the_matrix():
    assert set(PERSONAS) == set(REACH)


def test_the_matrix_is_not_vacuous():
    # Each move has someone who may make it, and someone who may not.
    for name, roles in EXPECTED_ROLES.items():
        allowed = {p for p, held in REACH.items() if held & roles}
        assert allowed, name
        assert allowed != set(REACH), name


def _inputs(name: str) -> dict:
    today = timezone.localdate()
    kwargs = {"reason": "理由", "today": today}
    if name == "request_hearing":
        kwargs["data"] = {"hearing_date": today + timedelta(days=30)}
    return kwargs


@pytest.mark.parametrize(("name", "source"), MOVES, ids=[f"{n}-from-{s}" for n, s in MOVES])
def test_exactly_the_expected_personas_may_make_the_move(bureau, name, source):
    expected_roles = EXPECTED_ROLES.get(name)
    assert expected_roles is not None, f"no expectation for {name!r} in the matrix"
    windows = "open" if name == "request_hearing" else "ended"
    case = ready_case(bureau, source, windows=windows)
    expected = {p for p, held in REACH.items() if held & expected_roles}

    allowed = {p for p, user in bureau.all().items() if attempt(case, name, user, **_inputs(name))}

    assert allowed == expected, (
        f"{name} from {source}: unexpectedly allowed {sorted(allowed - expected)}, "
        f"unexpectedly refused {sorted(expected - allowed)}"
    )
    assert case.state == source  # every attempt was rolled back


@pytest.mark.parametrize(("name", "source"), MOVES, ids=[f"{n}-from-{s}" for n, s in MOVES])
def test_the_moves_offered_are_the_moves_allowed(bureau, name, source):
    """What the case page and ``GET …/transitions/`` offer matches what the service allows."""
    windows = "open" if name == "request_hearing" else "ended"
    case = ready_case(bureau, source, windows=windows)
    expected = {p for p, held in REACH.items() if held & EXPECTED_ROLES[name]}

    offered = {
        p
        for p, user in bureau.all().items()
        for option in available_transitions(case, user)
        if option.transition.name == name and option.allowed
    }

    assert offered == expected


def test_a_section_head_may_move_cases_of_units_below_the_section(bureau):
    from fullrecord.accounts.choices import OrgUnitKind
    from fullrecord.accounts.models import OrgUnit

    squad = OrgUnit.objects.create(
        name="一科一组", kind=OrgUnitKind.SECTION, code="QH1-1", parent=bureau.section1
    )
    case = ready_case(bureau, CaseState.STOPPED, unit=squad)

    assert attempt(case, "file", bureau.head)
    assert not attempt(case, "file", bureau.other_head)


def test_an_officer_removed_from_a_case_they_opened_may_no_longer_move_it(bureau):
    case = ready_case(
        bureau, CaseState.DISCOVERED, officers=[bureau.officer, bureau.officer2, bureau.head]
    )
    case.created_by = bureau.officer
    case.save()
    case.assignments.filter(officer=bureau.officer).delete()

    assert not attempt(case, "stop", bureau.officer)
    assert attempt(case, "stop", bureau.officer2)
