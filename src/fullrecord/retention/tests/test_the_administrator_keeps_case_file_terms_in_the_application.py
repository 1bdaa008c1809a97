"""第十二条: the administrator (系统管理员) adds, edits and deactivates case-file terms in the
application — page and API — each with a reason and an audit entry, and the keep-until
dates of the evidence of closed cases follow at once (the tests' task backend runs the
recomputation queued when the change commits)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from fullrecord.audit.models import AuditEntry
from fullrecord.retention import services, terms
from fullrecord.retention.choices import Outcome
from fullrecord.retention.models import CaseFileTerm

from .helpers import case_of, end_case, footage, keep_until, link, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def archived(bureau):
    """Evidence of a penalty case archived today: kept 30 years by the seeded term."""
    evidence = footage(bureau.officer)
    case = case_of(bureau)
    link(evidence, case, bureau.officer)
    end_case(case, bureau.archivist)
    assert keep_until(evidence) == services.add_years(today(), 30)
    return evidence, case


def _penalty_term() -> CaseFileTerm:
    return CaseFileTerm.objects.get(outcome=Outcome.PENALTY, years=30)


def test_editing_a_term_on_the_page_moves_the_date_and_is_recorded(
    bureau, client, archived, django_capture_on_commit_callbacks
):
    evidence, _case = archived
    term = _penalty_term()
    client.force_login(bureau.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("retention:term_edit", args=[term.pk]),
            {"name": term.name, "outcome": term.outcome, "years": 20, "reason": "新档案规定"},
        )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert keep_until(evidence) == services.add_years(today(), 20)
    entry = AuditEntry.objects.get(action="retention.term_changed")
    assert entry.actor == bureau.admin and entry.data["reason"] == "新档案规定"
    assert (entry.data["before"]["years"], entry.data["after"]["years"]) == (30, 20)
    recomputed = AuditEntry.objects.filter(action="retention.recomputed").latest("seq")
    assert recomputed.actor == bureau.admin and recomputed.seq > entry.seq


def test_deactivating_the_only_term_keeps_the_evidence_until_one_is_set(
    bureau, client, archived, django_capture_on_commit_callbacks
):
    evidence, _case = archived
    term = _penalty_term()
    client.force_login(bureau.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("retention:term_active", args=[term.pk]), {"active": "0", "note": "改用新规"}
        )

    assert response.status_code == 302
    term.refresh_from_db()
    assert not term.active
    evidence.refresh_from_db()
    assert evidence.retention.forever and evidence.keep_until is None
    entry = AuditEntry.objects.get(action="retention.term_deactivated")
    assert entry.data["reason"] == "改用新规"


def test_a_term_added_through_the_api_for_the_case_s_cause_is_followed(
    bureau, api_client, archived, django_capture_on_commit_callbacks
):
    evidence, case = archived
    api_client.force_authenticate(bureau.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(
            "/api/retention-terms/",
            {
                "name": "重大案件五十年",
                "outcome": Outcome.PENALTY,
                "years": 50,
                "causes": [case.cause_id],
                "reason": "重大案件",
            },
            format="json",
        )

    assert response.status_code == 201, response.json()
    assert response.json()["causes"] == [case.cause_id]
    assert keep_until(evidence) == services.add_years(today(), 50)
    assert AuditEntry.objects.filter(action="retention.term_added", actor=bureau.admin).exists()


def test_the_api_edits_and_deactivates_with_a_reason(
    bureau, api_client, archived, django_capture_on_commit_callbacks
):
    evidence, _case = archived
    term = _penalty_term()
    api_client.force_authenticate(bureau.admin)
    with django_capture_on_commit_callbacks(execute=True):
        changed = api_client.patch(
            f"/api/retention-terms/{term.pk}/", {"years": 15, "reason": "缩短"}, format="json"
        )
    assert changed.status_code == 200, changed.json()
    assert keep_until(evidence) == services.add_years(today(), 15)

    with django_capture_on_commit_callbacks(execute=True):
        off = api_client.post(
            f"/api/retention-terms/{term.pk}/deactivate", {"reason": "停用"}, format="json"
        )
        on = api_client.post(
            f"/api/retention-terms/{term.pk}/activate", {"reason": "恢复"}, format="json"
        )
    assert (off.status_code, off.json()["active"]) == (200, False)
    assert (on.status_code, on.json()["active"]) == (200, True)
    assert keep_until(evidence) == services.add_years(today(), 15)


def test_a_change_without_a_reason_or_with_a_bad_length_is_refused_and_changes_nothing(
    bureau, api_client
):
    term = _penalty_term()
    api_client.force_authenticate(bureau.admin)

    no_reason = api_client.patch(f"/api/retention-terms/{term.pk}/", {"years": 5}, format="json")
    blank = api_client.patch(
        f"/api/retention-terms/{term.pk}/", {"years": 5, "reason": "  "}, format="json"
    )
    zero = api_client.patch(
        f"/api/retention-terms/{term.pk}/", {"years": 0, "reason": "零年"}, format="json"
    )

    assert (no_reason.status_code, blank.status_code, zero.status_code) == (400, 400, 400)
    term.refresh_from_db()
    assert term.years == 30
    assert not AuditEntry.objects.filter(action__startswith="retention.term_").exists()
    with pytest.raises(services.RetentionError):
        terms.change_term(term, actor=bureau.admin, reason="太长", years=500)


def test_nobody_but_the_administrator_changes_a_term(bureau):
    term = _penalty_term()
    for person in (bureau.archivist, bureau.leader, bureau.inspector, bureau.officer):
        with pytest.raises(services.RetentionError):
            terms.change_term(term, actor=person, reason="越权", years=1)
        with pytest.raises(services.RetentionError):
            terms.set_active(term, actor=person, active=False, reason="越权")
    term.refresh_from_db()
    assert (term.years, term.active) == (30, True)
