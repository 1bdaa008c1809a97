"""Opening a review pre-fills what the data settles; scores and submission follow the rubric."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from fullrecord.cases.models import CaseDeadline, CaseTransition, TimeLimitRule
from fullrecord.media.services import link_to_case
from fullrecord.supervision import services
from fullrecord.supervision.choices import SampleKind
from fullrecord.supervision.models import SampleEntry
from fullrecord.supervision.services import SupervisionError

from .world import plan


def _review_of_case(world, case):
    p = plan(world, cases_per_stratum=50, footage_per_stratum=0)
    draw = services.draw_sample(p, actor=world.inspector)
    entry = SampleEntry.objects.get(draw=draw, case=case)
    return services.open_review(entry, actor=world.inspector)


def _by_label(review):
    return {s.item.label: s for s in review.scores.select_related("item")}


def test_a_stage_without_records_and_a_lone_officer_are_found(world):
    case = world.cases2[0]  # one officer only
    CaseTransition.objects.create(
        case=case,
        name="investigate",
        from_state="filed",
        to_state="investigating",
        actor=world.bureau.leader,
    )

    review = _review_of_case(world, case)

    found = {c["check"]: c for c in review.machine_findings}
    assert found["records"]["ok"] is False
    assert any("调查取证" in m or "Investigation" in m for m in found["records"]["messages"])
    assert found["officers"]["ok"] is False
    scores = _by_label(review)
    assert scores["全过程记录完整性"].points == 0 and scores["全过程记录完整性"].prefilled
    assert scores["程序合法"].points == 0


def test_a_case_with_footage_at_its_stage_and_two_officers_passes_those_checks(world):
    case = world.cases1[0]
    link_to_case(world.items1[0], case, stage="discovery", actor=world.bureau.officer)

    review = _review_of_case(world, case)

    found = {c["check"]: c for c in review.machine_findings}
    assert found["records"]["ok"] is True
    assert found["officers"]["ok"] is True
    assert _by_label(review)["全过程记录完整性"].points == 25


def test_an_overdue_time_limit_is_found(world):
    case = world.cases1[1]
    rule = TimeLimitRule.objects.filter(kind="limit").first()
    CaseDeadline.objects.create(
        case=case,
        rule=rule,
        kind="limit",
        started_on=timezone.localdate() - timedelta(days=40),
        due_on=timezone.localdate() - timedelta(days=5),
    )

    review = _review_of_case(world, case)

    found = {c["check"]: c for c in review.machine_findings}
    assert found["time_limits"]["ok"] is False
    assert _by_label(review)["办案时限"].points == 0


def test_submitting_needs_every_criterion_and_gives_a_percentage(world):
    review = _review_of_case(world, world.cases1[0])
    items = list(services.rubric("case"))

    with pytest.raises(SupervisionError):
        services.score_review(review, actor=world.inspector, scores=[], submit=True)

    review = services.score_review(
        review,
        actor=world.inspector,
        scores=[
            {"item": i.pk, "points": i.max_score // 2 if i.max_score % 2 == 0 else 0} for i in items
        ],
        comment="卷宗基本齐全",
        submit=True,
    )

    got = sum(i.max_score // 2 if i.max_score % 2 == 0 else 0 for i in items)
    assert review.state == "submitted"
    assert review.score == round(100 * got / sum(i.max_score for i in items))
    with pytest.raises(SupervisionError):
        services.score_review(review, actor=world.inspector, scores=[])


def test_footage_review_checks_interruptions_and_takes_marks(world):
    from fullrecord.media.models import MediaItem

    p = plan(world, cases_per_stratum=0, footage_per_stratum=50)
    draw = services.draw_sample(p, actor=world.inspector)
    item = world.items1[0]
    MediaItem.objects.filter(pk=item.pk).update(interrupted=True, gap_before=42.0, duration=120.0)
    entry = SampleEntry.objects.get(draw=draw, item=item, kind=SampleKind.FOOTAGE)

    review = services.open_review(entry, actor=world.inspector)
    mark = services.add_mark(
        review, actor=world.inspector, at_seconds=12.5, note="到达现场，开始告知"
    )

    assert {c["check"]: c["ok"] for c in review.machine_findings}["continuous"] is False
    assert _by_label(review)["记录连续完整"].answer == "no"
    assert mark.at_seconds == 12.5
    with pytest.raises(SupervisionError):
        services.add_mark(review, actor=world.inspector, at_seconds=500, note="超出时长")
    with pytest.raises(SupervisionError):
        services.add_mark(review, actor=world.bureau.leader, at_seconds=1, note="领导")


def test_only_the_team_reviews(world):
    p = plan(world)
    draw = services.draw_sample(p, actor=world.inspector)
    entry = draw.entries.first()

    for person in (world.bureau.leader, world.bureau.officer, world.bureau.outsider_leader):
        with pytest.raises(SupervisionError):
            services.open_review(entry, actor=person)
