"""Journey (issue 13): an inspector creates a plan, starts it, draws its sample, scores a case file
and a video (played in the browser, a moment marked), orders correction; the officer
answers; the inspector accepts and closes the order."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from fullrecord.cases import services as case_services
from fullrecord.core.testing.browser import (
    DESKTOP,
    label_zh,
    new_page,
    press_play,
    sign_in,
    snapshot,
)
from fullrecord.core.testing.factories import CauseFactory
from fullrecord.media.services import link_to_case
from fullrecord.media.tests.mediafiles import ingest_file, make_video
from fullrecord.supervision.choices import PlanState, RectificationState, ReviewState
from fullrecord.supervision.models import FootageMark, InspectionPlan, Rectification, Review

pytestmark = pytest.mark.browser


@pytest.fixture
def case_and_video(bureau, tmp_path):
    case = case_services.create_case(
        actor=bureau.head,
        cause=CauseFactory(),
        source="patrol",
        org_unit=bureau.section1,
        address="甲村",
        officers=[bureau.officer, bureau.officer2],
    )
    item = ingest_file(
        make_video(tmp_path / "甲村现场.mp4", seconds=2, size=(320, 240)), actor=bureau.officer
    )
    link_to_case(item, case, stage="discovery", actor=bureau.officer)
    return case, item


def test_plan_draw_review_order_answer_close(browser, site, bureau, case_and_video):
    case, item = case_and_video
    inspector, inspector_errors = new_page(browser, site, DESKTOP)
    officer, officer_errors = new_page(browser, site, DESKTOP)

    # The inspector plans an inspection and draws its sample.
    sign_in(inspector, "inspector")
    inspector.goto("/supervision/")
    inspector.get_by_test_id("new-plan").click()
    inspector.locator("#id_title").fill("第四季度案卷和音像记录抽查")
    inspector.locator("#id_cases_per_stratum").fill("2")
    inspector.locator("#id_footage_per_stratum").fill("2")
    inspector.locator("[data-testid=plan-form] button[type=submit]").click()
    expect(inspector.get_by_test_id("plan-state")).to_have_text(label_zh(PlanState.DRAFT))
    # Starting the plan (开始) fixes its seed; then the sample is drawn with it.
    inspector.get_by_test_id("start").click()
    expect(inspector.get_by_test_id("seed")).to_be_visible()
    expect(inspector.get_by_test_id("plan-state")).to_have_text(label_zh(PlanState.ACTIVE))
    inspector.get_by_test_id("draw").click()
    expect(inspector.get_by_test_id("stratum-all-taken").first).to_be_visible()
    expect(inspector.get_by_test_id("all-taken")).to_be_visible()
    plan = InspectionPlan.objects.get()
    assert plan.seed and plan.seed_tree_size

    # A case-file review: the machine's findings are there; every criterion scored.
    inspector.get_by_test_id(f"review-case-{case.number}").click()
    expect(inspector.get_by_test_id("machine-checks")).to_be_visible()
    for n in range(1, 6):
        inspector.get_by_test_id(f"points-{n}").fill("10")
    inspector.get_by_test_id("submit-review").click()
    expect(inspector.get_by_test_id("review-state")).to_contain_text(
        label_zh(ReviewState.SUBMITTED)
    )
    case_review = Review.objects.get(kind="case")
    assert case_review.state == "submitted" and case_review.score is not None

    # It orders correction to the officer.
    inspector.get_by_test_id("order-correction").click()
    inspector.locator("#id_finding").fill("立案阶段缺少现场记录")
    inspector.locator("#id_assignee").select_option(str(bureau.officer.pk))
    inspector.get_by_test_id("issue").click()
    expect(inspector.get_by_test_id("order-state")).to_have_text(label_zh(RectificationState.OPEN))
    order = Rectification.objects.get()

    # A footage review: the video plays, a moment is marked, the checklist answered.
    inspector.goto(f"/supervision/plans/{plan.pk}/")
    inspector.get_by_test_id(f"review-item-{item.pk}").click()
    player = press_play(inspector)
    player.evaluate("el => { el.muted = true; el.currentTime = 1.0; }")
    inspector.get_by_test_id("mark-now").click()
    inspector.get_by_test_id("mark-note").fill("到达现场，开始告知")
    inspector.get_by_test_id("mark-save").click()
    expect(inspector.get_by_test_id("marks")).to_contain_text("到达现场，开始告知")
    assert FootageMark.objects.get().at_seconds >= 0
    for n in range(1, 5):
        inspector.get_by_test_id(f"answer-{n}").select_option("yes")
    inspector.get_by_test_id("submit-review").click()
    expect(inspector.get_by_test_id("review-state")).to_contain_text(
        label_zh(ReviewState.SUBMITTED)
    )
    assert Review.objects.get(kind="footage").score == 100
    snapshot(inspector, "supervision-footage-review")

    # The officer answers the order.
    sign_in(officer, "officer")
    officer.goto("/supervision/rectifications/")
    officer.get_by_role("link", name=order.number).click()
    officer.locator("#id_answer").fill("已补充立案阶段现场照片")
    officer.get_by_test_id("send-answer").click()
    expect(officer.get_by_test_id("order-state")).to_have_text(
        label_zh(RectificationState.ANSWERED)
    )

    # The inspector accepts and closes it.
    inspector.goto(f"/supervision/rectifications/{order.pk}/")
    expect(inspector.get_by_test_id("order-answer")).to_contain_text("已补充立案阶段现场照片")
    inspector.get_by_test_id("accept").click()
    expect(inspector.get_by_test_id("order-state")).to_have_text(
        label_zh(RectificationState.CLOSED)
    )
    order.refresh_from_db()
    assert order.state == "closed"

    # The dashboard draws its charts.
    inspector.goto("/supervision/dashboard/")
    expect(inspector.locator("[data-chart=rates][data-rendered='1']")).to_be_visible()
    snapshot(inspector, "supervision-dashboard")

    for page in (inspector, officer):
        page.context.close()
    assert not inspector_errors and not officer_errors, inspector_errors + officer_errors
