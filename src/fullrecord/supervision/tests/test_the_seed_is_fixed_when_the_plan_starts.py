"""Issue 13: "The draw uses a seed fixed and recorded when the plan starts — derived from
the latest signed audit-log tree head". Starting (开始) fixes the seed and the scope; a draft
is not drawn; the seed never changes afterwards."""

from __future__ import annotations

import pytest
from django.urls import reverse

from fullrecord.audit.models import AuditEntry, SignedTreeHead
from fullrecord.supervision import sampling, services
from fullrecord.supervision.models import InspectionPlan, SampleDraw

from .world import plan


def test_starting_fixes_the_seed_from_the_latest_signed_head_and_records_it(world):
    p = plan(world, start=False)
    assert p.seed == "" and p.state == "draft"

    p = services.start_plan(p, actor=world.inspector)

    head = SignedTreeHead.objects.order_by("-tree_size").first()
    assert (p.seed_tree_size, p.seed_root_hash) == (head.tree_size, head.root_hash)
    assert p.seed == sampling.derive_seed(p.pk, head.tree_size, head.root_hash)
    assert (p.state, p.started_by) == ("active", world.inspector)
    entry = AuditEntry.objects.get(action="supervision.plan_start", object_id=str(p.pk))
    assert entry.data["seed"] == p.seed and entry.data["tree_size"] == head.tree_size


def test_a_draft_is_not_drawn(world):
    p = plan(world, start=False)

    with pytest.raises(services.SupervisionError):
        services.draw_sample(p, actor=world.inspector)

    assert not SampleDraw.objects.exists()
    assert InspectionPlan.objects.get(pk=p.pk).seed == ""


def test_draws_keep_the_seed_fixed_at_the_start_while_the_log_grows(world):
    p = plan(world)
    fixed = (p.seed, p.seed_tree_size, p.seed_root_hash)

    services.draw_sample(p, actor=world.inspector)
    services.draw_sample(p, actor=world.inspector)

    p.refresh_from_db()
    assert (p.seed, p.seed_tree_size, p.seed_root_hash) == fixed
    assert SignedTreeHead.objects.order_by("-tree_size").first().tree_size >= p.seed_tree_size
    draws = AuditEntry.objects.filter(action="supervision.draw", object_id=str(p.pk))
    assert {e.data["seed"] for e in draws} == {fixed[0]}


def test_a_started_plan_is_not_started_again_nor_its_scope_changed(world):
    p = plan(world)
    seed = p.seed

    with pytest.raises(services.SupervisionError):
        services.start_plan(p, actor=world.inspector)
    with pytest.raises(services.SupervisionError):
        services.update_plan(p, actor=world.inspector, cases_per_stratum=9)

    p.refresh_from_db()
    assert (p.seed, p.cases_per_stratum) == (seed, 2)


def test_the_team_starts_a_plan_from_its_page_and_the_api(world, client, api_client):
    on_page, by_api = plan(world, start=False), plan(world, start=False, title="接口开始")
    client.force_login(world.inspector)
    assert 'data-testid="start"' in client.get(on_page.get_absolute_url()).content.decode()

    client.post(reverse("supervision:plan_start", args=[on_page.pk]))
    api_client.force_authenticate(world.inspector)
    answer = api_client.post(reverse("api:inspection-plan-start", args=[by_api.pk]))

    assert InspectionPlan.objects.get(pk=on_page.pk).seed
    assert answer.status_code == 200 and answer.json()["seed"]
    assert answer.json()["state"] == "active"


def test_the_leader_cannot_start_a_plan(world, api_client):
    p = plan(world, start=False)
    api_client.force_authenticate(world.bureau.leader)

    answer = api_client.post(reverse("api:inspection-plan-start", args=[p.pk]))

    assert answer.status_code == 404
    assert InspectionPlan.objects.get(pk=p.pk).seed == ""
