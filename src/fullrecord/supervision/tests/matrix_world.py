"""The supervision objects the endpoint matrix (core/tests/test_endpoint_matrix.py) calls with.

In the matrix's bureau: a drawn plan whose case1 has a case-file review and whose item1
has a footage review (case2's entry not reviewed yet), a draft plan to edit and start, a
started plan to draw, an open order to the officer and one the officer has answered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from fullrecord.supervision import services
from fullrecord.supervision.models import (
    InspectionPlan,
    Rectification,
    Review,
    RubricItem,
    SampleEntry,
)

PLAN_TITLE = "矩阵检查计划"


@dataclass
class SupervisionWorld:
    plan: InspectionPlan
    draft: InspectionPlan
    started: InspectionPlan
    review: Review
    footage_review: Review
    open_entry: SampleEntry
    order: Rectification
    answered: Rectification
    rubric_item: RubricItem


def build(b, case1, case2, item1) -> SupervisionWorld:
    today = timezone.localdate()
    scope = {
        "period_start": today - timedelta(days=30),
        "period_end": today,
        "cases_per_stratum": 1,
        "footage_per_stratum": 1,
        "media_kinds": ["photo", "video", "audio"],
    }
    plan = services.create_plan(actor=b.inspector, title=PLAN_TITLE, **scope)
    services.start_plan(plan, actor=b.inspector)
    draw = services.draw_sample(plan, actor=b.inspector)
    review = services.open_review(draw.entries.get(case=case1), actor=b.inspector)
    footage_review = services.open_review(draw.entries.get(item=item1), actor=b.inspector)
    draft = services.create_plan(actor=b.inspector, title="矩阵草稿计划", **scope)
    started = services.create_plan(actor=b.inspector, title="矩阵已开始计划", **scope)
    services.start_plan(started, actor=b.inspector)
    deadline = today + timedelta(days=10)
    order = services.issue_rectification(
        actor=b.inspector, finding="矩阵：缺少记录", deadline=deadline, assignee=b.officer
    )
    answered = services.issue_rectification(
        actor=b.inspector, finding="矩阵：记录中断", deadline=deadline, assignee=b.officer
    )
    services.answer_rectification(answered, actor=b.officer, answer="已整改")
    return SupervisionWorld(
        plan=plan,
        draft=draft,
        started=started,
        review=review,
        footage_review=footage_review,
        open_entry=draw.entries.get(case=case2),
        order=order,
        answered=answered,
        rubric_item=RubricItem.objects.filter(kind="case").first(),
    )
