"""The change of a case's facts, asked and decided through the API and on the page."""

from __future__ import annotations

from datetime import timedelta

from fullrecord.cases.choices import CaseState, ChangeState
from fullrecord.cases.models import Case, CaseChange

from .helpers import ready_case


def test_a_patch_of_a_fixed_fact_answers_202_and_waits(bureau, api_client):
    case = ready_case(bureau, CaseState.HEARING)
    api_client.force_authenticate(bureau.officer)
    new = (case.discovered_on - timedelta(days=2)).isoformat()

    response = api_client.patch(
        f"/api/cases/{case.pk}/", {"discovered_on": new, "reason": "日期录错"}, format="json"
    )

    assert response.status_code == 202, response.content
    assert response.json()["state"] == "pending"
    assert response.json()["changes"]["discovered_on"]["after"] == new


def test_a_patch_after_filing_without_a_reason_is_a_400(bureau, api_client):
    case = ready_case(bureau, CaseState.HEARING)
    api_client.force_authenticate(bureau.officer)

    response = api_client.patch(f"/api/cases/{case.pk}/", {"address": "x"}, format="json")

    assert response.status_code == 400


def test_the_head_decides_through_the_api(bureau, api_client):
    case = ready_case(bureau, CaseState.HEARING)
    api_client.force_authenticate(bureau.officer)
    asked = api_client.post(
        f"/api/cases/{case.pk}/changes/",
        {"values": {"source": "report"}, "reason": "实为群众举报"},
        format="json",
    ).json()
    assert asked["state"] == "pending"

    api_client.force_authenticate(bureau.head)
    response = api_client.post(
        f"/api/cases/{case.pk}/changes/{asked['id']}/decide/", {"approve": True}, format="json"
    )

    assert response.status_code == 200, response.content
    assert response.json()["state"] == "applied"
    assert Case.objects.get(pk=case.pk).source == "report"


def test_a_party_is_corrected_through_the_api(bureau, api_client):
    case = ready_case(bureau, CaseState.INVESTIGATING)
    party = case.parties.get()
    api_client.force_authenticate(bureau.officer)

    response = api_client.post(
        f"/api/cases/{case.pk}/changes/",
        {"party": party.pk, "values": {"name": "王五"}, "reason": "录错"},
        format="json",
    )

    assert response.status_code == 201, response.content
    assert response.json()["party_name"] == party.name


def test_another_sections_head_cannot_decide_nor_see_the_change(bureau, api_client):
    case = ready_case(bureau, CaseState.HEARING)
    api_client.force_authenticate(bureau.officer)
    asked = api_client.post(
        f"/api/cases/{case.pk}/changes/",
        {"values": {"source": "report"}, "reason": "x"},
        format="json",
    ).json()

    api_client.force_authenticate(bureau.other_head)
    response = api_client.post(
        f"/api/cases/{case.pk}/changes/{asked['id']}/decide/", {"approve": True}, format="json"
    )

    assert response.status_code == 404
    assert CaseChange.objects.get(pk=asked["id"]).state == ChangeState.PENDING


def test_on_the_page_the_officer_asks_and_the_head_approves(bureau, client):
    case = ready_case(bureau, CaseState.HEARING)
    client.force_login(bureau.officer)
    new = (case.discovered_on - timedelta(days=2)).isoformat()

    response = client.post(
        f"/cases/{case.pk}/edit/",
        {
            "cause": case.cause_id,
            "source": case.source,
            "discovered_on": new,
            "address": case.address,
            "summary": case.summary,
            "latitude": "",
            "longitude": "",
            "reason": "日期录错",
        },
        follow=True,
    )
    assert response.status_code == 200
    change = CaseChange.objects.get(case=case)
    assert change.state == ChangeState.PENDING
    assert f'data-testid="approve-{change.pk}"' not in response.content.decode()

    client.force_login(bureau.head)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert f'data-testid="approve-{change.pk}"' in page
    client.post(f"/cases/{case.pk}/changes/{change.pk}/decide/", {"approve": "1", "note": ""})

    assert Case.objects.get(pk=case.pk).discovered_on.isoformat() == new


def test_a_filed_case_edit_without_a_reason_keeps_what_was_typed(bureau, client):
    case = ready_case(bureau, CaseState.HEARING)
    client.force_login(bureau.officer)

    response = client.post(
        f"/cases/{case.pk}/edit/",
        {
            "cause": case.cause_id,
            "source": case.source,
            "discovered_on": case.discovered_on.isoformat(),
            "address": "打字的新地址",
            "summary": "",
            "latitude": "",
            "longitude": "",
            "reason": "",
        },
    )

    assert response.status_code == 200
    assert "打字的新地址" in response.content.decode()
    assert Case.objects.get(pk=case.pk).address != "打字的新地址"
