"""The completeness summary is added to a database that already holds cases, in place.

Cases made before the check are marked "not yet checked" (the list's 待核查 filter finds
them) until ``fullrecord recompute_completeness`` checks them; nothing else changes.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from fullrecord.cases.filtersets import CaseFilterSet
from fullrecord.cases.models import Case, Cause

pytestmark = pytest.mark.usefixtures("every_app_migrated_afterwards")


def _completeness_migration(executor: MigrationExecutor) -> tuple[tuple[str, str], tuple[str, str]]:
    """This migration and the one before it, whatever number the merge gives them."""
    [node] = [k for k in executor.loader.graph.nodes if k[1].endswith("_case_completeness")]
    parents = executor.loader.graph.node_map[node].parents
    [parent] = [parent.key for parent in parents if parent.key[0] == "cases"]
    return node, parent


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_existing_cases_are_marked_unchecked_then_checked_by_the_command(bureau, records):
    executor = MigrationExecutor(connection)
    node, parent = _completeness_migration(executor)
    executor.migrate([parent])
    old = MigrationExecutor(connection).loader.project_state([parent]).apps
    OldCase = old.get_model("cases", "Case")
    before = OldCase.objects.create(
        number="OLD-2025-0001",
        cause_id=Cause.objects.order_by("pk").first().pk,
        source="patrol",
        org_unit_id=bureau.section1.pk,
        state="investigating",
        address="清河县城关镇",
        created_by_id=bureau.head.pk,
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([node])
    # The apps whose migrations depend on this one were taken out with it: back in.
    MigrationExecutor(connection).migrate(executor.loader.graph.leaf_nodes())

    case = Case.objects.get(pk=before.pk)
    assert (case.completeness_checked_at, case.completeness_missing) == (None, 0)
    unchecked = CaseFilterSet({"completeness": "unchecked"}, queryset=Case.objects.all()).qs
    assert list(unchecked) == [case]

    call_command("recompute_completeness", stdout=StringIO(), stderr=StringIO())

    case.refresh_from_db()
    assert case.completeness_checked_at is not None
    assert case.completeness_missing == 7  # every required record of the four stages reached
    assert case.state == "investigating" and case.number == "OLD-2025-0001"
    missing = CaseFilterSet({"completeness": "missing"}, queryset=Case.objects.all()).qs
    assert list(missing) == [case]
