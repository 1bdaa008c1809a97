"""Party changes recorded before personal data in changes was sealed are masked in place
by the upgrade: before and after masked, a value still waiting for approval sealed (and
still applied in full when approved), the approvers' notice masked."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from fullrecord.cases import changes
from fullrecord.cases.choices import CaseState
from fullrecord.cases.models import CaseChange
from fullrecord.core.testing.factories import resident_id
from fullrecord.notifications.models import Notification

from .helpers import ready_case

pytestmark = pytest.mark.usefixtures("every_app_migrated_afterwards")

NEW_NUMBER = resident_id(78)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_plain_pending_change_is_masked_sealed_and_still_applies(bureau):
    case = ready_case(bureau, CaseState.INVESTIGATING)
    party = case.parties.get()
    executor = MigrationExecutor(connection)
    [node] = [k for k in executor.loader.graph.nodes if k[1].endswith("_in_changes_masked")]
    [parent] = [p.key for p in executor.loader.graph.node_map[node].parents if p.key[0] == "cases"]
    executor.migrate([parent])
    old = MigrationExecutor(connection).loader.project_state([parent]).apps
    before = old.get_model("cases", "CaseChange").objects.create(
        case_id=case.pk,
        party_id=party.pk,
        party_name=party.name,
        changes={
            "id_number": {"before": party.id_number, "after": NEW_NUMBER, "value": NEW_NUMBER}
        },
        reason="身份证号录错",
        needs_approval=True,
        state="pending",
        requested_by_id=bureau.officer.pk,
    )
    Notification.objects.create(
        recipient=bureau.head, message=f"officer 申请变更：身份证号 → {NEW_NUMBER}"
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    change = CaseChange.objects.get(pk=before.pk)
    item = change.changes["id_number"]
    assert NEW_NUMBER not in str(change.changes) and item["sealed"]
    assert item["after"] == NEW_NUMBER[:3] + "*" * 11 + NEW_NUMBER[-4:]
    assert not Notification.objects.filter(message__contains=NEW_NUMBER).exists()

    changes.decide_change(change, actor=bureau.head, approve=True)
    party.refresh_from_db()
    assert party.id_number == NEW_NUMBER
