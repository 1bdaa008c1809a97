"""The demo bureau's inspection work: a plan with a drawn sample, reviews, and orders in
each state (found by ``core.demo``'s autodiscovery; everything through the services)."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from django.utils import timezone

from fullrecord.core.demo import populate

from . import figures, services
from .choices import CaseStrata, SampleKind


@populate
def inspection_work(users: dict, cases: list) -> None:
    inspector = users["inspector"]
    today = timezone.localdate()
    # Case files per case type (more of the commonest one), footage per section.
    common = Counter(case.cause_id for case in cases).most_common(1)
    plan = services.create_plan(
        actor=inspector,
        title=f"{today.year}年第四季度执法案卷和音像记录抽查",
        period_start=today - timedelta(days=150),
        period_end=today,
        case_strata=CaseStrata.CAUSE,
        stratum_sizes={"case": {str(common[0][0]): 4}} if common else {},
        cases_per_stratum=2,
        footage_per_stratum=2,
        media_kinds=["video", "audio"],
    )
    services.start_plan(plan, actor=inspector)
    draw = services.draw_sample(plan, actor=inspector)
    case_entries = list(draw.entries.filter(kind=SampleKind.CASE))
    footage_entries = list(draw.entries.filter(kind=SampleKind.FOOTAGE))

    reviews = []
    for entry in case_entries[:2]:
        review = services.open_review(entry, actor=inspector)
        scores = [
            {"item": item.pk, "points": max(item.max_score - 3 * n, 0)}
            for n, item in enumerate(services.rubric("case"))
        ]
        reviews.append(
            services.score_review(
                review,
                actor=inspector,
                scores=scores,
                comment="卷宗基本齐全，个别阶段缺少记录。",
                submit=entry is case_entries[0],
            )
        )
    if footage_entries:
        review = services.open_review(footage_entries[0], actor=inspector)
        services.add_mark(review, actor=inspector, at_seconds=0.5, note="到达现场，开始记录")
        answers = ["yes", "yes", "no", "yes"]
        services.score_review(
            review,
            actor=inspector,
            scores=[
                {"item": item.pk, "answer": answers[n % len(answers)]}
                for n, item in enumerate(services.rubric("footage"))
            ],
            comment="未见告知当事人正在记录。",
            submit=True,
        )

    soon = today + timedelta(days=10)
    first = reviews[0] if reviews else None
    services.issue_rectification(
        actor=inspector,
        finding="立案阶段缺少现场勘验音像记录（第十一条）。",
        requirement="补充立案阶段的现场记录或书面说明。",
        deadline=soon,
        assignee=users["officer1"],
        review=first,
    )
    answered = services.issue_rectification(
        actor=inspector,
        finding="执法记录仪 DSJ-0107 记录中断 34 秒（第九条第三项）。",
        deadline=soon,
        assignee=users["officer1"],
    )
    services.answer_rectification(
        answered, actor=users["officer1"], answer="已说明中断原因为电池更换，并组织复训。"
    )
    closed = services.issue_rectification(
        actor=inspector,
        finding="DSJ-0112 拍摄的音像记录未关联任何案件或任务（第十八条第四项）。",
        deadline=soon,
        assignee_unit=users["head1"].org_unit,
    )
    services.answer_rectification(closed, actor=users["head1"], answer="已关联巡查任务。")
    services.judge_rectification(closed, actor=inspector, accept=True, note="核实无误，销号。")
    reopened = services.issue_rectification(
        actor=inspector,
        finding="调查询问笔录仅一名执法人员签名（第十条）。",
        deadline=soon,
        assignee=users["officer3"],
    )
    services.answer_rectification(reopened, actor=users["officer3"], answer="已补签。")
    services.judge_rectification(
        reopened, actor=inspector, accept=False, note="请同时补充执法证号。", deadline=soon
    )
    figures.refresh()
