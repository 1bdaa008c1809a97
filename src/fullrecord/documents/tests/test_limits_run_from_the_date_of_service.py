"""告知后五日内, 自收到行政处罚决定书之日起十五日内: the party's limits count from the
day the document was served, as recorded, not from the day the case moved."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from fullrecord.audit.models import AuditEntry
from fullrecord.cases.choices import CaseState
from fullrecord.cases.deadlines import due_date, on_state_entered
from fullrecord.cases.models import CaseDeadline, TimeLimitRule
from fullrecord.documents import services

from .helpers import DECISION, PNG, issued, ready_case

pytestmark = pytest.mark.django_db

# A Wednesday with no holiday near it, so working days are plain to count.
SERVED = date(2026, 6, 10)


def serve(document, actor, served_on: date):
    return services.record_service(
        document,
        actor=actor,
        method="direct",
        served_on=served_on,
        recipient="王某某",
        proof_name="回证.png",
        proof_chunks=[PNG],
    )


def at(day: date):
    return time_machine.travel(
        timezone.make_aware(datetime.combine(day, datetime.min.time().replace(hour=10))),
        tick=False,
    )


def test_the_party_windows_move_to_the_day_the_notice_was_served(bureau):
    with at(SERVED - timedelta(days=6)):
        case = ready_case(bureau, CaseState.NOTIFIED, windows="open")
        notice = issued(case, "penalty_notice", bureau)
    moved_on = case.deadlines.get(rule__code="statement_window").started_on

    with at(SERVED + timedelta(days=2)):
        serve(notice, bureau.officer, served_on=SERVED)

    for code in ("statement_window", "hearing_request_window"):
        window = case.deadlines.get(rule__code=code, cancelled=False)
        assert window.started_on == SERVED != moved_on
        assert window.due_on == due_date(TimeLimitRule.objects.get(code=code), SERVED).date
        assert notice.number in window.counted_from
    entry = AuditEntry.objects.get(action="document.serve", object_id=str(notice.pk))
    assert {d["rule"] for d in entry.data["deadlines"]} == {
        "statement_window",
        "hearing_request_window",
    }
    assert {d["from"] for d in entry.data["deadlines"]} == {SERVED.isoformat()}


def test_the_case_page_and_the_api_say_what_a_limit_counts_from(bureau, client):
    with at(SERVED - timedelta(days=6)):
        case = ready_case(bureau, CaseState.NOTIFIED, windows="open")
        notice = issued(case, "penalty_notice", bureau)
    with at(SERVED + timedelta(days=2)):
        serve(notice, bureau.officer, served_on=SERVED)
        client.force_login(bureau.officer)
        page = client.get(f"/cases/{case.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
        api = client.get(f"/api/cases/{case.pk}/deadlines/")

    html = page.content.decode()
    assert "起算依据：" in html and f"{notice.number}于2026-06-10送达（直接送达）" in html
    [statement] = [d for d in api.json() if d["name"] == "当事人陈述、申辩期间"]
    assert statement["started_on"] == SERVED.isoformat()
    assert notice.number in statement["counted_from"]


def test_serving_the_decision_starts_payment_and_reconsideration_once(bureau):
    with at(SERVED - timedelta(days=1)):
        case = ready_case(bureau, CaseState.DECIDED)
        decision = issued(case, "penalty_decision", bureau, **DECISION)
    with at(SERVED + timedelta(days=1)):
        serve(decision, bureau.officer, served_on=SERVED)
        # What the move into 已送达 does to the limits (its other checks are elsewhere).
        on_state_entered(case, CaseState.SERVED, timezone.localdate(), {})

    payment = case.deadlines.get(rule__code="payment_15")
    assert (payment.started_on, payment.due_on) == (SERVED, SERVED + timedelta(days=15))
    reconsideration = case.deadlines.get(rule__code="reconsideration_60")
    # 2026-08-09 is a Sunday: a period ending on a rest day ends on the next working day.
    assert reconsideration.due_on == date(2026, 8, 10)
    # The move into 已送达 did not start a second count from the day it was made.
    assert CaseDeadline.objects.filter(case=case, rule__code="payment_15").count() == 1


def test_a_later_service_of_the_same_document_does_not_move_the_count(bureau):
    with at(SERVED - timedelta(days=1)):
        case = ready_case(bureau, CaseState.DECIDED)
        decision = issued(case, "penalty_decision", bureau, **DECISION)
    with at(SERVED + timedelta(days=5)):
        serve(decision, bureau.officer, served_on=SERVED)
        serve(decision, bureau.officer, served_on=SERVED + timedelta(days=4))

    assert case.deadlines.get(rule__code="payment_15").started_on == SERVED


def test_a_limit_the_administrator_switched_off_is_not_started(bureau):
    TimeLimitRule.objects.filter(code="payment_15").update(active=False)
    with at(SERVED - timedelta(days=1)):
        case = ready_case(bureau, CaseState.DECIDED)
        decision = issued(case, "penalty_decision", bureau, **DECISION)
    with at(SERVED):
        serve(decision, bureau.officer, served_on=SERVED)

    assert not case.deadlines.filter(rule__code="payment_15").exists()
    assert case.deadlines.filter(rule__code="reconsideration_60").exists()
