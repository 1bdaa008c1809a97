"""Issue 13: "sample size per stratum" — a plan says how its records are stratified (case
files by section or case type, footage by section or source device) and how many to take
from each stratum; a stratum with fewer takes all and says so."""

from __future__ import annotations

import pytest
from django.urls import reverse

from fullrecord.cases.models import Case, Cause
from fullrecord.supervision import services
from fullrecord.supervision.models import InspectionPlan

from .world import plan


def _two_causes(world):
    first, second = Cause.objects.filter(active=True).order_by("pk")[:2]
    Case.objects.filter(pk__in=[c.pk for c in world.cases2]).update(cause=second)
    return first, second


def _taken(draw, kind):
    return {stratum: len(ids) for stratum, ids in draw.sample[kind].items()}


def test_case_files_by_case_type_take_each_types_own_size(world):
    first, second = _two_causes(world)
    p = plan(
        world,
        case_strata="cause",
        cases_per_stratum=1,
        footage_per_stratum=0,
        stratum_sizes={"case": {str(first.pk): 3}},
    )

    draw = services.draw_sample(p, actor=world.inspector)

    assert _taken(draw, "case") == {str(first.pk): 3, str(second.pk): 1}
    assert {e.case.cause_id for e in draw.entries.all()} == {first.pk, second.pk}
    assert draw.all_taken == []


def test_footage_by_source_takes_each_devices_size_and_a_smaller_source_whole(world, client):
    p = plan(
        world,
        cases_per_stratum=0,
        footage_per_stratum=0,
        footage_strata="source",
        stratum_sizes={"footage": {"DSJ-01": 2, "DSJ-02": 8}},
    )

    draw = services.draw_sample(p, actor=world.inspector)
    client.force_login(world.inspector)
    page = client.get(p.get_absolute_url()).content.decode()

    assert _taken(draw, "footage") == {"DSJ-01": 2, "DSJ-02": len(world.items2)}
    assert draw.all_taken == ["footage:DSJ-02"]
    assert {e.stratum for e in draw.entries.all()} == {"DSJ-01", "DSJ-02"}
    assert page.count('data-testid="stratum-all-taken"') == 1
    assert "全部抽取" in page


def test_strata_not_listed_take_the_size_for_the_others_and_zero_leaves_them_out(world):
    b = world.bureau
    p = plan(
        world,
        cases_per_stratum=0,
        footage_per_stratum=1,
        stratum_sizes={"footage": {str(b.section1.pk): 3}},
    )

    draw = services.draw_sample(p, actor=world.inspector)

    assert draw.sample["case"] == {}
    assert _taken(draw, "footage") == {str(b.section1.pk): 3, str(b.section2.pk): 1}


@pytest.mark.parametrize(
    "values",
    [
        {"stratum_sizes": {"case": {"999999": 2}}},  # no such section
        {"case_strata": "cause", "stratum_sizes": {"case": {"999999": 2}}},  # no such cause
        {"stratum_sizes": {"photo": {"1": 2}}},  # not a kind that is sampled
        {"stratum_sizes": {"case": {"1": -1}}},
        {"case_strata": "officer"},
        {"cases_per_stratum": 0, "footage_per_stratum": 0, "stratum_sizes": {"case": {}}},
    ],
)
def test_a_table_naming_what_is_not_a_stratum_of_the_bureau_is_refused(world, values):
    with pytest.raises(services.SupervisionError):
        plan(world, start=False, **values)

    assert not InspectionPlan.objects.exists()


def test_a_section_of_another_bureau_is_not_a_stratum(world):
    other = world.bureau.other_county

    with pytest.raises(services.SupervisionError, match=str(other.pk)):
        plan(world, start=False, stratum_sizes={"case": {str(other.pk): 1}})


def test_the_plan_form_takes_the_size_table_of_the_stratification_chosen(world, client):
    first, second = _two_causes(world)
    client.force_login(world.inspector)
    form = client.get(reverse("supervision:plan_create")).context["form"]
    rows = {(kind, by, stratum): name for kind, by, stratum, name in form.size_rows}
    today = form.initial["period_end"]

    response = client.post(
        reverse("supervision:plan_create"),
        {
            "title": "按案由抽查",
            "period_start": form.initial["period_start"].isoformat(),
            "period_end": today.isoformat(),
            "case_strata": "cause",
            "footage_strata": "section",
            "cases_per_stratum": "1",
            "footage_per_stratum": "0",
            rows[("case", "cause", str(first.pk))]: "4",
            # A row of the stratification not chosen does not count.
            rows[("case", "section", str(world.bureau.section1.pk))]: "7",
        },
    )

    assert response.status_code == 302
    p = InspectionPlan.objects.get(title="按案由抽查")
    assert p.case_strata == "cause"
    assert p.stratum_sizes == {"case": {str(first.pk): 4}, "footage": {}}


def test_the_api_takes_and_gives_the_sizes_per_stratum(world, api_client):
    api_client.force_authenticate(world.inspector)
    today = world.cases1[0].discovered_on

    created = api_client.post(
        reverse("api:inspection-plan-list"),
        {
            "title": "按设备抽查",
            "period_start": "2026-01-01",
            "period_end": today.isoformat(),
            "footage_strata": "source",
            "stratum_sizes": {"footage": {"DSJ-01": 3}},
            "cases_per_stratum": 0,
            "footage_per_stratum": 0,
        },
        format="json",
    )
    refused = api_client.post(
        reverse("api:inspection-plan-list"),
        {
            "title": "坏的表",
            "period_start": "2026-01-01",
            "period_end": today.isoformat(),
            "stratum_sizes": {"footage": {"DSJ-01": -3}},
        },
        format="json",
    )

    assert created.status_code == 201, created.json()
    assert created.json()["stratum_sizes"] == {"case": {}, "footage": {"DSJ-01": 3}}
    assert created.json()["footage_strata"] == "source"
    assert refused.status_code == 400
    assert not InspectionPlan.objects.filter(title="坏的表").exists()
