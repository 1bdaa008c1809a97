"""``fullrecord sample PLAN --verify`` re-draws every draw and says when one differs."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from fullrecord.supervision import services
from fullrecord.supervision.models import SampleDraw

from .world import plan


def test_a_faithful_plan_verifies(world):
    p = plan(world)
    services.draw_sample(p, actor=world.inspector)
    services.draw_sample(p, actor=world.inspector)
    out = StringIO()

    call_command("sample", str(p.pk), "--verify", stdout=out)

    text = out.getvalue()
    assert "draw 1: re-drawn, same sample" in text
    assert "draw 2: re-drawn, same sample" in text
    assert "verified" in text


def test_the_json_gives_everything_an_outsider_needs(world):
    p = plan(world)
    services.draw_sample(p, actor=world.inspector)
    out = StringIO()

    call_command("sample", str(p.pk), "--json", stdout=out)

    data = json.loads(out.getvalue())
    assert set(data) >= {"plan", "tree_size", "root_hash", "seed", "sizes", "population", "sample"}


def test_a_recorded_sample_changed_behind_the_services_back_fails(world):
    p = plan(world)
    draw = services.draw_sample(p, actor=world.inspector)
    sample = draw.sample
    stratum = next(iter(sample["case"]))
    sample["case"][stratum] = list(reversed(sample["case"][stratum]))
    SampleDraw.objects.filter(pk=draw.pk).update(sample=sample)
    err = StringIO()

    with pytest.raises(CommandError):
        call_command("sample", str(p.pk), "--verify", stdout=StringIO(), stderr=err)

    assert "PROBLEM" in err.getvalue()


def test_a_record_reclassified_after_the_draw_is_noted_not_failed(world):
    p = plan(world)
    services.draw_sample(p, actor=world.inspector)
    from fullrecord.media.models import MediaItem

    MediaItem.objects.filter(pk=world.items1[0].pk).update(org_unit=world.bureau.section2)
    out = StringIO()

    call_command("sample", str(p.pk), "--verify", stdout=out)

    assert "note:" in out.getvalue()


def test_an_unknown_plan_is_a_clear_error(db):
    with pytest.raises(CommandError, match="No inspection plan"):
        call_command("sample", "999999")


def test_a_plan_with_sizes_per_stratum_verifies_and_says_what_each_stratum_asked(world):
    p = plan(
        world,
        footage_strata="source",
        footage_per_stratum=0,
        stratum_sizes={"footage": {"DSJ-01": 3}},
    )
    services.draw_sample(p, actor=world.inspector)
    out = StringIO()

    call_command("sample", str(p.pk), "--verify", stdout=out)

    text = out.getvalue()
    assert "footage stratum 'DSJ-01': asked 3, 3 of 5" in text
    assert "verified" in text


def test_a_recorded_size_changed_behind_the_services_back_fails(world):
    p = plan(world, stratum_sizes={"case": {str(world.bureau.section1.pk): 3}})
    draw = services.draw_sample(p, actor=world.inspector)
    scope = {**draw.scope, "stratum_sizes": {"case": {}, "footage": {}}}
    SampleDraw.objects.filter(pk=draw.pk).update(scope=scope)

    with pytest.raises(CommandError):
        call_command("sample", str(p.pk), "--verify", stdout=StringIO(), stderr=StringIO())
