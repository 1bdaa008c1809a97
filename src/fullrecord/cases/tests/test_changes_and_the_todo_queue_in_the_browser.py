"""Journeys: an officer asks to change a filed case's discovery date and the section head
approves it from the to-do queue; the queue leads each person to the work; on a phone the
case page shows the next action first and the case list folds its filters away."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from fullrecord.cases.choices import CaseState
from fullrecord.cases.models import Case
from fullrecord.core.testing.browser import DESKTOP, PHONE, new_page, sign_in, snapshot, zh

from .helpers import ready_case

pytestmark = pytest.mark.browser


def test_the_officer_asks_a_change_and_the_head_approves_it_from_the_queue(browser, site, bureau):
    case = ready_case(bureau, CaseState.INVESTIGATING)
    new_day = case.discovered_on - timedelta(days=2)

    page, errors = new_page(browser, site, DESKTOP)
    sign_in(page, "officer")
    page.goto(f"/cases/{case.pk}/edit/")
    page.locator("#id_discovered_on").fill(new_day.isoformat())
    page.locator("#id_reason").fill("巡查日志记载的发现日期为两天前")
    page.get_by_role("button", name=zh("Save")).click()
    expect(page.get_by_role("status").first).to_contain_text(
        zh("The change is waiting for the section head's approval.")
    )
    expect(page.get_by_test_id("changes")).to_contain_text(zh("Awaiting approval"))
    assert Case.objects.get(pk=case.pk).discovered_on == case.discovered_on
    page.context.close()

    page, errors2 = new_page(browser, site, DESKTOP)
    sign_in(page, "head")
    queue = page.get_by_test_id("todo")
    link = (
        queue.get_by_test_id("todo-link")
        .filter(has_text=case.number)
        .filter(has_text=new_day.isoformat())
    )
    link.click()
    page.wait_for_url(f"**/cases/{case.pk}/**")
    change = page.get_by_test_id("changes")
    change.get_by_role("button", name=zh("Approve")).click()
    expect(page.get_by_role("status").first).to_contain_text(
        zh("The change is approved and in effect.")
    )
    expect(page.get_by_test_id("timeline")).to_contain_text(new_day.isoformat())
    snapshot(page, "case-change-approved")
    assert Case.objects.get(pk=case.pk).discovered_on == new_day
    page.context.close()
    assert not errors and not errors2, errors + errors2


@pytest.mark.usefixtures("without_record_requirements")  # the queue, not the case file
def test_the_queue_leads_the_head_to_file_and_the_officer_is_told_next(browser, site, bureau):
    case = ready_case(bureau, CaseState.STOPPED)
    page, errors = new_page(browser, site, DESKTOP)
    sign_in(page, "head")

    page.get_by_test_id("todo").get_by_test_id("todo-link").filter(has_text=case.number).click()
    page.get_by_test_id("do-file").click()
    expect(page.get_by_test_id("case-state")).to_have_text(str(CaseState.FILED.label))
    page.context.close()

    page, errors2 = new_page(browser, site, DESKTOP)
    sign_in(page, "officer")
    # The officer is now the next actor: the move is in the queue and a notification came.
    expect(page.get_by_test_id("unread")).to_be_visible()
    page.get_by_test_id("todo").get_by_test_id("todo-link").filter(has_text=case.number).click()
    expect(page.get_by_test_id("option-investigate")).to_be_visible()
    page.context.close()
    assert not errors and not errors2, errors + errors2


def test_on_a_phone_the_next_action_comes_first_and_filters_fold(browser, site, bureau):
    case = ready_case(bureau, CaseState.FILED)
    page, errors = new_page(browser, site, PHONE)
    sign_in(page, "officer")

    page.goto(f"/cases/{case.pk}/")
    actions = page.locator("#actions").bounding_box()
    facts = page.get_by_role("heading", name=zh("Facts")).bounding_box()
    evidence = page.locator("#evidence").bounding_box()
    assert actions["y"] < evidence["y"] < facts["y"]
    snapshot(page, "phone-case-page")

    page.goto("/cases/")
    filters = page.locator("#case-filters")
    expect(filters).to_be_hidden()
    page.get_by_test_id("filters-toggle").click()
    expect(filters).to_be_visible()
    page.context.close()
    assert not errors, errors
