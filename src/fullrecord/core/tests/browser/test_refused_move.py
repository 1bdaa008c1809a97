"""Journey: a move the rules forbid is refused with its reason and changes nothing."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from fullrecord.accounts.choices import Role
from fullrecord.cases import services
from fullrecord.cases.choices import CaseState
from fullrecord.cases.models import Case, CaseDeadline, CaseTransition, Cause
from fullrecord.cases.validators import compute_resident_id_check
from fullrecord.core.testing.browser import label_zh, sign_in, zh

# Not about records: moves need only what cases itself asks (core.testing.workflow).
pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("without_record_requirements")]

FIRST17 = "13052419780615002"
RESIDENT_ID = FIRST17 + compute_resident_id_check(FIRST17)
NO_PARTY = "Record at least one party (当事人) before filing."


@pytest.fixture
def stopped_case(bureau) -> Case:
    """A stopped case of section one with one party, worked by the two officers."""
    case = services.create_case(
        actor=bureau.head,
        cause=Cause.objects.get(code="illegal-occupation"),
        source="patrol",
        org_unit=bureau.section1,
        address="清河县连庄镇西杨庄砂场",
        parties=[
            {
                "kind": "person",
                "name": "李某某",
                "id_type": "resident_id",
                "id_number": RESIDENT_ID,
            }
        ],
        officers=[bureau.officer, bureau.officer2],
    )
    services.do_transition(case, "stop", actor=bureau.officer, reason="已责令停止")
    return case


def _unchanged(case: Case) -> None:
    case.refresh_from_db()
    assert case.state == CaseState.STOPPED
    assert not CaseTransition.objects.filter(case=case, to_state=CaseState.FILED).exists()
    assert not CaseDeadline.objects.filter(case=case, rule__code="decision_90").exists()


def test_a_blocked_move_lists_what_stands_in_its_way(page, bureau, stopped_case):
    party = stopped_case.parties.get()
    services.remove_party(party, actor=bureau.head)

    sign_in(page, "head")
    page.goto(stopped_case.get_absolute_url())
    option = page.get_by_test_id("option-file")
    expect(option).to_have_class("transition blocked")
    expect(page.get_by_test_id("blockers-file")).to_have_text(zh(NO_PARTY))
    expect(page.get_by_test_id("do-file")).to_be_disabled()
    _unchanged(stopped_case)


def test_a_move_made_stale_is_refused_with_its_reason(page, bureau, stopped_case):
    sign_in(page, "head")
    page.goto(stopped_case.get_absolute_url())
    expect(page.get_by_test_id("do-file")).to_be_enabled()

    # Meanwhile an officer takes the only party off the case.
    services.remove_party(stopped_case.parties.get(), actor=bureau.officer)
    page.get_by_test_id("do-file").click()

    expect(page.locator(".messages .msg-error")).to_have_text(zh(NO_PARTY))
    expect(page.get_by_test_id("case-state")).to_have_text(label_zh(CaseState.STOPPED))
    _unchanged(stopped_case)


def test_an_officer_may_not_file_and_a_forged_request_says_why(page, bureau, stopped_case):
    services.remove_party(stopped_case.parties.get(), actor=bureau.head)
    sign_in(page, "officer")
    page.goto(stopped_case.get_absolute_url())
    expect(page.get_by_test_id("do-stop")).to_have_count(0)
    expect(page.get_by_test_id("option-not_file")).to_have_count(0)
    expect(page.get_by_test_id("do-file")).to_have_count(0)

    # The button is not there; send the move anyway, as a stale or forged form would.
    token = page.locator("input[name=csrfmiddlewaretoken]").first.input_value()
    response = page.request.post(
        f"{stopped_case.get_absolute_url()}transitions/file/",
        form={"csrfmiddlewaretoken": token, "reason": ""},
        max_redirects=0,
    )
    assert response.status == 302
    page.reload()
    errors = page.locator(".messages .msg-error")
    expect(errors).to_have_count(2)
    expect(errors.first).to_contain_text(label_zh(Role.SECTION_HEAD))
    expect(errors.last).to_have_text(zh(NO_PARTY))
    expect(page.get_by_test_id("case-state")).to_have_text(label_zh(CaseState.STOPPED))
    _unchanged(stopped_case)
