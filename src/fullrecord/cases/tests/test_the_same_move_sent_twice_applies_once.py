"""The same move sent twice at once (a double click, two browsers) applies once.

Two threads, each with its own database connection, start together at a
barrier. On PostgreSQL the row lock of ``do_transition`` makes the second wait
and then see the new state; on SQLite the write lock taken at BEGIN IMMEDIATE
does the same.
"""

from __future__ import annotations

import pytest

from fullrecord.audit.models import AuditEntry
from fullrecord.audit.services import verify_chain
from fullrecord.cases.choices import CaseState
from fullrecord.cases.models import Case, CaseDeadline, CaseTransition
from fullrecord.cases.services import TransitionRefused, create_case, do_transition
from fullrecord.core.testing.concurrency import race, threads_on_a_file
from fullrecord.core.testing.personas import build_bureau

from .helpers import ready_case

# Not about records: moves need only what cases itself asks (core.testing.workflow).
pytestmark = pytest.mark.usefixtures("without_record_requirements")


def file_twice(first_actor, second_actor, case_pk) -> tuple[list, Case]:
    def send(actor):
        def call():
            # Each sender holds its own copy, read before the race, as a request would.
            case = Case.objects.get(pk=case_pk)
            return do_transition(case, "file", actor=actor, reason="证据确凿")

        return call

    results = race(send(first_actor), send(second_actor))
    return results, Case.objects.get(pk=case_pk)


def assert_applied_once(results, case):
    applied = [r for r in results if isinstance(r, CaseTransition)]
    refused = [r for r in results if isinstance(r, TransitionRefused)]
    assert len(applied) == 1, results
    assert len(refused) == 1, results
    assert case.state == CaseState.FILED
    assert CaseTransition.objects.filter(case=case).count() == 1
    assert CaseDeadline.objects.filter(case=case, rule__code="decision_90").count() == 1
    assert AuditEntry.objects.filter(case_id=case.pk, action="case.transition").count() == 1
    assert verify_chain() == []


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_on_postgresql_a_double_submitted_move_applies_once():
    bureau = build_bureau()
    case = ready_case(bureau, CaseState.STOPPED)

    results, case = file_twice(bureau.head, bureau.head, case.pk)

    assert_applied_once(results, case)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_on_postgresql_two_people_making_the_same_move_at_once_apply_it_once():
    bureau = build_bureau()
    case = ready_case(bureau, CaseState.STOPPED)

    results, case = file_twice(bureau.head, bureau.leader, case.pk)

    assert_applied_once(results, case)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_on_postgresql_cases_opened_at_once_get_different_numbers():
    bureau = build_bureau()
    from fullrecord.cases.models import Cause

    cause = Cause.objects.first()

    def open_case():
        return create_case(
            actor=bureau.officer,
            cause=cause,
            source="patrol",
            org_unit=bureau.section1,
            address="清河县城关镇",
        )

    results = race(*[open_case] * 4)

    assert all(isinstance(r, Case) for r in results), results
    assert len({r.number for r in results}) == 4
    assert verify_chain() == []


@pytest.fixture
def sqlite_file_database(tmp_path):
    """The race runs on a file copy of the SQLite test database, as production does
    (``threads_on_a_file`` says why)."""
    with threads_on_a_file(tmp_path / "race.sqlite3"):
        yield


@pytest.mark.sqlite_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_on_sqlite_a_double_submitted_move_applies_once(request):
    bureau = build_bureau()
    case = ready_case(bureau, CaseState.STOPPED)
    request.getfixturevalue("sqlite_file_database")

    results, _ = file_twice(bureau.head, bureau.head, case.pk)

    # Checked over a new connection too: the file copy is where the race ran.
    (outcome,) = race(lambda: assert_applied_once(results, Case.objects.get(pk=case.pk)))
    if outcome is not None:
        raise outcome
