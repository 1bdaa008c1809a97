"""0003_strata_and_start on a database of the previous release: a plan drawn then (one size
per section, its seed fixed at the first draw, strata stored as numbers) keeps its seed and
its sample, still verifies, and is recorded as started by whoever drew first; a draft stays
a draft, by section."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from fullrecord.supervision import services
from fullrecord.supervision.models import InspectionPlan, SampleEntry

pytestmark = pytest.mark.usefixtures("every_app_migrated_afterwards")

BEFORE = [("supervision", "0002_seed_rubric")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_plan_drawn_by_the_previous_release_keeps_its_sample_and_verifies():
    from fullrecord.core.testing.personas import build_bureau

    from . import world as world_module

    world = world_module.build(build_bureau(), cases_each=3, items_each=2)
    drawn = world_module.plan(world, title="上一版本的计划")
    draft = world_module.plan(world, start=False, title="上一版本的草稿")
    draw = services.draw_sample(drawn, actor=world.inspector)
    # What the previous release stored: a scope without strata, entries with int strata.
    old_scope = {
        k: v
        for k, v in draw.scope.items()
        if k not in ("case_strata", "footage_strata", "stratum_sizes")
    }
    entries = list(draw.entries.values("kind", "stratum", "rank", "case_id", "item_id"))
    seed = (drawn.seed, drawn.seed_tree_size, drawn.seed_root_hash)

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    OldEntry = old.get_model("supervision", "SampleEntry")
    OldEntry.objects.filter(draw_id=draw.pk).delete()
    OldEntry.objects.bulk_create(
        OldEntry(draw_id=draw.pk, **{**e, "stratum": int(e["stratum"])}) for e in entries
    )
    old.get_model("supervision", "SampleDraw").objects.filter(pk=draw.pk).update(scope=old_scope)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    drawn = InspectionPlan.objects.get(pk=drawn.pk)
    assert (drawn.seed, drawn.seed_tree_size, drawn.seed_root_hash) == seed
    assert (drawn.case_strata, drawn.footage_strata, drawn.stratum_sizes) == (
        "section",
        "section",
        {},
    )
    assert drawn.started_by_id == world.inspector.pk
    assert sorted(SampleEntry.objects.filter(draw=draw).values_list("stratum", flat=True)) == (
        sorted(e["stratum"] for e in entries)
    )
    assert all(report.ok for report in services.verify_plan(drawn))
    out = StringIO()
    call_command("sample", str(drawn.pk), "--verify", stdout=out)
    assert "verified" in out.getvalue()
    draft = InspectionPlan.objects.get(pk=draft.pk)
    assert (draft.state, draft.seed, draft.started_by_id) == ("draft", "", None)
