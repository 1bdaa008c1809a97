"""The bad inputs issue 13 lists, each refused with a clear message and nothing lost."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from fullrecord.audit.models import AuditEntry
from fullrecord.supervision import services
from fullrecord.supervision.choices import SampleKind
from fullrecord.supervision.models import (
    InspectionPlan,
    Rectification,
    ReviewScore,
    SampleDraw,
    SeedIsImmutable,
)
from fullrecord.supervision.services import SupervisionError

from .world import plan


def test_a_sample_larger_than_its_population_takes_all_and_says_so(world):
    p = plan(world, cases_per_stratum=50, footage_per_stratum=1)

    draw = services.draw_sample(p, actor=world.inspector)

    s1, s2 = str(world.bureau.section1.pk), str(world.bureau.section2.pk)
    assert sorted(draw.sample["case"][s1]) == sorted(c.pk for c in world.cases1)
    assert sorted(draw.sample["case"][s2]) == sorted(c.pk for c in world.cases2)
    assert f"case:{s1}" in draw.all_taken and f"case:{s2}" in draw.all_taken
    assert not [s for s in draw.all_taken if s.startswith("footage")]
    assert len(draw.sample["footage"][s1]) == 1


def test_the_plan_page_says_all_were_taken(world, client):
    p = plan(world, cases_per_stratum=50)
    services.draw_sample(p, actor=world.inspector)
    client.force_login(world.inspector)

    page = client.get(reverse("supervision:plan", args=[p.pk])).content.decode()

    assert 'data-testid="all-taken"' in page


def test_an_empty_scope_is_refused(world):
    with pytest.raises(SupervisionError) as refused:
        plan(world, cases_per_stratum=0, footage_per_stratum=0)

    assert "empty" in str(refused.value).lower() or "范围" in str(refused.value)
    assert not InspectionPlan.objects.exists()


def test_a_scope_with_no_record_in_its_period_draws_nothing(world):
    long_ago = timezone.localdate() - timedelta(days=3000)
    p = plan(world, period_start=long_ago, period_end=long_ago + timedelta(days=10))

    with pytest.raises(SupervisionError):
        services.draw_sample(p, actor=world.inspector)

    assert not SampleDraw.objects.filter(plan=p).exists()
    assert not AuditEntry.objects.filter(action="supervision.draw").exists()


def test_the_api_refuses_an_empty_scope_with_400(world, api_client):
    api_client.force_authenticate(world.inspector)
    today = timezone.localdate()

    answer = api_client.post(
        reverse("api:inspection-plan-list"),
        {
            "title": "空计划",
            "period_start": (today - timedelta(days=30)).isoformat(),
            "period_end": today.isoformat(),
            "cases_per_stratum": 0,
            "footage_per_stratum": 0,
        },
        format="json",
    )

    assert answer.status_code == 400
    assert not InspectionPlan.objects.exists()


def _case_review(world, p):
    draw = services.draw_sample(p, actor=world.inspector)
    entry = draw.entries.filter(kind=SampleKind.CASE).first()
    return services.open_review(entry, actor=world.inspector)


def test_a_score_outside_the_rubric_is_refused(world):
    review = _case_review(world, plan(world))
    item = services.rubric("case").get(label="认定事实与适用法律")
    footage_item = services.rubric("footage").first()
    before = list(ReviewScore.objects.filter(review=review).values())

    for bad in (
        [{"item": item.pk, "points": item.max_score + 1}],
        [{"item": item.pk, "points": -1}],
        [{"item": item.pk, "points": "很多"}],
        [{"item": footage_item.pk, "answer": "yes"}],  # a criterion of the other kind
        [{"item": 999999, "points": 1}],
    ):
        with pytest.raises(SupervisionError):
            services.score_review(review, actor=world.inspector, scores=bad)

    assert list(ReviewScore.objects.filter(review=review).values()) == before


def test_a_footage_answer_outside_yes_no_na_is_refused(world):
    p = plan(world)
    draw = services.draw_sample(p, actor=world.inspector)
    review = services.open_review(
        draw.entries.filter(kind=SampleKind.FOOTAGE).first(), actor=world.inspector
    )
    question = services.rubric("footage").first()

    with pytest.raises(SupervisionError):
        services.score_review(
            review, actor=world.inspector, scores=[{"item": question.pk, "answer": "maybe"}]
        )


def test_the_api_answers_400_for_a_score_above_the_maximum(world, api_client):
    review = _case_review(world, plan(world))
    item = services.rubric("case").get(label="认定事实与适用法律")
    api_client.force_authenticate(world.inspector)

    answer = api_client.post(
        reverse("api:review-score", args=[review.pk]),
        {"scores": [{"item": item.pk, "points": 99}]},
        format="json",
    )

    assert answer.status_code == 400
    assert str(item.max_score) in str(answer.json())


def test_a_rectification_answered_by_someone_not_assigned_is_refused(world):
    b = world.bureau
    order = services.issue_rectification(
        actor=world.inspector,
        finding="调查阶段缺少现场勘验录像",
        deadline=timezone.localdate() + timedelta(days=10),
        assignee=b.officer,
    )

    for outsider in (b.officer2, b.other_officer, b.other_head, b.leader, b.inspector):
        with pytest.raises(SupervisionError):
            services.answer_rectification(order, actor=outsider, answer="已整改")

    order.refresh_from_db()
    assert order.state == "open" and order.answer == ""


def test_the_api_refuses_an_answer_from_the_wrong_officer(world, api_client):
    b = world.bureau
    order = services.issue_rectification(
        actor=world.inspector,
        finding="执法记录中断",
        deadline=timezone.localdate() + timedelta(days=10),
        assignee_unit=b.section2,
    )
    api_client.force_authenticate(b.head)  # head of section one: cannot see it at all

    answer = api_client.post(
        reverse("api:rectification-answer", args=[order.pk]), {"answer": "已整改"}, format="json"
    )

    assert answer.status_code == 404
    assert Rectification.objects.get(pk=order.pk).state == "open"


def test_a_redraw_after_reviews_started_needs_the_leaders_reason(world):
    p = plan(world)
    _case_review(world, p)

    with pytest.raises(SupervisionError):
        services.draw_sample(p, actor=world.inspector, reason="换一批")
    with pytest.raises(SupervisionError):
        services.draw_sample(p, actor=world.bureau.leader, reason="  ")
    assert SampleDraw.objects.filter(plan=p).count() == 1

    again = services.draw_sample(p, actor=world.bureau.leader, reason="一科案件移交后范围变化")

    assert again.number == 2 and again.reason == "一科案件移交后范围变化"
    entry = AuditEntry.objects.filter(action="supervision.draw").latest("seq")
    assert entry.data["reason"] == "一科案件移交后范围变化"


def test_a_redraw_before_reviews_keeps_the_seed(world):
    p = plan(world)
    first = services.draw_sample(p, actor=world.inspector)
    seed = InspectionPlan.objects.get(pk=p.pk).seed

    second = services.draw_sample(p, actor=world.inspector)

    assert InspectionPlan.objects.get(pk=p.pk).seed == seed
    assert second.sample == first.sample  # same seed, same population
    assert AuditEntry.objects.filter(action="supervision.draw").count() == 2


def test_the_seed_head_of_a_drawn_plan_cannot_be_changed(world, api_client):
    p = plan(world)
    services.draw_sample(p, actor=world.inspector)
    p.refresh_from_db()
    seed = (p.seed_tree_size, p.seed_root_hash, p.seed)

    with pytest.raises(SupervisionError):
        services.update_plan(p, actor=world.inspector, seed_tree_size=1)
    api_client.force_authenticate(world.inspector)
    answer = api_client.patch(
        reverse("api:inspection-plan-detail", args=[p.pk]),
        {"seed_root_hash": "0" * 64},
        format="json",
    )
    assert answer.status_code == 400
    p.seed_tree_size = 1
    with pytest.raises(SeedIsImmutable):
        p.save()

    p = InspectionPlan.objects.get(pk=p.pk)
    assert (p.seed_tree_size, p.seed_root_hash, p.seed) == seed
