"""Two documents of one type issued at the same instant get distinct, consecutive 文号:
the per-bureau, per-year, per-type counter row is locked while a number is taken."""

from __future__ import annotations

import re

import pytest
from django.db import connection

from fullrecord.audit.services import verify_chain
from fullrecord.cases.choices import CaseState
from fullrecord.core.testing.concurrency import race, threads_on_a_file
from fullrecord.core.testing.personas import build_bureau
from fullrecord.documents import services
from fullrecord.documents.models import Document

from .helpers import draft, ready_case


def issue_two_at_once(bureau) -> list:
    case = ready_case(bureau, CaseState.STOPPED)
    pks = [draft(case, "stop_order", bureau.officer).pk for _ in range(2)]

    def issue(pk, actor):
        return lambda: services.issue(Document.objects.get(pk=pk), actor=actor)

    return race(issue(pks[0], bureau.officer), issue(pks[1], bureau.officer2))


def assert_consecutive(results) -> None:
    assert all(isinstance(r, Document) for r in results), results
    numbers = sorted(int(re.search(r"〕(\d+)号", r.number).group(1)) for r in results)
    assert numbers == [1, 2]
    assert Document.objects.filter(number__in=[r.number for r in results]).count() == 2
    assert all(r.sha256 for r in results)
    assert verify_chain() == []


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_on_postgresql_two_issued_at_once_get_numbers_one_and_two():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: row locks across two connections")

    assert_consecutive(issue_two_at_once(build_bureau()))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_on_sqlite_two_issued_at_once_get_numbers_one_and_two(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite variant of the PostgreSQL test above")
    bureau = build_bureau()
    case = ready_case(bureau, CaseState.STOPPED)
    pks = [draft(case, "stop_order", bureau.officer).pk for _ in range(2)]
    with threads_on_a_file(tmp_path / "race.sqlite3"):

        def issue(pk, actor):
            return lambda: services.issue(Document.objects.get(pk=pk), actor=actor)

        results = race(issue(pks[0], bureau.officer), issue(pks[1], bureau.officer2))
        (outcome,) = race(lambda: assert_consecutive(results))
    if outcome is not None:
        raise outcome
