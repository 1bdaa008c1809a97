"""第十条第三项: what a party must submit depends on the case's cause (案由) and on who the
party is: a person shows an ID card, a unit its licence and who may act for it. The
checklist is seeded per cause and edited by the administrator, audited; items are retired,
never deleted, and an edit marks the cases' completeness for recomputation."""

from __future__ import annotations

import pytest

from fullrecord.audit.models import AuditEntry
from fullrecord.cases.choices import CaseState
from fullrecord.cases.models import Case, Cause
from fullrecord.core.testing.factories import PartyFactory
from fullrecord.documents import papers
from fullrecord.documents.models import PaperItem

from .helpers import ready_case, unit_party, with_cause

pytestmark = pytest.mark.django_db


def names(case) -> dict[str, dict[str, bool]]:
    """Party name -> item name -> required."""
    return {
        c.party.name: {line.item.name: line.item.required for line in c.lines}
        for c in papers.checklists(case)
    }


@pytest.fixture
def admin_client(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", password="pw", full_name="root")
    client.force_login(admin)
    return client


def test_every_seeded_cause_asks_for_a_paper_of_its_own():
    for cause in Cause.objects.filter(active=True):
        own = PaperItem.objects.filter(cause=cause, required=True, active=True)
        assert own.exists(), cause.name


def test_a_person_shows_an_id_card_and_a_unit_its_licence_and_representative(bureau):
    case = with_cause(
        ready_case(bureau, CaseState.INVESTIGATING, party=False), "illegal-occupation"
    )
    PartyFactory(case=case, name="王某某", kind="person")
    unit_party(case, "鑫源建材有限公司")

    found = names(case)

    person, unit = found["王某某"], found["鑫源建材有限公司"]
    assert person["居民身份证或其他有效身份证件复印件"] is True
    assert "营业执照或统一社会信用代码证书复印件" not in person
    assert unit["营业执照或统一社会信用代码证书复印件"] is True
    assert unit["法定代表人（负责人）身份证明书及其身份证复印件"] is True
    assert "居民身份证或其他有效身份证件复印件" not in unit
    # Both are asked what the cause turns on; an agent's authorisation only if there is one.
    for items in (person, unit):
        assert items["用地批准文件或土地使用权证明"] is True
        assert items["授权委托书及受托人身份证件复印件"] is False


def test_a_mining_case_asks_for_the_mining_licence_not_the_land_approval(bureau):
    case = with_cause(ready_case(bureau, CaseState.INVESTIGATING), "illegal-mining")

    [items] = names(case).values()

    assert items["采矿许可证"] is True
    assert "用地批准文件或土地使用权证明" not in items


def test_a_retired_item_is_no_longer_asked_for(bureau):
    case = with_cause(ready_case(bureau, CaseState.INVESTIGATING), "illegal-mining")
    PaperItem.objects.filter(name="采矿许可证").update(active=False)

    [items] = names(case).values()

    assert "采矿许可证" not in items


def test_the_administrator_adds_an_item_for_a_cause_audited_and_cases_rechecked(
    admin_client, bureau
):
    case = with_cause(ready_case(bureau, CaseState.INVESTIGATING), "illegal-transfer")
    Case.objects.filter(pk=case.pk).update(completeness_checked_at="2026-01-01T00:00:00Z")
    cause = Cause.objects.get(code="illegal-transfer")

    response = admin_client.post(
        "/admin/documents/paperitem/add/",
        {
            "cause": cause.pk,
            "party_kind": "",
            "name": "受让方的付款承诺书",
            "required": "on",
            "note": "",
            "stage": "investigation",
            "order": 500,
            "active": "on",
        },
    )

    assert response.status_code == 302, response.content[:2000]
    added = PaperItem.objects.get(name="受让方的付款承诺书")
    assert AuditEntry.objects.filter(action="admin.add", object_id=str(added.pk)).exists()
    assert Case.objects.get(pk=case.pk).completeness_checked_at is None
    [items] = names(case).values()
    assert items["受让方的付款承诺书"] is True


def test_an_item_is_never_deleted_in_the_admin(admin_client):
    item = PaperItem.objects.order_by("pk").first()

    response = admin_client.post(f"/admin/documents/paperitem/{item.pk}/delete/", {"post": "yes"})

    assert response.status_code == 403
    assert PaperItem.objects.filter(pk=item.pk).exists()
