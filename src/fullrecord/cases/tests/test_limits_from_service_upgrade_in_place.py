"""The upgrade that counts the party's limits from service keeps what a bureau has:
running deadlines stay as they were, a rule the administrator made keeps its settings."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from fullrecord.cases.models import CaseDeadline, TimeLimitRule

from .helpers import ready_case

pytestmark = pytest.mark.usefixtures("every_app_migrated_afterwards")


def _this_migration(executor: MigrationExecutor) -> tuple[tuple[str, str], tuple[str, str]]:
    [node] = [
        k for k in executor.loader.graph.nodes if k[1].endswith("_deadlines_counted_from_service")
    ]
    [parent] = [p.key for p in executor.loader.graph.node_map[node].parents if p.key[0] == "cases"]
    return node, parent


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_running_deadlines_and_the_bureaus_own_rules_are_kept(bureau):
    case = ready_case(bureau, "notified", windows="open")
    running = {d.pk: (d.started_on, d.due_on) for d in case.deadlines.all()}
    executor = MigrationExecutor(connection)
    node, parent = _this_migration(executor)
    executor.migrate([parent])
    old = MigrationExecutor(connection).loader.project_state([parent]).apps
    OldRule = old.get_model("cases", "TimeLimitRule")
    OldRule.objects.filter(code__in=["payment_15", "reconsideration_60"]).delete()
    OldRule.objects.create(
        code="payment_15",
        name="本局缴纳罚款期限",
        kind="window",
        days=10,
        counting="working",
        starts_at="served",
        ends_at=[],
        legal_source="本局规定",
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([node])
    MigrationExecutor(connection).migrate(executor.loader.graph.leaf_nodes())

    assert {d.pk: (d.started_on, d.due_on) for d in CaseDeadline.objects.filter(case=case)} == (
        running
    )
    assert not CaseDeadline.objects.filter(case=case).exclude(counted_from="").exists()
    statement = TimeLimitRule.objects.get(code="statement_window")
    assert statement.starts_on_service_of == "penalty_notice"
    own = TimeLimitRule.objects.get(code="payment_15")
    assert (own.name, own.days, own.starts_on_service_of) == ("本局缴纳罚款期限", 10, "")
    added = TimeLimitRule.objects.get(code="reconsideration_60")
    assert (added.days, added.starts_on_service_of) == (60, "penalty_decision")
    assert added.active and added.starts_at == "served" and added.counting == "calendar"
