"""Upgrade in place: parties recorded by the release before (plain ID numbers, addresses,
contacts) are sealed by the migration, read back unchanged, found by ID number, and the
audit log of that release still verifies — its tree heads gain SM2 signatures."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from fullrecord.audit import services as audit_services
from fullrecord.cases.models import Party
from fullrecord.security import heads
from fullrecord.security.models import SM2TreeHead

pytestmark = pytest.mark.usefixtures("every_app_migrated_afterwards")

ID = "110101199003074258"


def _nodes(executor: MigrationExecutor):
    [node] = [
        key
        for key in executor.loader.graph.nodes
        if key[0] == "cases" and key[1].endswith("_party_personal_data_sealed_with_sm4")
    ]
    [parent] = [p.key for p in executor.loader.graph.node_map[node].parents if p.key[0] == "cases"]
    return node, parent


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_plain_parties_are_sealed_readable_and_verify_passes(bureau, monkeypatch):
    executor = MigrationExecutor(connection)
    node, parent = _nodes(executor)
    executor.migrate([parent, ("security", None)])
    old = MigrationExecutor(connection).loader.project_state([parent]).apps

    # The release before: no SM2, plain party columns.
    monkeypatch.setattr(heads, "cosign", lambda *args, **kwargs: None)
    Case = old.get_model("cases", "Case")
    case = Case.objects.create(
        number="QH-2025-0001",
        cause=old.get_model("cases", "Cause").objects.first(),
        source="patrol",
        org_unit_id=bureau.section1.pk,
        address="清河县",
        created_by_id=bureau.officer.pk,
    )
    party = old.get_model("cases", "Party").objects.create(
        case=case,
        kind="person",
        name="张三",
        id_type="resident_id",
        id_number=ID,
        address="东关村一组12号",
        contact="13800001111",
    )
    for n in range(3):
        audit_services.record("test.before_upgrade", actor=bureau.officer, summary=str(n))
    audit_services.sign_tree_head()
    monkeypatch.undo()
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM cases_party WHERE id = %s", [party.pk])
        assert cursor.fetchone()[0] == ID

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id_number, address, contact FROM cases_party WHERE id = %s", [party.pk]
        )
        raw = cursor.fetchone()
    assert all(value.startswith("sm4$") for value in raw)
    fresh = Party.objects.get(pk=party.pk)
    assert (fresh.id_number, fresh.address, fresh.contact) == (ID, "东关村一组12号", "13800001111")
    assert Party.objects.filter(id_number_index=fresh.id_number_index).count() == 1
    from fullrecord.audit.models import SignedTreeHead

    assert SM2TreeHead.objects.count() == SignedTreeHead.objects.count() > 0
    call_command("verify", "--skip-files")  # raises CommandError on any problem
